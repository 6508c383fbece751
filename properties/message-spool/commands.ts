/**
 * The generated commands of the message spool properties: operations of docs/message-spool-protocol.md, time passing,
 * how each delivery attempt ends (presend decision and sender outcome, chosen by the test), and
 * process restarts. Messages are picked by index among the ids created so far (one index past
 * the end names an id that does not exist).
 */
import fc from 'fast-check';

/** How a picked delivery attempt ends. `throw`: the sender rejects (counts as try later). */
export interface AttemptChoice {
  /** `throw`: the presend hook fails (rejects), which counts as "try later" without a sender call. */
  readonly presend: 'sendNow' | 'freeze' | 'remove' | 'sendAt' | 'throw';
  /** For presend `sendAt`: how long from now. */
  readonly laterMs: number;
  readonly send: 'done' | 'tryLater' | 'failPermanently' | 'throw';
}

/** One generated command. */
export type MsgCommand =
  | { readonly cmd: 'add'; readonly count: number; readonly initialStatus: 'sendNow' | 'frozen'; readonly intervals: 'default' | readonly number[] }
  | { readonly cmd: 'quarantine'; readonly count: number; readonly reason: string }
  | { readonly cmd: 'freeze' | 'remove'; readonly picks: readonly number[] }
  | { readonly cmd: 'send'; readonly which: 'all' | 'frozenOnly' | readonly number[]; readonly retryIntervals: readonly number[] }
  | { readonly cmd: 'recover'; readonly picks: readonly number[]; readonly from: 'removed' | 'quarantine' }
  | { readonly cmd: 'tick'; readonly ms: number }
  | { readonly cmd: 'resolve'; readonly pick: number; readonly outcome: AttemptChoice }
  | { readonly cmd: 'killAndFlush'; readonly timeoutMs: number | undefined }
  | { readonly cmd: 'setMaxConcurrentJobs'; readonly n: number }
  | { readonly cmd: 'countFromDisk' }
  | { readonly cmd: 'restart' };

/** The spool's default retry intervals in the properties: 1 s, then 5 s. */
export const TEST_RETRY_INTERVALS: readonly number[] = [1_000, 5_000];
/** The concurrency limit the properties start with. */
export const TEST_MAX_JOBS = 2;

const picks = fc.array(fc.nat({ max: 9 }), { minLength: 1, maxLength: 3 });
const intervals = fc.array(fc.constantFrom(0, 500, 1_000, 2_000), { maxLength: 2 });

/** A weighted mix of every command. */
export const msgCommandArb: fc.Arbitrary<MsgCommand> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      cmd: fc.constant('add' as const),
      count: fc.integer({ min: 1, max: 3 }),
      initialStatus: fc.constantFrom('sendNow' as const, 'frozen' as const),
      intervals: fc.oneof(fc.constant('default' as const), intervals),
    }),
  },
  { weight: 1, arbitrary: fc.record({ cmd: fc.constant('quarantine' as const), count: fc.integer({ min: 1, max: 2 }), reason: fc.constantFrom('virus', 'spam') }) },
  { weight: 2, arbitrary: fc.record({ cmd: fc.constantFrom('freeze' as const, 'remove' as const), picks }) },
  {
    weight: 2,
    arbitrary: fc.record({
      cmd: fc.constant('send' as const),
      which: fc.oneof(fc.constantFrom('all' as const, 'frozenOnly' as const), picks),
      retryIntervals: intervals,
    }),
  },
  { weight: 1, arbitrary: fc.record({ cmd: fc.constant('recover' as const), picks, from: fc.constantFrom('removed' as const, 'quarantine' as const) }) },
  { weight: 3, arbitrary: fc.record({ cmd: fc.constant('tick' as const), ms: fc.constantFrom(0, 1, 499, 500, 1_000, 2_000, 5_000, 60_000) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      cmd: fc.constant('resolve' as const),
      pick: fc.nat({ max: 5 }),
      outcome: fc.record({
        presend: fc.oneof(
          { weight: 6, arbitrary: fc.constant('sendNow' as const) },
          { weight: 1, arbitrary: fc.constantFrom('freeze' as const, 'remove' as const, 'sendAt' as const, 'throw' as const) },
        ),
        laterMs: fc.constantFrom(0, 700, 3_000),
        send: fc.constantFrom('done' as const, 'tryLater' as const, 'failPermanently' as const, 'throw' as const),
      }),
    }),
  },
  // Often while deliveries are in flight, and mostly without a timeout, so that the flush must
  // finish exactly when the last of them does.
  { weight: 2, arbitrary: fc.record({ cmd: fc.constant('killAndFlush' as const), timeoutMs: fc.constantFrom(undefined, undefined, 0, 1_000) }) },
  { weight: 1, arbitrary: fc.record({ cmd: fc.constant('setMaxConcurrentJobs' as const), n: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ cmd: fc.constant('countFromDisk' as const) }) },
  { weight: 1, arbitrary: fc.record({ cmd: fc.constant('restart' as const) }) },
);

/** A command in words, for transcripts. */
export function describeMsgCommand(c: MsgCommand): string {
  switch (c.cmd) {
    case 'add':
      return `add ${c.count} ${c.initialStatus} (intervals ${c.intervals === 'default' ? 'default' : JSON.stringify(c.intervals)})`;
    case 'quarantine':
      return `quarantine ${c.count} (${c.reason})`;
    case 'freeze':
    case 'remove':
      return `${c.cmd} picks ${c.picks.join(',')}`;
    case 'send':
      return `send ${typeof c.which === 'string' ? c.which : `picks ${c.which.join(',')}`} (prepend ${JSON.stringify(c.retryIntervals)})`;
    case 'recover':
      return `recover picks ${c.picks.join(',')} from ${c.from}`;
    case 'tick':
      return `clock +${c.ms} ms`;
    case 'resolve':
      return `resolve running #${c.pick}: presend ${c.outcome.presend}${c.outcome.presend === 'sendAt' ? ` +${c.outcome.laterMs} ms` : ''}${c.outcome.presend === 'sendNow' ? `, sender ${c.outcome.send}` : ''}`;
    case 'killAndFlush':
      return `killAndFlush (timeout ${c.timeoutMs === undefined ? 'none' : `${c.timeoutMs} ms`})`;
    case 'setMaxConcurrentJobs':
      return `setMaxConcurrentJobs ${c.n}`;
    case 'countFromDisk':
      return 'countFromDisk';
    case 'restart':
      return 'kill -9 the spool process, start a new one';
  }
}
