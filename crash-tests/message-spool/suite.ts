/**
 * Crash properties of the message spool (suite `message-spool`): after any crash, a new process
 * finds every acknowledged message, each in the queue its status names, with the record the
 * acknowledged (or the in-flight) operation gave it, and can still change it (guarantees.ts).
 *
 * - `crash-exhaustive`: EVERY workload of up to {@link EXHAUSTIVE_MAX_OPS} operations, every crash
 *   point, every crash state each profile allows (sampled only where a crash point has more than
 *   {@link MAX_SUBSETS} states), checked. One run: it is not random. Profiles go strongest first,
 *   so a bug is reported under the strongest profile that shows it (kill -9 before power loss).
 * - `crash-workloads-<profile>`: random workloads of up to {@link RANDOM_MAX_OPS} operations, the
 *   sampling seeded by fast-check, shrunk to a minimal workload when one fails.
 */
import fc from 'fast-check';
import type { MessageSpoolQuirks } from '../../impl/message-spool/index.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../../properties/suite.ts';
import { seededRandom } from '../../sim/crash/prng.ts';
import { EXT4_ORDERED, PROCESS_CRASH, STRICT, type PersistenceProfile } from '../../sim/crash/profiles.ts';
import { crashCheckRun, describeMessageCrashFailure, recoveryMemo, type MessageCrashCheckResult, type RecoveryMemo } from './crash-check.ts';
import { MESSAGE_OPS, runMessageWorkload, type MessageOp, type MessageWorkloadRun } from './workload.ts';

/** Longest workload of the exhaustive property. */
export const EXHAUSTIVE_MAX_OPS = 2;
/** Longest random workload. */
export const RANDOM_MAX_OPS = 6;
/**
 * Crash states enumerated exhaustively per crash point before sampling. The points beyond it are
 * inside the write of a staged file, whose torn bytes no reader looks at; what matters there is
 * which directory entries landed, and "all landed" and "none landed" are always among the samples.
 */
export const MAX_SUBSETS = 64;
/** Crash states sampled at a crash point with more than {@link MAX_SUBSETS}. */
export const SAMPLES = 8;

/** The profiles, strongest first (a failure is reported under the strongest profile that shows it). */
export const PROFILE_ORDER: readonly PersistenceProfile[] = [PROCESS_CRASH, EXT4_ORDERED, STRICT];

/** Every workload of `0..maxOps` operations, shortest first. */
export function allMessageWorkloads(maxOps: number): MessageOp[][] {
  const out: MessageOp[][] = [[]];
  let frontier: MessageOp[][] = [[]];
  for (let len = 1; len <= maxOps; len++) {
    frontier = frontier.flatMap((w) => MESSAGE_OPS.map((op) => [...w, op]));
    out.push(...frontier);
  }
  return out;
}

/**
 * What a run did, without the operations that found nothing to act on: two runs with the same
 * effective operations made the same history (the markers of the idle operations aside), so the
 * second adds no crash state.
 */
export function effectiveOps(run: MessageWorkloadRun): string {
  return run.performed
    .filter((p) => p.id !== undefined)
    .map((p) => p.did)
    .join('; ');
}

const quirksOf = (ctx: RunContext): MessageSpoolQuirks => builtinOf(ctx).messageSpool;

/** Crash-checks `run` under `profile`, throwing the first failing crash state in words. */
async function assertRunSurvives(run: MessageWorkloadRun, profile: PersistenceProfile, quirks: MessageSpoolQuirks, seed: number, memo: RecoveryMemo): Promise<MessageCrashCheckResult> {
  const result = await crashCheckRun(run, profile, quirks, { maxSubsetsPerPoint: MAX_SUBSETS, samplesPerPoint: SAMPLES, random: seededRandom(seed) }, memo);
  if (result.failure !== undefined) throw new Error(`a crash breaks a guarantee of the message spool\n${describeMessageCrashFailure(result.failure)}`);
  return result;
}

/** Totals of one exhaustive pass under one profile (for reports and benchmarks). */
export interface ExhaustiveFigures {
  readonly profile: string;
  /** Workloads enumerated, and those with effective operations not seen before (explored). */
  readonly workloads: number;
  readonly explored: number;
  readonly crashPoints: number;
  readonly distinctStates: number;
  readonly checkedStates: number;
  readonly redeliveries: number;
}

/**
 * Runs the exhaustive check of every workload of up to `maxOps` operations under each profile in
 * {@link PROFILE_ORDER}; throws at the first failing crash state; returns the figures.
 */
export async function exhaustiveCrashCheck(maxOps: number, quirks: MessageSpoolQuirks): Promise<ExhaustiveFigures[]> {
  const runs: MessageWorkloadRun[] = [];
  const seen = new Set<string>();
  const workloads = allMessageWorkloads(maxOps);
  for (const ops of workloads) {
    const run = await runMessageWorkload(ops, quirks);
    const key = effectiveOps(run);
    if (seen.has(key)) continue;
    seen.add(key);
    runs.push(run);
  }
  const figures: ExhaustiveFigures[] = [];
  // Workloads share prefixes, so crash states share disks: each is recovered once.
  const memo = recoveryMemo();
  for (const profile of PROFILE_ORDER) {
    let crashPoints = 0;
    let distinctStates = 0;
    let checkedStates = 0;
    let redeliveries = 0;
    for (const run of runs) {
      const r = await assertRunSurvives(run, profile, quirks, 1, memo);
      crashPoints += r.stats.crashPoints;
      distinctStates += r.stats.distinctStates;
      checkedStates += r.checked;
      redeliveries += r.redeliveries;
    }
    figures.push({ profile: profile.name, workloads: workloads.length, explored: runs.length, crashPoints, distinctStates, checkedStates, redeliveries });
  }
  return figures;
}

/** All workloads of up to {@link EXHAUSTIVE_MAX_OPS} operations under every profile. */
export const messageCrashExhaustive: PropertyDef = {
  suite: 'message-spool',
  requires: ['builtin'],
  name: 'crash-exhaustive',
  description: `every workload of up to ${EXHAUSTIVE_MAX_OPS} message spool operations, every crash point, every crash state of every profile: a new process finds every message where it belongs, unchanged or changed as acknowledged, and can still change it`,
  defaultRuns: 1,
  // One run explores every workload: 14 s on a slow 2-core machine, so far above the usual limit.
  runTimeoutMs: 600_000,
  testRuns: 1,
  build: (ctx) =>
    fc.asyncProperty(fc.constant(EXHAUSTIVE_MAX_OPS), async (maxOps) => {
      await exhaustiveCrashCheck(maxOps, quirksOf(ctx));
    }) as unknown as fc.IAsyncProperty<never>,
};

/** Random workloads under one profile. */
function randomMessageWorkloads(profile: PersistenceProfile, defaultRuns: number, testRuns: number): PropertyDef {
  return {
    suite: 'message-spool',
    requires: ['builtin'],
    name: `crash-workloads-${profile.name}`,
    description: `every crash state (${profile.name}, sampled) of random workloads of up to ${RANDOM_MAX_OPS} message spool operations keeps the post-crash guarantees`,
    defaultRuns,
    testRuns,
    build: (ctx) => {
      // One memo for every run of the property: the verdict of a run never depends on it.
      const memo = recoveryMemo();
      return fc.asyncProperty(
        fc.array(fc.constantFrom(...MESSAGE_OPS), { minLength: 1, maxLength: RANDOM_MAX_OPS }),
        fc.noShrink(fc.integer()),
        async (ops, seed) => {
          await assertRunSurvives(await runMessageWorkload(ops, quirksOf(ctx)), profile, quirksOf(ctx), seed, memo);
        },
      ) as unknown as fc.IAsyncProperty<never>;
    },
  };
}

/** The message spool's crash properties, in the order the CLI should run them. */
export const MESSAGE_CRASH_PROPERTIES: readonly PropertyDef[] = [
  messageCrashExhaustive,
  randomMessageWorkloads(PROCESS_CRASH, 40, 10),
  randomMessageWorkloads(EXT4_ORDERED, 15, 5),
  randomMessageWorkloads(STRICT, 15, 5),
];
