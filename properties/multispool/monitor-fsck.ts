/**
 * The Monitor's fsck on hand-broken layouts reports exactly the problems the model's fsck
 * finds: no more (false alarms), no fewer (silently lost entries), with the same file mtimes,
 * in the documented order (registry, `.tmp`, `.data`, then each queue and its checkout
 * directory; names in code-unit order; per file tooOld, orphaned, missingData), whatever order
 * the file system lists directories in.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import { Monitor, problemKey as implProblemKey, type Problem as ImplProblem } from '../../impl/multispool/index.ts';
import { fsck, sortProblems, type Limits, type Problem } from '../../model/multispool/index.ts';
import type { SpoolState } from '../../model/multispool/state.ts';
import type { PropertyDef, RunContext } from '../suite.ts';
import { writeSpoolState } from './disk-state.ts';
import { brokenStateArb, DATA_MTIME_MS, limitsArb } from './broken-layouts.ts';
import { quirksOf } from './model-vs-impl.ts';
import { renderState } from './render.ts';
import { reversedReaddirVfs } from './unordered-vfs.ts';
import { START_MS, TEST_SPOOLABLE, type TestMeta, type TestQueue } from './test-spoolable.ts';

/** The time the Monitor checks at, in the fsck properties. */
export const CHECK_AT_MS = START_MS + 10_000_000;

/** Lays `state` out on a fresh memfs and opens a Monitor on it. */
export async function monitorOn(
  state: SpoolState<TestMeta, string>,
  limits: Limits,
  ctx: RunContext,
  clockStartMs: number,
): Promise<{ monitor: Monitor<TestQueue, TestMeta, string>; clock: ReturnType<typeof manualClock> }> {
  const clock = manualClock(clockStartMs);
  // Directories list in reverse order, so only the Monitor's own sorting can give the documented order.
  const vfs = reversedReaddirVfs(memfsVfs({ clock }));
  await writeSpoolState(vfs, '/spool', state, TEST_SPOOLABLE, DATA_MTIME_MS);
  const monitor = await Monitor.open(vfs, '/spool', TEST_SPOOLABLE, {
    clock,
    limits: limits as Limits & { maxQueueAgesMs: ReadonlyMap<TestQueue, number> },
    ...quirksOf(ctx),
  });
  return { monitor, clock };
}

/** Problems in words, one per line. */
export function renderProblems(problems: readonly Problem[]): string {
  return problems.length === 0 ? '    (none)' : problems.map((p) => `    ${JSON.stringify(p)}`).join('\n');
}

/** fsck agrees with the model on arbitrary broken layouts. */
export const monitorFsck: PropertyDef = {
  suite: 'multispool',
  requires: ['builtin'],
  name: 'monitor-fsck',
  description: 'the Monitor reports exactly the problems (kind, file, mtime, location) of hand-broken layouts',
  defaultRuns: 1000,
  testRuns: 150,
  build: (ctx: RunContext) =>
    fc.asyncProperty(brokenStateArb(CHECK_AT_MS), limitsArb, async (state, limits) => {
      const { monitor } = await monitorOn(state, limits, ctx, CHECK_AT_MS);
      const reported = (await monitor.fsck(CHECK_AT_MS)) as Problem[];
      const expected = fsck(state, limits, CHECK_AT_MS, DATA_MTIME_MS);
      const story = (): string =>
        `  layout:\n    ${renderState(state).join('\n    ')}\n` +
        `  limits: ${JSON.stringify({ ...limits, maxQueueAgesMs: [...limits.maxQueueAgesMs] })}\n` +
        `  the Monitor reports:\n${renderProblems(reported)}\n  the model expects:\n${renderProblems(expected)}`;
      if (!isDeepStrictEqual(sortProblems(reported), sortProblems(expected))) {
        throw new Error(`fsck at ${CHECK_AT_MS} disagrees with the model.\n${story()}`);
      }
      if (!isDeepStrictEqual(reported, expected)) {
        throw new Error(`fsck at ${CHECK_AT_MS} reports the model's problems, but not in the documented order.\n${story()}`);
      }
      // problemKey (the daemon's identity of a problem) tells apart exactly the problems that differ.
      for (const [i, a] of reported.entries()) {
        for (const b of reported.slice(i + 1)) {
          const sameKey = implProblemKey(a as ImplProblem<TestQueue>) === implProblemKey(b as ImplProblem<TestQueue>);
          if (sameKey !== isDeepStrictEqual(a, b)) {
            throw new Error(
              `problemKey gives ${sameKey ? 'the same key to different problems' : 'different keys to equal problems'}: ${JSON.stringify(a)} and ${JSON.stringify(b)} (${implProblemKey(a as ImplProblem<TestQueue>)}).\n${story()}`,
            );
          }
        }
      }
    }) as unknown as fc.IAsyncProperty<never>,
};
