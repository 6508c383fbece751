/**
 * `queue/crash-<profile>`: a queue that claims to survive a crash does, judged through its API
 * alone. A random workload (enqueues, checkouts, releases, removes, time passing) runs on the
 * crash-simulating file system; every crash state the profile allows at every crash point
 * (inside calls too) is derived; on each, the queue is opened again (its recovery), listed, and
 * every listed item checked out. What comes back must be what the acknowledged calls promised
 * (`model/queue/recovery.ts`): nothing lost, nothing back from the dead, no phantoms, no
 * duplicates, every item's data in full.
 *
 * The queue is created (its first open) before recording starts: a crash during the very first
 * open is not explored.
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import type { QueueState } from '../../model/queue/queue.ts';
import { judgeRecovery, type InFlight, type RecoveredItem } from '../../model/queue/recovery.ts';
import { crashVfs } from '../../sim/crash-vfs.ts';
import type { DiskImage } from '../../sim/crash/disk-image.ts';
import { exploreCrashStates, type CrashState } from '../../sim/crash/explore.ts';
import { seededRandom } from '../../sim/crash/prng.ts';
import { PROFILES, type PersistenceProfile } from '../../sim/crash/profiles.ts';
import type { QueueAdapter, QueueWorld } from '../../targets/queue-adapter.ts';
import type { Capability } from '../../targets/target.ts';
import { START_MS } from '../multispool/test-spoolable.ts';
import { crashViolation } from '../crash-report.ts';
import { errorText } from '../session-report.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { crashStepArb, isQueueCall, QueueSession, type QueueStep } from './driver.ts';
import { QUEUE_DIR } from './sequential.ts';

/** Longest random workload. */
export const MAX_CRASH_STEPS = 8;
/** Crash states enumerated exhaustively per crash point before sampling. */
export const QUEUE_MAX_SUBSETS = 64;
/** Crash states sampled at a crash point with more than {@link QUEUE_MAX_SUBSETS}. */
export const QUEUE_SAMPLES = 16;
/** How long after the crash the queue is opened again, in ms (a restart takes a while). */
const RESTART_AFTER_MS = 1_000;

/** What a queue gives back when opened on a crash image: the items, or the error recovery threw. */
function recover(adapter: QueueAdapter, image: DiskImage, nowMs: number): Promise<{ items: RecoveredItem[] } | { error: string }> {
  const clock = manualClock(nowMs + RESTART_AFTER_MS);
  return recoverQueue(adapter, { vfs: crashVfs({ image, clock }), dir: QUEUE_DIR, clock });
}

/** Opens the queue in `world` (its recovery), lists it and checks every listed item out: the items, or the error open or list threw. */
export async function recoverQueue(adapter: QueueAdapter, world: QueueWorld): Promise<{ items: RecoveredItem[] } | { error: string }> {
  let handle;
  let ids: readonly string[];
  try {
    handle = await adapter.open(world);
    ids = await handle.list();
  } catch (err) {
    return { error: `recovery failed: ${handle === undefined ? 'open' : 'list'} threw: ${errorText(err)}` };
  }
  const items: RecoveredItem[] = [];
  for (const id of ids) {
    try {
      items.push({ id, data: await handle.checkout(id) });
    } catch (err) {
      items.push({ id, data: undefined, error: errorText(err) });
    }
  }
  await handle.close?.().catch(() => undefined);
  return { items };
}

/** One operation of the workload as it ran: what it was and what it answered. */
interface RanOp {
  readonly op: InFlight;
  readonly line: string;
}

/** A crash state that breaks a guarantee, in words. */
function describeFailure(profile: PersistenceProfile, ran: readonly RanOp[], state: CrashState, recovered: { items: RecoveredItem[] } | { error: string }, violations: readonly string[], states: readonly CrashState[]): Error {
  const back = 'error' in recovered ? [recovered.error] : recovered.items.map((it) => `${it.id}: ${it.error !== undefined ? `checkout threw: ${it.error}` : it.data === undefined ? 'checkout gave undefined' : JSON.stringify(it.data)}`);
  return crashViolation('a crash breaks the queue guarantees', profile, ran.map((r) => r.line), state, back, violations, states);
}

/** Runs `steps`, explores every crash state under `profile`, and throws on the first that breaks a guarantee. */
export async function assertQueueSurvives(adapter: QueueAdapter, steps: readonly QueueStep[], profile: PersistenceProfile, seed: number): Promise<void> {
  const clock = manualClock(START_MS);
  const vfs = crashVfs({ clock });
  await vfs.mkdir(QUEUE_DIR);
  const session = await QueueSession.open(adapter, { vfs, dir: QUEUE_DIR, clock });
  vfs.startRecording();
  const acked: QueueState[] = [session.state];
  const ran: RanOp[] = [];
  for (const s of steps) {
    const op = await session.run(s);
    if (op === undefined || !isQueueCall(op)) continue;
    vfs.mark(`${op.kind} returned`);
    acked.push(session.state);
    ran.push({ op, line: session.log.at(-1) as string });
  }
  const history = vfs.history();
  await session.close();
  const { states } = exploreCrashStates(history, profile, {
    maxSubsetsPerPoint: QUEUE_MAX_SUBSETS,
    samplesPerPoint: QUEUE_SAMPLES,
    random: seededRandom(seed),
    enumerateMtimes: false,
  });
  for (const state of states) {
    const m = state.point.marksBefore;
    const recovered = await recover(adapter, state.image, clock.now());
    const violations = 'error' in recovered ? [recovered.error] : judgeRecovery(acked[m] as QueueState, ran[m]?.op, recovered.items);
    if (violations.length > 0) throw describeFailure(profile, ran, state, recovered, violations, states);
  }
}

/** What a queue must claim to survive for crashes of `profile` to be held against it. */
function claimNeeded(profile: PersistenceProfile): Capability {
  return profile.name === 'process-crash' ? 'queue-survives-process-crash' : 'queue-survives-power-loss';
}

/** The crash property of one profile. */
function crashProperty(profile: PersistenceProfile): PropertyDef {
  return {
    suite: 'queue',
    name: `crash-${profile.name}`,
    requires: ['queue', claimNeeded(profile)],
    description: `every crash state (${profile.name}) of random workloads of up to ${MAX_CRASH_STEPS} calls: reopening gives back every acknowledged item in full, nothing removed, nothing twice, nothing never enqueued`,
    defaultRuns: 100,
    testRuns: 10,
    build: (ctx) =>
      fc.asyncProperty(fc.array(crashStepArb, { minLength: 1, maxLength: MAX_CRASH_STEPS }), fc.noShrink(fc.integer()), async (steps, seed) =>
        assertQueueSurvives(adapterOf(ctx, 'queue'), steps, profile, seed),
      ) as unknown as fc.IAsyncProperty<never>,
  };
}

/** The crash properties, one per persistence profile. */
export const QUEUE_CRASH_PROPERTIES: readonly PropertyDef[] = PROFILES.map(crashProperty);
