/**
 * `ring/adapter-ambiguous-write`: a ring stays correct and usable after one ambiguous device
 * write: a write that fails with an I/O error yet lands all the same, is lost, or lands torn at
 * 8-byte granules (`sim/faulty-block.ts`), at a random write of a random workload of pushes,
 * pops and advances, judged as `faulty-session.ts` says: only the call whose write failed may
 * fail (a ring that turns `corrupt` for good after one failed write is unusable), every
 * acknowledged item is delivered once, in order, the failed push at most once, nothing else.
 */
import fc from 'fast-check';
import type { AmbiguousOutcome } from '../../sim/faulty-block.ts';
import type { RingAdapter } from '../../targets/ring-adapter.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import type { RingAdapterStep } from './adapter-session.ts';
import { faultsAt, faultyRingDevice, outcomeArb, type DeviceFault } from './device-faults.ts';
import { faultReport, faultyStepsArb, runFaultySession } from './faulty-session.ts';

/** Runs the workload with one ambiguous write; throws what it breaks. */
async function assertSurvivesAmbiguousWrite(adapter: RingAdapter, steps: readonly RingAdapterStep[], at: number, outcome: AmbiguousOutcome): Promise<void> {
  const faults: DeviceFault[] = [{ on: 'write', nth: at, write: outcome }];
  const faulty = faultyRingDevice(faults);
  await adapter.create({ device: faulty });
  const { log, problems } = await runFaultySession(adapter, faultsAt(faulty, faults), steps);
  if (problems.length > 0) throw new Error(ambiguousWriteReport('the ring', `write #${at} after the ring was made`, outcome, log, problems));
}

/** The report of a session that one ambiguous write (`which`, with `outcome`) broke: what `what` did and what it violated. */
export function ambiguousWriteReport(what: string, which: string, outcome: AmbiguousOutcome, log: readonly string[], problems: readonly string[]): string {
  const fate = outcome.kind === 'lands' ? 'landed all the same' : outcome.kind === 'lost' ? 'was lost' : 'landed in part';
  return faultReport(what, `one ambiguous write (${which}: it failed and ${fate})`, log, problems);
}

export const adapterAmbiguousWrite: PropertyDef = {
  suite: 'ring',
  name: 'adapter-ambiguous-write',
  requires: ['ring'],
  description: 'one device write fails yet lands (or is lost, or lands torn) at a random point of a random workload: only that call fails, every acknowledged item pops out once, in order, byte for byte, the failed push at most once, nothing else',
  defaultRuns: 300,
  testRuns: 40,
  build: (ctx) =>
    fc.asyncProperty(faultyStepsArb, fc.nat({ max: 30 }), outcomeArb, async (steps, at, outcome) =>
      assertSurvivesAmbiguousWrite(adapterOf(ctx, 'ring'), steps, at, outcome),
    ) as unknown as fc.IAsyncProperty<never>,
};
