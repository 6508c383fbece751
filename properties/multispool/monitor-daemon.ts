/**
 * The Monitor daemon on an injected clock: across a sequence of checks, each on a different
 * (broken) layout, it raises and ends alerts exactly as the model's alert fold (`eventify`)
 * does on the model's fsck of the same layouts: same events, same times, ends before starts.
 */
import fc from 'fast-check';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import { manualClock } from '../../impl/io/clock.ts';
import type { Vfs } from '../../impl/io/vfs.ts';
import { Monitor, SpoolError } from '../../impl/multispool/index.ts';
import { eventify, fsck, initialAlertState, problemKey, type AlertEvent, type Limits, type Problem } from '../../model/multispool/index.ts';
import type { SpoolState } from '../../model/multispool/state.ts';
import type { PropertyDef, RunContext } from '../suite.ts';
import { removeTree, writeSpoolState } from './disk-state.ts';
import { brokenStateArb, DATA_MTIME_MS, limitsArb } from './broken-layouts.ts';
import { clearErrorProblems } from './clear-errors.ts';
import { quirksOf } from './model-vs-impl.ts';
import { CHECK_AT_MS, renderProblems } from './monitor-fsck.ts';
import { TEST_SPOOLABLE, type TestMeta, type TestQueue } from './test-spoolable.ts';

/** The daemon's default period. */
const CHECK_EVERY_MS = 15_000;

/** A schedule entry: the check finds the spool unreadable, its `.tmp` directory gone. */
const TMP_GONE = -1;
/** A schedule entry: the check finds the spool unreadable, its `.tmp` directory replaced by a file. */
const TMP_A_FILE = -2;
/** What a check on an unreadable spool must report to `onError`: the error kind, about `/spool/.tmp`. */
const UNREADABLE_KIND: Readonly<Record<number, string>> = { [TMP_GONE]: 'missing', [TMP_A_FILE]: 'notADirectory' };

type Layout = SpoolState<TestMeta, string>;

/** Events of one check, in words. */
function renderEvents(events: readonly AlertEvent[]): string {
  return events.length === 0 ? '(none)' : events.map((e) => `${e.kind} ${problemKey(e.problem)}`).join(', ');
}

/** The events of one check in a canonical order: ends sorted, then starts sorted. */
function canonical(events: readonly AlertEvent[]): string[] {
  const sorted = (kind: 'start' | 'end'): string[] =>
    events
      .filter((e) => e.kind === kind)
      .map((e) => `${kind}@${e.at} ${problemKey(e.problem)} ${JSON.stringify(e.problem.file)}`)
      .sort();
  return [...sorted('end'), ...sorted('start')];
}

async function replaceLayout(vfs: Vfs, layout: Layout): Promise<void> {
  await removeTree(vfs, '/spool');
  await writeSpoolState(vfs, '/spool', layout, TEST_SPOOLABLE, DATA_MTIME_MS);
}

/** Lets pending promise and I/O callbacks run (enough for a Monitor check on memfs to finish). */
async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The error the property's `onEvent` throws when told to. */
class OnEventFailure extends Error {
  constructor() {
    super('onEvent threw (as the generated case says)');
    this.name = 'OnEventFailure';
  }
}

/**
 * The daemon agrees with the model's alert fold. Besides the layouts, a check may find the spool
 * unreadable (its `.tmp` directory gone): that check fails, is reported to `onError` (when given)
 * and counts as no check at all. Defaults (`checkEveryMs`, `alertAfterCycles`) are used when not
 * given. If `onEvent` throws, the daemon stops and `stop()` rejects with that error; once `stop()`
 * resolves, the daemon checks no more.
 */
export const monitorDaemon: PropertyDef = {
  suite: 'multispool',
  requires: ['builtin'],
  name: 'monitor-daemon',
  description:
    'the Monitor daemon starts and ends alerts (after alertAfterCycles checks) exactly as the model says, at the check times; failed checks count as none; it stops cleanly',
  defaultRuns: 300,
  testRuns: 60,
  build: (ctx: RunContext) =>
    fc.asyncProperty(
      fc.array(brokenStateArb(CHECK_AT_MS), { minLength: 1, maxLength: 3 }),
      fc.tuple(fc.nat({ max: 2 }), fc.array(fc.oneof({ weight: 5, arbitrary: fc.nat({ max: 2 }) }, { weight: 1, arbitrary: fc.constantFrom(TMP_GONE, TMP_A_FILE) }), { maxLength: 7 })),
      fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      limitsArb,
      fc.constantFrom<number | undefined>(undefined, 5_000, CHECK_EVERY_MS),
      fc.boolean(),
      fc.option(fc.nat({ max: 3 }), { nil: undefined, freq: 4 }),
      async (layouts, [first, rest], givenAlertAfterCycles, limits, givenCheckEveryMs, withOnError, throwAtEvent) => {
        const schedule = [first, ...rest];
        const alertAfterCycles = givenAlertAfterCycles ?? 2;
        const checkEveryMs = givenCheckEveryMs ?? CHECK_EVERY_MS;
        const layoutAt = (i: number): Layout | number => {
          const k = schedule[i] ?? 0;
          return k < 0 ? k : (layouts[k % layouts.length] as Layout);
        };
        const clock = manualClock(CHECK_AT_MS);
        const vfs = memfsVfs({ clock });
        await writeSpoolState(vfs, '/spool', layouts[first % layouts.length] as Layout, TEST_SPOOLABLE, DATA_MTIME_MS);
        const monitor = await Monitor.open(vfs, '/spool', TEST_SPOOLABLE, {
          clock,
          limits: limits as Limits & { maxQueueAgesMs: ReadonlyMap<TestQueue, number> },
          ...quirksOf(ctx),
        });
        let events: AlertEvent[] = [];
        let eventCount = 0;
        let errors = 0;
        const errorProblems: string[] = [];
        let checks = 0;
        const thrown = new OnEventFailure();
        let died = false;
        let checked: (() => void) | undefined;
        const nextCheck = (): Promise<void> => new Promise<void>((resolve) => (checked = resolve));
        let pending = nextCheck();
        const daemon = monitor.startDaemon({
          ...(givenCheckEveryMs === undefined ? {} : { checkEveryMs: givenCheckEveryMs }),
          ...(givenAlertAfterCycles === undefined ? {} : { alertAfterCycles: givenAlertAfterCycles }),
          onEvent: (e) => {
            events.push(e as AlertEvent);
            if (eventCount++ === throwAtEvent) {
              died = true;
              checked?.();
              throw thrown;
            }
          },
          onCheck: () => {
            checks++;
            checked?.();
          },
          ...(withOnError
            ? {
                onError: (e: unknown) => {
                  errors++;
                  const unreadable = layoutAt(checkIndex);
                  const expectedKind = typeof unreadable === 'number' ? UNREADABLE_KIND[unreadable] : undefined;
                  if (!(e instanceof SpoolError)) errorProblems.push(`onError got ${String(e)}, not a SpoolError`);
                  else {
                    const unclear = clearErrorProblems(e, '/spool');
                    if (unclear !== undefined) errorProblems.push(`onError got an ${unclear}`);
                    if (e.kind !== expectedKind || e.path !== '/spool/.tmp') {
                      errorProblems.push(`onError got a ${e.kind} error about ${String(e.path)}, expected ${String(expectedKind)} about /spool/.tmp`);
                    }
                  }
                  checked?.();
                },
              }
            : {}),
        });
        let model = initialAlertState;
        const story: string[] = [];
        const settings = `alertAfterCycles=${givenAlertAfterCycles ?? 'default'}, checkEveryMs=${givenCheckEveryMs ?? 'default'}, onError ${withOnError ? 'given' : 'not given'}, onEvent ${throwAtEvent === undefined ? 'never throws' : `throws at event #${throwAtEvent + 1}`}`;
        let stopped = false;
        let checkIndex = 0;
        try {
          for (let i = 0; i < schedule.length; i++) {
            checkIndex = i;
            const layout = layoutAt(i);
            // Without onError, a failed check gives no sign: let it run its course.
            await (typeof layout === 'number' && !withOnError ? flush() : pending);
            const at = clock.now();
            if (died) break;
            if (typeof layout === 'number') {
              story.push(`  check ${i + 1} at +${at - CHECK_AT_MS} ms on an unreadable spool (.tmp ${layout === TMP_GONE ? 'gone' : 'a file'}): daemon ${renderEvents(events)}, ${errors} error(s) reported`);
              if (errorProblems.length > 0) throw new Error(`${errorProblems.join('; ')}. ${settings}\n${story.join('\n')}`);
              if (events.length > 0 || checks > 0 || errors !== (withOnError ? 1 : 0)) {
                throw new Error(
                  `a failed check must report its error to onError (when given) and nothing else: ${events.length} event(s), ${checks} check(s), ${errors} error(s). ${settings}\n${story.join('\n')}`,
                );
              }
            } else {
              const problems: Problem[] = fsck(layout, limits, at, DATA_MTIME_MS);
              const folded = eventify(model, problems, at, alertAfterCycles);
              model = folded.state;
              story.push(`  check ${i + 1} at +${at - CHECK_AT_MS} ms on layout #${(schedule[i] ?? 0) % layouts.length}: daemon ${renderEvents(events)}; model ${renderEvents(folded.events)}`);
              const firstStart = events.findIndex((e) => e.kind === 'start');
              const lastEnd = events.map((e) => e.kind).lastIndexOf('end');
              const outOfOrder = firstStart !== -1 && lastEnd > firstStart;
              if (outOfOrder || canonical(events).join('\n') !== canonical(folded.events).join('\n') || checks !== 1 || errors !== 0) {
                throw new Error(
                  `the daemon's events at check ${i + 1} differ from the model's (${settings}).\n${story.join('\n')}\n` +
                    `  problems at this check (model):\n${renderProblems(problems)}` +
                    (outOfOrder ? '\n  (the daemon emitted a start before an end)' : '') +
                    (checks !== 1 || errors !== 0 ? `\n  (${checks} check(s) and ${errors} error(s) reported for this one check)` : ''),
                );
              }
            }
            events = [];
            checks = 0;
            errors = 0;
            if (i + 1 < schedule.length) {
              const next = layoutAt(i + 1);
              if (typeof next !== 'number') await replaceLayout(vfs, next);
              else {
                await removeTree(vfs, '/spool/.tmp');
                if (next === TMP_A_FILE) await (await vfs.open('/spool/.tmp', { write: true, create: true })).close();
              }
              pending = nextCheck();
              clock.advance(checkEveryMs);
            }
          }
          stopped = true;
          let stopError: unknown;
          await daemon.stop().catch((e: unknown) => (stopError = e));
          if (died ? stopError !== thrown : stopError !== undefined) {
            throw new Error(`stop() ${stopError === undefined ? 'resolved' : `rejected with ${String(stopError)}`}, though onEvent ${died ? 'threw' : 'never threw'}. ${settings}\n${story.join('\n')}`);
          }
          events = [];
          clock.advance(2 * checkEveryMs);
          await flush();
          if (events.length > 0 || checks > 0 || errors > 0) {
            throw new Error(`after stop() the daemon still reported ${events.length} event(s), ${checks} check(s), ${errors} error(s). ${settings}\n${story.join('\n')}`);
          }
        } finally {
          if (!stopped) await daemon.stop().catch(() => undefined);
        }
      },
    ) as unknown as fc.IAsyncProperty<never>,
};
