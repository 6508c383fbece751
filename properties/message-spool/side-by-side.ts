/**
 * The message spool side by side with its model: every command goes to `model/message-spool` and
 * to the real `impl/message-spool` (on memfs, under a manual clock, in a simulated process that a
 * `restart` kills like kill -9); once the implementation has gone quiet, everything observable is
 * compared: the result, the events since the last step, `status()`, the deliveries in flight, the
 * attempts started so far (and when), the outcome of every killAndFlush, and the spool directory
 * read back from disk. The first difference throws a {@link MessageSideBySideViolation} with the
 * whole transcript. The spool's hooks are careless on purpose: a subscriber throws at every event,
 * presend hooks sometimes reject and senders throw; none of it may change what the spool does
 * beyond what the model says (a failed presend is "try later" without a sender call).
 */
import { DetailedError, type FailureDetails } from '../failure-details.ts';
import { isDeepStrictEqual } from 'node:util';
import { manualClock } from '../../impl/io/clock.ts';
import { expectedTimers, watchSleeps, type WatchedClock } from './armed-timers.ts';
import { testName, testNames } from './test-names.ts';
import { memfsVfs, newVolume } from '../../impl/io/memfs-vfs.ts';
import {
  isMessageSpoolError,
  MessageSpool,
  type Envelope,
  type FlushOutcome,
  type MessageEvent,
  type MessageSpoolQuirks,
  type PresendDecision,
  type SendOutcome,
} from '../../impl/message-spool/index.ts';
import {
  initialModel,
  step,
  type AttemptOutcome,
  type ModelOp,
  type ModelResult,
  type ModelState,
} from '../../model/message-spool/index.ts';
import { activityVfs } from '../../sim/activity.ts';
import { processTable, type SimProcess } from '../../sim/processes.ts';
import { describeMsgCommand, TEST_MAX_JOBS, TEST_RETRY_INTERVALS, type MsgCommand } from './commands.ts';
import { modelDisk, readMessageDisk, renderDisk } from './disk-state.ts';

/** Where the clock starts. */
export const MSG_START_MS = 1_700_000_000_000;
const DIR = '/spool';

/** A disagreement between model and implementation, with the transcript. */
export class MessageSideBySideViolation extends DetailedError {
  constructor(message: string, details: FailureDetails = {}) {
    super(message, details);
    this.name = 'MessageSideBySideViolation';
  }
}

/** The envelope of the `k`-th message a run creates: distinct bodies and recipients, so mix-ups show. */
function envelopeFor(k: number, intervals: 'default' | readonly number[]): Envelope {
  return {
    sender: `s${k}@example.org`,
    recipients: [`r${k}a@example.net`, `r${k}b@example.net`],
    body: `body of message ${k}\r\n`,
    ...(intervals === 'default' ? {} : { retryIntervals: intervals }),
  };
}

/** The running implementation: its process, spool, and what the test controls of its hooks. */
interface Live {
  readonly process: SimProcess;
  readonly spool: MessageSpool;
  /** Presend calls waiting for the test's answer, by message id. */
  /** How to answer each waiting presend hook: a decision, or `throw` (the hook rejects). */
  readonly presends: Map<string, (d: PresendDecision | 'throw') => void>;
  /** The sender's answer for the next call on each id. */
  readonly sendAnswers: Map<string, SendOutcome | 'throw'>;
  /** The killAndFlush calls of this process, as they stand. */
  readonly flushes: { outcome: 'pending' | FlushOutcome }[];
  /** Its clock, whose sleeps (the timers it left armed) are watched. */
  readonly timers: WatchedClock;
}

/** What a run that agreed all along ends with: the model's final state and the transcript. */
export interface MessageRun {
  readonly model: ModelState;
  readonly transcript: readonly string[];
}

/** Runs `commands` side by side; throws {@link MessageSideBySideViolation} at the first disagreement. */
export async function runMessageSideBySide(commands: readonly MsgCommand[], quirks: MessageSpoolQuirks = {}): Promise<MessageRun> {
  const clock = manualClock(MSG_START_MS);
  const volume = newVolume();
  const raw = memfsVfs({ volume, clock });
  const activity = activityVfs(raw);
  const table = processTable();
  const names = testNames();
  const presendCalls: { id: string; at: number }[] = [];
  const events: MessageEvent[] = [];
  let created = 0;
  const ids: string[] = [];
  const transcript: string[] = [];
  /** Fails with `what` and the transcript; `sides` puts the model's and the implementation's answers side by side (the HTML page). */
  const fail = (what: string, sides?: { expected: string; actual: string }): never => {
    throw new MessageSideBySideViolation(`${what}\nTranscript (step: command => model | implementation):\n${transcript.join('\n')}`, sides ?? {});
  };

  const start = async (): Promise<Live> => {
    const process = table.spawn(`p${table.processes().length + 1}`);
    const timers = watchSleeps(process.clock(clock));
    const presends = new Map<string, (d: PresendDecision | 'throw') => void>();
    const sendAnswers = new Map<string, SendOutcome | 'throw'>();
    const spool = await MessageSpool.open(process.vfs(activity.vfs), DIR, {
      clock: timers.clock,
      processes: process.probe,
      names,
      retryIntervals: TEST_RETRY_INTERVALS,
      maxConcurrentJobs: TEST_MAX_JOBS,
      quirks,
      presend: (record) =>
        new Promise<PresendDecision>((resolve, reject) => {
          presendCalls.push({ id: record.id, at: clock.now() });
          presends.set(record.id, (d) => (d === 'throw' ? reject(new Error('the test presend hook fails (its database is down)')) : resolve(d)));
        }),
      sender: {
        send: async ({ record }) => {
          const answer = sendAnswers.get(record.id) ?? 'tryLater';
          sendAnswers.delete(record.id);
          if (answer === 'throw') throw new Error('the test sender refuses (connection reset)');
          return answer;
        },
      },
    });
    // A careless subscriber first: it throws at every event, and the spool must not care.
    spool.subscribe(() => {
      throw new Error('a subscriber that throws');
    });
    spool.subscribe((e) => events.push(e));
    return { process, spool, presends, sendAnswers, flushes: [], timers };
  };

  let model: ModelState = initialModel({ retryIntervals: TEST_RETRY_INTERVALS, maxConcurrentJobs: TEST_MAX_JOBS, startMs: MSG_START_MS });
  let live = await start();
  await activity.settle();
  let eventsSeen = 0;
  await compare('after open');

  for (const [i, command] of commands.entries()) {
    const what = `step ${i + 1} (${describeMsgCommand(command)})`;
    const planned = plan(command);
    if (planned === undefined) {
      transcript.push(`  ${i + 1}: ${describeMsgCommand(command)} (skipped: nothing to resolve)`);
      continue;
    }
    const predicted = step(model, planned.op);
    const actual = await planned.apply();
    await activity.settle();
    transcript.push(`  ${i + 1}: ${describeMsgCommand(command)} => ${JSON.stringify(predicted.result)} | ${JSON.stringify(actual)}`);
    if (!isDeepStrictEqual(actual, predicted.result)) fail(`${what}: the implementation returned ${JSON.stringify(actual)}, the model predicts ${JSON.stringify(predicted.result)}.`, { expected: JSON.stringify(predicted.result, null, 2), actual: JSON.stringify(actual, null, 2) });
    model = predicted.state;
    await compare(`after ${what}`);
  }
  return { model, transcript };

  /** Everything observable, compared with the model. */
  async function compare(when: string): Promise<void> {
    const newEvents = events.slice(eventsSeen);
    const expected = model.events.slice(eventsSeen);
    if (!isDeepStrictEqual(newEvents, expected)) fail(`Events ${when}: the implementation emitted ${JSON.stringify(newEvents)}, the model ${JSON.stringify(expected)}.`);
    eventsSeen = events.length;
    const status = live.spool.status();
    const memory = [...model.memory.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (!isDeepStrictEqual(status, memory)) fail(`status() ${when} differs:\n  model: ${JSON.stringify(memory)}\n  impl:  ${JSON.stringify(status)}`, { expected: JSON.stringify(memory, null, 2), actual: JSON.stringify(status, null, 2) });
    if (!isDeepStrictEqual(live.spool.running(), [...model.running])) {
      fail(`Deliveries in flight ${when}: the implementation runs ${JSON.stringify(live.spool.running())}, the model ${JSON.stringify(model.running)}.`);
    }
    if (!isDeepStrictEqual(presendCalls, [...model.attemptsStarted])) {
      fail(`Delivery attempts ${when}: the implementation started ${JSON.stringify(presendCalls)}, the model ${JSON.stringify(model.attemptsStarted)}.`);
    }
    const flushes = live.flushes.map((f) => f.outcome);
    const modelFlushes = model.flushWaiters.map((w) => w.outcome);
    if (!isDeepStrictEqual(flushes, modelFlushes)) fail(`killAndFlush outcomes ${when}: implementation ${JSON.stringify(flushes)}, model ${JSON.stringify(modelFlushes)}.`);
    const armed = live.timers.armed();
    const wanted = expectedTimers(model);
    if (!isDeepStrictEqual(armed, wanted)) {
      const at = (ts: readonly number[]): string => (ts.length === 0 ? 'none' : ts.map((t) => `${t - model.now} ms from now`).join(', '));
      fail(`Timers ${when}: the implementation has sleeps armed for ${at(armed)}; the model wants ${at(wanted)} (the earliest future due time unless killed, and each killAndFlush waiting with a timeout).`);
    }
    const disk = await readMessageDisk(raw, DIR);
    const want = modelDisk(model.disk);
    if (!isDeepStrictEqual(renderDisk(disk), renderDisk(want))) {
      const a = renderDisk(want);
      const b = renderDisk(disk);
      fail(
        `The spool on disk differs from the model ${when}:\n` +
          [...a.filter((l) => !b.includes(l)).map((l) => `  - model: ${l}`), ...b.filter((l) => !a.includes(l)).map((l) => `  + disk:  ${l}`)].join('\n'),
      );
    }
  }

  /** The id a pick names: one of those created so far, or (one past the end) an id that does not exist. */
  function pick(p: number): string {
    const k = p % (ids.length + 1);
    return ids[k] ?? 'm999';
  }

  /** The model op and the implementation call of a command; undefined when it cannot run (nothing to resolve). */
  function plan(c: MsgCommand): { op: ModelOp; apply: () => Promise<ModelResult> } | undefined {
    const spool = live.spool;
    switch (c.cmd) {
      case 'add':
      case 'quarantine': {
        const envelopes = Array.from({ length: c.count }, (_, j) => envelopeFor(created + j, c.cmd === 'add' ? c.intervals : 'default'));
        const newIds = Array.from({ length: c.count }, (_, j) => testName(names.count() + j + 1));
        created += c.count;
        ids.push(...newIds);
        const op: ModelOp =
          c.cmd === 'add'
            ? { kind: 'add', ids: newIds, envelopes, initialStatus: c.initialStatus, parentId: 'parent' }
            : { kind: 'quarantine', ids: newIds, envelopes, reason: c.reason, parentId: 'parent' };
        return {
          op,
          apply: () =>
            wrap(async () => ({
              kind: 'ids',
              ids: c.cmd === 'add' ? await spool.add(envelopes, { initialStatus: c.initialStatus, parentId: 'parent' }) : await spool.quarantine(c.reason, envelopes, { parentId: 'parent' }),
            })),
        };
      }
      case 'freeze':
      case 'remove': {
        const targets = c.picks.map(pick);
        return { op: { kind: c.cmd, ids: targets }, apply: () => wrap(async () => ({ kind: 'perId', results: c.cmd === 'freeze' ? await spool.freeze(targets) : await spool.remove(targets) })) };
      }
      case 'send': {
        const which = c.which === 'all' ? ({ all: true } as const) : c.which === 'frozenOnly' ? ({ frozenOnly: true } as const) : { ids: c.which.map(pick) };
        return {
          op: { kind: 'send', which, retryIntervals: c.retryIntervals },
          apply: () => wrap(async () => ({ kind: 'perId', results: await spool.send(which, { retryIntervals: c.retryIntervals }) })),
        };
      }
      case 'recover': {
        const targets = c.picks.map(pick);
        return { op: { kind: 'recover', ids: targets, from: c.from }, apply: () => wrap(async () => ({ kind: 'perId', results: await spool.recover({ ids: targets, from: c.from }) })) };
      }
      case 'tick':
        return {
          op: { kind: 'tick', ms: c.ms },
          apply: async () => {
            clock.advance(c.ms);
            return { kind: 'done' };
          },
        };
      case 'resolve': {
        if (model.running.length === 0) return undefined;
        const id = model.running[c.pick % model.running.length] as string;
        const now = clock.now();
        const presend: AttemptOutcome['presend'] =
          c.outcome.presend === 'sendAt' ? { kind: 'sendAt', at: now + c.outcome.laterMs } : { kind: c.outcome.presend === 'throw' ? 'failed' : c.outcome.presend };
        const outcome: AttemptOutcome = presend.kind === 'sendNow' ? { presend, send: c.outcome.send === 'throw' ? 'tryLater' : c.outcome.send } : { presend };
        return {
          op: { kind: 'resolve', id, outcome },
          apply: async () => {
            const answer = live.presends.get(id);
            if (answer === undefined) return { kind: 'error', error: 'notFound' }; // differs from the model's 'done': the attempt never reached presend
            live.presends.delete(id);
            live.sendAnswers.set(id, c.outcome.send);
            answer(presend.kind === 'failed' ? 'throw' : presend);
            return { kind: 'done' };
          },
        };
      }
      case 'killAndFlush': {
        const op: ModelOp = c.timeoutMs === undefined ? { kind: 'killAndFlush' } : { kind: 'killAndFlush', timeoutMs: c.timeoutMs };
        return {
          op,
          apply: async () => {
            const entry: { outcome: 'pending' | FlushOutcome } = { outcome: 'pending' };
            live.flushes.push(entry);
            void spool.killAndFlush(c.timeoutMs === undefined ? {} : { timeoutMs: c.timeoutMs }).then((o) => (entry.outcome = o));
            return { kind: 'flush', waiter: live.flushes.length - 1 };
          },
        };
      }
      case 'setMaxConcurrentJobs':
        return {
          op: { kind: 'setMaxConcurrentJobs', n: c.n },
          apply: () =>
            wrap(async () => {
              spool.setMaxConcurrentJobs(c.n);
              return { kind: 'done' };
            }),
        };
      case 'countFromDisk':
        return { op: { kind: 'countFromDisk' }, apply: () => wrap(async () => ({ kind: 'count', count: await spool.countFromDisk() })) };
      case 'restart':
        return {
          op: { kind: 'restart' },
          apply: () =>
            wrap(async () => {
              live.process.kill();
              live = await start();
              return { kind: 'restarted', putBack: [...live.spool.startup.putBack] };
            }),
        };
    }
  }
}

/** Runs an implementation call; a MessageSpoolError becomes the model's whole-call error result. */
async function wrap(call: () => Promise<ModelResult>): Promise<ModelResult> {
  try {
    return await call();
  } catch (e) {
    if (isMessageSpoolError(e)) return { kind: 'error', error: e.kind };
    throw e;
  }
}
