/**
 * The Monitor daemon on an injected clock: across a sequence of checks, each on a different
 * (broken) layout, it raises and ends alerts exactly as the model's alert fold (`eventify`)
 * does on the model's fsck of the same layouts: same events, same times, ends before starts.
 */
import fc from 'fast-check';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import { manualClock } from '../../impl/io/clock.ts';
import type { Vfs } from '../../impl/io/vfs.ts';
import { Monitor } from '../../impl/multispool/index.ts';
import { eventify, fsck, initialAlertState, problemKey, type AlertEvent, type Limits, type Problem } from '../../model/multispool/index.ts';
import type { SpoolState } from '../../model/multispool/state.ts';
import type { PropertyDef, RunContext } from '../suite.ts';
import { removeTree, writeSpoolState } from './disk-state.ts';
import { brokenStateArb, DATA_MTIME_MS, limitsArb } from './broken-layouts.ts';
import { quirksOf } from './model-vs-impl.ts';
import { CHECK_AT_MS, renderProblems } from './monitor-fsck.ts';
import { TEST_SPOOLABLE, type TestMeta, type TestQueue } from './test-spoolable.ts';

/** The daemon's period in this property (its default). */
const CHECK_EVERY_MS = 15_000;

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

/** The daemon agrees with the model's alert fold. */
export const monitorDaemon: PropertyDef = {
  suite: 'multispool',
  name: 'monitor-daemon',
  description: 'the Monitor daemon starts and ends alerts (after alertAfterCycles checks) exactly as the model says, at the check times',
  defaultRuns: 1000,
  testRuns: 60,
  build: (ctx: RunContext) =>
    fc.asyncProperty(
      fc.array(brokenStateArb(CHECK_AT_MS), { minLength: 1, maxLength: 3 }),
      fc.array(fc.nat({ max: 2 }), { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 0, max: 3 }),
      limitsArb,
      async (layouts, schedule, alertAfterCycles, limits) => {
        const layoutAt = (i: number): Layout => layouts[(schedule[i] ?? 0) % layouts.length] as Layout;
        const clock = manualClock(CHECK_AT_MS);
        const vfs = memfsVfs({ clock });
        await writeSpoolState(vfs, '/spool', layoutAt(0), TEST_SPOOLABLE, DATA_MTIME_MS);
        const monitor = await Monitor.open(vfs, '/spool', TEST_SPOOLABLE, {
          clock,
          limits: limits as Limits & { maxQueueAgesMs: ReadonlyMap<TestQueue, number> },
          ...quirksOf(ctx),
        });
        let events: AlertEvent[] = [];
        let checked: (() => void) | undefined;
        const nextCheck = (): Promise<void> => new Promise<void>((resolve) => (checked = resolve));
        let pending = nextCheck();
        const daemon = monitor.startDaemon({
          checkEveryMs: CHECK_EVERY_MS,
          alertAfterCycles,
          onEvent: (e) => events.push(e as AlertEvent),
          onCheck: () => checked?.(),
        });
        let model = initialAlertState;
        const story: string[] = [];
        try {
          for (let i = 0; i < schedule.length; i++) {
            await pending;
            const at = clock.now();
            const problems: Problem[] = fsck(layoutAt(i), limits, at, DATA_MTIME_MS);
            const folded = eventify(model, problems, at, alertAfterCycles);
            model = folded.state;
            story.push(`  check ${i + 1} at +${at - CHECK_AT_MS} ms on layout #${(schedule[i] ?? 0) % layouts.length}: daemon ${renderEvents(events)}; model ${renderEvents(folded.events)}`);
            const firstStart = events.findIndex((e) => e.kind === 'start');
            const lastEnd = events.map((e) => e.kind).lastIndexOf('end');
            const outOfOrder = firstStart !== -1 && lastEnd > firstStart;
            if (outOfOrder || canonical(events).join('\n') !== canonical(folded.events).join('\n')) {
              throw new Error(
                `the daemon's events at check ${i + 1} differ from the model's (alertAfterCycles=${alertAfterCycles}).\n${story.join('\n')}\n` +
                  `  problems at this check (model):\n${renderProblems(problems)}` +
                  (outOfOrder ? '\n  (the daemon emitted a start before an end)' : ''),
              );
            }
            events = [];
            if (i + 1 < schedule.length) {
              await replaceLayout(vfs, layoutAt(i + 1));
              pending = nextCheck();
              clock.advance(CHECK_EVERY_MS);
            }
          }
        } finally {
          await daemon.stop();
        }
      },
    ) as unknown as fc.IAsyncProperty<never>,
};
