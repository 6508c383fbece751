/**
 * Crash-state exploration: from a recorded history and a persistence profile, every disk state a
 * crash may leave — at every crash point (between any two micro-steps, so inside calls too), every
 * set of not-yet-durable micro-steps that respects the profile's ordering edges. Identical states
 * (same image, same number of acknowledged workload markers) are reported once.
 *
 * Exhaustive while a crash point has at most `maxSubsetsPerPoint` possible sets; beyond that the
 * point is sampled (`samplesPerPoint` random sets, plus "everything landed" and "nothing
 * landed"), with randomness from the caller (in the harness: from the fast-check seed).
 *
 * Fault contract, in plain words: the states produced are exactly those the profile allows (see
 * `profiles.ts`); nothing here invents further faults. Lost steps are listed with every state so a
 * report can say what the crash took away.
 */
import { applyStep, cloneImage, imageKey, type DiskImage } from './disk-image.ts';
import type { History } from './history.ts';
import type { MicroStep, PersistenceProfile } from './profiles.ts';

/** Where a crash happened. */
export interface CrashPoint {
  /** The number of micro-steps that had happened (0 = before the first). */
  readonly position: number;
  /** In words: after which call, or inside which call after how many of its micro-steps. */
  readonly description: string;
  /** How many workload markers precede the crash (what the workload had seen return). */
  readonly marksBefore: number;
}

/** One crash state. */
export interface CrashState {
  readonly point: CrashPoint;
  readonly image: DiskImage;
  /** Micro-steps that had happened before the crash but did not land. */
  readonly lost: readonly MicroStep[];
  /**
   * The image in a canonical form (equal keys, equal images, mtimes left out unless enumerated):
   * what deduplication compared, and what a checker may key facts about the disk by. Absent
   * when `dedupe` is false.
   */
  readonly imageKey?: string;
}

/** How to explore. */
export interface ExploreOptions {
  /** Largest number of step sets enumerated exhaustively at one crash point. */
  readonly maxSubsetsPerPoint: number;
  /** Random step sets drawn at a crash point with more sets than that. */
  readonly samplesPerPoint: number;
  /** Uniform in [0, 1); used only for sampling. */
  readonly random: () => number;
  /** Report identical states once (default true). */
  readonly dedupe?: boolean;
  /**
   * Whether steps that only set a modification time are choices to enumerate (default true).
   * A checker that ignores mtimes sets false: such steps then always land, which keeps the
   * number of states down without hiding anything that checker could see.
   */
  readonly enumerateMtimes?: boolean;
}

/** What an exploration did. */
export interface ExploreStats {
  readonly crashPoints: number;
  /** States produced before deduplication. */
  readonly statesConsidered: number;
  /** Distinct states returned. */
  readonly distinctStates: number;
  /** Crash points that had too many step sets and were sampled. */
  readonly sampledPoints: number;
}

/** Describes crash point `k` of an expansion. */
export function describeCrashPoint(steps: readonly MicroStep[], k: number): string {
  if (k === 0) return 'before the first recorded call';
  const prev = steps[k - 1] as MicroStep;
  if (prev.part < prev.parts) return `inside call #${prev.call} \`${prev.callLabel}\`, after ${prev.part} of its ${prev.parts} micro-steps`;
  return `after call #${prev.call} \`${prev.callLabel}\` returned`;
}

/** What a crash state lost, one line per micro-step (for reports). */
export function describeLost(lost: readonly MicroStep[]): string[] {
  if (lost.length === 0) return ['  (nothing)'];
  return lost.map((m) => `  - call #${m.call} \`${m.callLabel}\`, micro-step ${m.part}/${m.parts} (${m.step.kind})`);
}

/** Enumerates (or samples) the crash states of `history` under `profile`. */
export function exploreCrashStates(
  history: History,
  profile: PersistenceProfile,
  options: ExploreOptions,
): { states: CrashState[]; stats: ExploreStats } {
  const { steps, marks } = profile.expand(history);
  const requires = profile.requires(steps);
  const forced = new Set<number>();
  const force = (i: number): void => {
    const pending = [i];
    while (pending.length > 0) {
      const j = pending.pop() as number;
      if (forced.has(j)) continue;
      forced.add(j);
      pending.push(...(requires[j] ?? []));
    }
  };
  const seen = new Set<string>();
  const states: CrashState[] = [];
  let considered = 0;
  let sampledPoints = 0;
  // Steps [0, prefixEnd) are all forced (forced only grows with k), so they are applied once, to
  // `prefix`, and each crash state starts from a copy of it.
  const prefix = cloneImage(history.baseline);
  let prefixEnd = 0;
  /** The crash state at point `k` with the steps `applies` says landed: a copy of the prefix, then those steps. */
  const buildImage = (k: number, applies: (i: number) => boolean): DiskImage => {
    const image = cloneImage(prefix);
    for (let i = prefixEnd; i < k; i++) if (applies(i)) applyStep(image, (steps[i] as MicroStep).step, history.kinds);
    return image;
  };
  const byApplied = new Map<string, { readonly image: DiskImage; readonly key: string }>();
  for (let k = 0; k <= steps.length; k++) {
    if (k > 0) {
      for (const i of profile.durableOnceDone(steps, k - 1)) force(i);
      // A barrier changes nothing on disk: whether it "landed" is not a choice worth enumerating.
      const kind = (steps[k - 1] as MicroStep).step.kind;
      if (kind === 'fsync' || kind === 'fsyncDir') force(k - 1);
      if (kind === 'setMtime' && options.enumerateMtimes === false) force(k - 1);
    }
    while (prefixEnd < k && forced.has(prefixEnd)) applyStep(prefix, (steps[prefixEnd++] as MicroStep).step, history.kinds);
    const free: number[] = [];
    for (let i = prefixEnd; i < k; i++) if (!forced.has(i)) free.push(i);
    const point: CrashPoint = {
      position: k,
      description: describeCrashPoint(steps, k),
      marksBefore: marks.filter((m) => m.position <= k).length,
    };
    let sets = enumerateSets(free, requires, forced, options.maxSubsetsPerPoint);
    if (sets === undefined) {
      sampledPoints++;
      sets = sampleSets(free, requires, forced, options.samplesPerPoint, options.random);
    }
    for (const kept of sets) {
      considered++;
      const applies = (i: number): boolean => forced.has(i) || kept.has(i);
      const lostOf = (): MicroStep[] => {
        const lost: MicroStep[] = [];
        for (let i = prefixEnd; i < k; i++) if (!applies(i)) lost.push(steps[i] as MicroStep);
        return lost;
      };
      if (options.dedupe === false) {
        states.push({ point, image: buildImage(k, applies), lost: lostOf() });
        continue;
      }
      // The same steps applied give the same image: crash points close together share most of
      // their step sets, so each set of applied steps is built and keyed once.
      const signature = appliedSignature(prefixEnd, k, applies);
      let built = byApplied.get(signature);
      if (built === undefined) {
        const image = buildImage(k, applies);
        built = { image, key: imageKey(image, options.enumerateMtimes !== false) };
        byApplied.set(signature, built);
      }
      const { image, key } = built;
      const seenKey = `${point.marksBefore}\n${key}`;
      if (seen.has(seenKey)) continue;
      seen.add(seenKey);
      states.push({ point, image, lost: lostOf(), imageKey: key });
    }
  }
  return {
    states,
    stats: { crashPoints: steps.length + 1, statesConsidered: considered, distinctStates: states.length, sampledPoints },
  };
}

/**
 * The set of steps applied to a crash state, in one canonical form: `n:` for "every step before
 * n", then the further steps applied (all before `end`). Equal sets, equal images.
 */
function appliedSignature(prefixEnd: number, end: number, applies: (i: number) => boolean): string {
  let n = prefixEnd;
  while (n < end && applies(n)) n++;
  let out = `${n}:`;
  for (let i = n + 1; i < end; i++) if (applies(i)) out += `${i},`;
  return out;
}

/** Whether every requirement of step `i` is forced or kept. */
function allowed(i: number, requires: readonly (readonly number[])[], forced: ReadonlySet<number>, kept: ReadonlySet<number>): boolean {
  return (requires[i] ?? []).every((r) => forced.has(r) || kept.has(r));
}

/** Every requirement-respecting subset of `free`, or undefined when there are more than `limit`. */
function enumerateSets(
  free: readonly number[],
  requires: readonly (readonly number[])[],
  forced: ReadonlySet<number>,
  limit: number,
): Set<number>[] | undefined {
  const out: Set<number>[] = [];
  const kept = new Set<number>();
  const walk = (at: number): boolean => {
    if (at === free.length) {
      out.push(new Set(kept));
      return out.length <= limit;
    }
    const i = free[at] as number;
    if (!walk(at + 1)) return false;
    if (allowed(i, requires, forced, kept)) {
      kept.add(i);
      const ok = walk(at + 1);
      kept.delete(i);
      if (!ok) return false;
    }
    return true;
  };
  return walk(0) ? out : undefined;
}

/** `count` random requirement-respecting subsets of `free`, plus the full and the empty one. */
function sampleSets(
  free: readonly number[],
  requires: readonly (readonly number[])[],
  forced: ReadonlySet<number>,
  count: number,
  random: () => number,
): Set<number>[] {
  const all = new Set<number>();
  for (const i of free) if (allowed(i, requires, forced, all)) all.add(i);
  const out: Set<number>[] = [new Set(), all];
  for (let n = 0; n < count; n++) {
    const kept = new Set<number>();
    for (const i of free) if (random() < 0.5 && allowed(i, requires, forced, kept)) kept.add(i);
    out.push(kept);
  }
  return out;
}
