/**
 * `ring/adapter-device-errors`: a ring stays correct and usable when its device fails now and
 * then. Up to three device calls of a random workload (the n-th read, write or flush from when
 * the ring is made) fail with an I/O error: a read returns nothing, a flush makes
 * nothing durable, a write is ambiguous (it lands all the same, is lost, or lands torn at 8-byte
 * granules; `sim/faulty-block.ts`). Judged as `faulty-session.ts` says: a call fails only where a
 * fault hit it, with the device's error in its message; every acknowledged item is delivered
 * once, in order, byte for byte; a failed push at most once; nothing else. Where the ambiguous
 * write property exercises the write paths, this one reaches every error path of both ends: the
 * failed read of a control sector, of an item, the failed flush before and after publishing, a
 * failed read-back after a failed control write.
 */
import fc from 'fast-check';
import type { RingAdapter } from '../../targets/ring-adapter.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import type { RingAdapterStep } from './adapter-session.ts';
import { faultsArb, faultsAt, faultyRingDevice, MAX_FAULTS, type DeviceFault } from './device-faults.ts';
import { faultReport, faultyStepsArb, runFaultySession } from './faulty-session.ts';

/** Runs the workload under `faults`; throws what it breaks. */
async function assertSurvivesDeviceErrors(adapter: RingAdapter, steps: readonly RingAdapterStep[], faults: readonly DeviceFault[]): Promise<void> {
  const faulty = faultyRingDevice(faults);
  await adapter.create({ device: faulty });
  const injected = faultsAt(faulty, faults);
  const { log, problems } = await runFaultySession(adapter, injected, steps);
  if (problems.length > 0) throw new Error(faultReport('the ring', injected.describe(), log, problems));
}

export const adapterDeviceErrors: PropertyDef = {
  suite: 'ring',
  name: 'adapter-device-errors',
  requires: ['ring'],
  description: `up to ${MAX_FAULTS} device calls of a random workload fail (a read returns nothing, a flush makes nothing durable, a write lands, is lost or lands torn): only those calls fail, with the device's error, every acknowledged item pops out once, in order, byte for byte, a failed push at most once, nothing else`,
  defaultRuns: 300,
  testRuns: 40,
  build: (ctx) =>
    fc.asyncProperty(faultyStepsArb, faultsArb, async (steps, faults) => assertSurvivesDeviceErrors(adapterOf(ctx, 'ring'), steps, faults)) as unknown as fc.IAsyncProperty<never>,
};
