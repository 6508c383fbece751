/**
 * `journal/device-errors`: a journal stays correct and usable when its device fails now and then:
 * up to three device calls after the journal started (the n-th read, write or flush) fail with an
 * I/O error, as in `ring/adapter-device-errors` (a read returns nothing, a flush makes nothing
 * durable, a write lands, is lost or lands torn), while ops are pushed and performed. Judged as
 * `faulty-session.ts` says: a push fails only where a fault hit it, every acknowledged op is
 * performed without a restart (the loop retries a batch it failed to read or release), batches in
 * push order, and the journal starts again.
 */
import fc from 'fast-check';
import type { JournalAdapter } from '../../targets/journal-adapter.ts';
import { faultReport } from '../ring/faulty-session.ts';
import { faultsArb, faultsAt, faultyRingDevice, type DeviceFault } from '../ring/device-faults.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { journalStepsArb, runJournalUnderFaults, type JournalStep } from './faulty-session.ts';

/** Pushes `ops` under `faults` (counted from the start); throws what it breaks. */
async function assertJournalSurvivesDeviceErrors(adapter: JournalAdapter, ops: readonly JournalStep[], faults: readonly DeviceFault[]): Promise<void> {
  const injected = faultsAt(faultyRingDevice(faults), faults, false);
  const { log, problems } = await runJournalUnderFaults(adapter, ops, injected);
  if (problems.length > 0) throw new Error(faultReport('the journal', injected.describe(), log, problems));
}

export const journalDeviceErrors: PropertyDef = {
  suite: 'journal',
  name: 'device-errors',
  requires: ['journal'],
  description: 'up to 3 device calls fail (a read returns nothing, a flush makes nothing durable, a write lands, is lost or lands torn) while ops are pushed and performed: only those pushes fail, with the device error, every acknowledged op is performed without a restart, batches in push order, and the journal starts again',
  defaultRuns: 400,
  testRuns: 30,
  build: (ctx) =>
    fc.asyncProperty(journalStepsArb, faultsArb, async (ops, faults) =>
      assertJournalSurvivesDeviceErrors(adapterOf(ctx, 'journal'), ops, faults),
    ) as unknown as fc.IAsyncProperty<never>,
};
