/**
 * The `crash` suite: the multispool's post-crash guarantees under every persistence profile.
 *
 * - `bounded-exhaustive`: EVERY workload of up to {@link EXHAUSTIVE_MAX_OPS} operations, every
 *   crash point, every crash state each profile allows (sampled only where a crash point has more
 *   than {@link MAX_SUBSETS} states), checked. One run: it is not random.
 * - `workloads-<profile>`: random workloads of up to {@link RANDOM_MAX_OPS} operations, shrunk to
 *   a minimal workload when one fails.
 */
import fc from 'fast-check';
import type { MultispoolQuirks } from '../../impl/multispool/quirks.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../../properties/suite.ts';
import { seededRandom } from '../../sim/crash/prng.ts';
import { PROFILES, type PersistenceProfile } from '../../sim/crash/profiles.ts';
import { crashCheckWorkload, describeCrashFailure, imageFactsMemo, type ImageFactsMemo } from './crash-check.ts';
import { WORKLOAD_OPS, type WorkloadOp } from './workload.ts';

/** Longest workload of the exhaustive property. */
export const EXHAUSTIVE_MAX_OPS = 3;
/** Longest random workload. */
export const RANDOM_MAX_OPS = 6;
/** Crash states enumerated exhaustively per crash point before sampling. */
export const MAX_SUBSETS = 256;
/** Crash states sampled at a crash point with more than {@link MAX_SUBSETS}. */
export const SAMPLES = 32;

/** Every workload of `0..maxOps` operations, shortest first. */
export function allWorkloads(maxOps: number): WorkloadOp[][] {
  const out: WorkloadOp[][] = [[]];
  let frontier: WorkloadOp[][] = [[]];
  for (let len = 1; len <= maxOps; len++) {
    frontier = frontier.flatMap((w) => WORKLOAD_OPS.map((op) => [...w, op]));
    out.push(...frontier);
  }
  return out;
}

const quirksOf = (ctx: RunContext): MultispoolQuirks => builtinOf(ctx).multispool;

/** Throws the first failing crash state of `workload` under `profile`, in words. */
async function assertWorkloadSurvives(workload: readonly WorkloadOp[], profile: PersistenceProfile, quirks: MultispoolQuirks, seed: number, memo: ImageFactsMemo): Promise<void> {
  const result = await crashCheckWorkload(
    workload,
    profile,
    quirks,
    { maxSubsetsPerPoint: MAX_SUBSETS, samplesPerPoint: SAMPLES, random: seededRandom(seed) },
    memo,
  );
  if (result.failure !== undefined) throw new Error(`a crash breaks a guarantee\n${describeCrashFailure(result.failure)}`);
}

/** All workloads of up to {@link EXHAUSTIVE_MAX_OPS} operations under every profile. */
export const boundedExhaustive: PropertyDef = {
  suite: 'crash',
  requires: ['builtin'],
  name: 'bounded-exhaustive',
  description: `every workload of up to ${EXHAUSTIVE_MAX_OPS} spool operations, every crash point, every crash state of every profile: the post-crash guarantees hold`,
  defaultRuns: 1,
  // One run explores every workload: 14 s on a slow 2-core machine, so far above the usual limit.
  runTimeoutMs: 600_000,
  testRuns: 1,
  build: (ctx) =>
    fc.asyncProperty(fc.constant(EXHAUSTIVE_MAX_OPS), async (maxOps) => {
      // Workloads share prefixes, so crash states share disks: each distinct disk is inspected once.
      const memo = imageFactsMemo();
      for (const profile of PROFILES) {
        for (const workload of allWorkloads(maxOps)) await assertWorkloadSurvives(workload, profile, quirksOf(ctx), 1, memo);
      }
    }) as unknown as fc.IAsyncProperty<never>,
};

/** Random workloads under one profile. */
function randomWorkloads(profile: PersistenceProfile, defaultRuns: number, testRuns: number): PropertyDef {
  return {
    suite: 'crash',
    requires: ['builtin'],
    name: `workloads-${profile.name}`,
    description: `every crash state (${profile.name}) of random workloads of up to ${RANDOM_MAX_OPS} spool operations keeps the post-crash guarantees`,
    defaultRuns,
    testRuns,
    build: (ctx) => {
      // One memo for every run of the property: the verdict of a run never depends on it.
      const memo = imageFactsMemo();
      return fc.asyncProperty(
        fc.array(fc.constantFrom(...WORKLOAD_OPS), { minLength: 1, maxLength: RANDOM_MAX_OPS }),
        fc.noShrink(fc.integer()),
        async (workload, seed) => assertWorkloadSurvives(workload, profile, quirksOf(ctx), seed, memo),
      ) as unknown as fc.IAsyncProperty<never>;
    },
  };
}

/** The crash suite, in the order the CLI runs it. */
export const CRASH_PROPERTIES: readonly PropertyDef[] = [
  boundedExhaustive,
  ...PROFILES.map((p) => randomWorkloads(p, p.name === 'process-crash' ? 200 : 150, 8)),
];
