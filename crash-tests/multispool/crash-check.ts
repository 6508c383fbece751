/**
 * Crash-checks one multispool workload under one persistence profile: run it on the
 * crash-simulating Vfs, explore every crash state of its history, and check each against the
 * guarantees. The first violation comes back as a report a person can act on: the workload, the
 * profile, the crash point, what the crash lost, the disk before and after, and what broke.
 */
import { manualClock } from '../../impl/io/clock.ts';
import type { MultispoolQuirks } from '../../impl/multispool/quirks.ts';
import { START_MS } from '../../properties/multispool/test-spoolable.ts';
import { applyStep, cloneImage, imageKey, renderImage, type DiskImage } from '../../sim/crash/disk-image.ts';
import { describeLost, exploreCrashStates, type CrashState, type ExploreOptions, type ExploreStats } from '../../sim/crash/explore.ts';
import type { History } from '../../sim/crash/history.ts';
import type { PersistenceProfile } from '../../sim/crash/profiles.ts';
import { StateMemo } from '../../sim/crash/state-memo.ts';
import { inspectImage, judgeCrashState, type ImageFacts, type Violation } from './guarantees.ts';
import { describeOps, runWorkload, type WorkloadOp } from './workload.ts';

/** A crash state that breaks a guarantee. */
export interface CrashFailure {
  readonly workload: readonly WorkloadOp[];
  readonly profile: string;
  readonly state: CrashState;
  readonly before: readonly string[];
  readonly after: readonly string[];
  readonly violations: readonly Violation[];
}

/** The result of crash-checking one workload. */
export interface CrashCheckResult {
  readonly stats: ExploreStats;
  /** States checked (all distinct states, or up to the first failure). */
  readonly checked: number;
  readonly failure?: CrashFailure;
}

/** The image the running system saw at crash point `k`: everything before it applied. */
function liveImageAt(history: History, profile: PersistenceProfile, k: number): DiskImage {
  const image = cloneImage(history.baseline);
  for (const micro of profile.expand(history).steps.slice(0, k)) applyStep(image, micro.step, history.kinds);
  return image;
}

/**
 * What crash checks learnt, shared by every workload and profile checked with one memo: the facts
 * of each distinct disk (`inspectImage`), and the verdict of each distinct (operations seen, disk)
 * pair; workloads sharing a prefix leave the same disks after the same operations. Keys include
 * the quirks, so one memo may serve several variants.
 */
export interface ImageFactsMemo {
  readonly facts: StateMemo<ImageFacts>;
  readonly verdicts: StateMemo<readonly Violation[]>;
}

/** A new, empty {@link ImageFactsMemo}. */
export function imageFactsMemo(): ImageFactsMemo {
  return { facts: new StateMemo<ImageFacts>(), verdicts: new StateMemo<readonly Violation[]>() };
}

/**
 * Runs `workload`, explores its crash states under `profile`, checks them; stops at the first
 * failure. Pass one `memo` to many calls to inspect each distinct disk once across them.
 */
export async function crashCheckWorkload(
  workload: readonly WorkloadOp[],
  profile: PersistenceProfile,
  quirks: MultispoolQuirks,
  explore: ExploreOptions,
  memo: ImageFactsMemo = imageFactsMemo(),
): Promise<CrashCheckResult> {
  const clock = manualClock(START_MS);
  const run = await runWorkload(workload, clock, quirks);
  const history = run.vfs.history();
  // The guarantees never look at modification times (the Monitor judges at a time when every
  // age limit has passed), so mtime-only steps are not enumerated.
  const { states, stats } = exploreCrashStates(history, profile, { ...explore, enumerateMtimes: false });
  const namespace = JSON.stringify(quirks);
  // A verdict depends on the operations that had returned and the one in flight, and the disk:
  // seenOps[acked] names them, for every acked from 0 to all.
  const seenOps = Array.from({ length: run.records.length + 1 }, (_, acked) => JSON.stringify(run.records.slice(0, acked + 1)));
  let checked = 0;
  for (const state of states) {
    checked++;
    const acked = state.point.marksBefore;
    const key = `${namespace}\n${state.imageKey ?? imageKey(state.image, false)}`;
    const verdictKey = `${acked} ${seenOps[acked] ?? ''}\n${key}`;
    const violations = await memo.verdicts.get(verdictKey, async () =>
      judgeCrashState(await memo.facts.get(key, () => inspectImage(state.image, quirks)), run.records, acked),
    );
    if (violations.length > 0) {
      return {
        stats,
        checked,
        failure: {
          workload,
          profile: profile.name,
          state,
          before: renderImage(liveImageAt(history, profile, state.point.position), true, START_MS),
          after: renderImage(state.image, true, START_MS),
          violations,
        },
      };
    }
  }
  return { stats, checked };
}

/** A failure in words: everything needed to understand it without rerunning. */
export function describeCrashFailure(f: CrashFailure): string {
  const diff = (a: readonly string[], b: readonly string[]): string[] => a.filter((l) => !b.includes(l));
  return [
    `workload: ${describeOps(f.workload)}`,
    `profile: ${f.profile}`,
    `crash point: ${f.state.point.description} (${f.state.point.marksBefore} operation(s) had returned)`,
    `lost in the crash (${f.state.lost.length} micro-step(s)):`,
    ...describeLost(f.state.lost),
    'disk before the crash:',
    ...f.before.map((l) => `  ${l}`),
    'disk after the crash:',
    ...f.after.map((l) => `  ${l}`),
    `gone in the crash: ${diff(f.before, f.after).join('; ') || '(nothing)'}`,
    `back after the crash: ${diff(f.after, f.before).join('; ') || '(nothing)'}`,
    'violated:',
    ...f.violations.map((v) => `  ${v.guarantee}: ${v.message}`),
  ].join('\n');
}
