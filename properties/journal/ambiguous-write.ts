/**
 * `journal/ambiguous-write`: a journal stays correct and usable after one ambiguous device write:
 * a write that fails with an I/O error yet lands all the same, is lost, or lands torn at 8-byte
 * granules (`sim/faulty-block.ts`), at a random write after the journal started, while ops are
 * pushed (some right after another, some after the journal's loop has performed the last) and
 * performed, judged as `faulty-session.ts` says: only the push whose write failed may fail, every
 * acknowledged op is performed without a restart, batches in push order, and the journal starts
 * again on the same device.
 */
import fc from 'fast-check';
import type { AmbiguousOutcome } from '../../sim/faulty-block.ts';
import type { JournalAdapter } from '../../targets/journal-adapter.ts';
import { ambiguousWriteReport } from '../ring/adapter-ambiguous-write.ts';
import { faultsAt, faultyRingDevice, outcomeArb, type DeviceFault } from '../ring/device-faults.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { journalStepsArb, runJournalUnderFaults, type JournalStep } from './faulty-session.ts';

/** Pushes ops of `sizes` with device write `at` (after the start) ambiguous; throws what it breaks. */
export async function assertJournalSurvivesAmbiguousWrite(adapter: JournalAdapter, ops: readonly JournalStep[], at: number, outcome: AmbiguousOutcome): Promise<void> {
  const faults: DeviceFault[] = [{ on: 'write', nth: at, write: outcome }];
  const { log, problems } = await runJournalUnderFaults(adapter, ops, faultsAt(faultyRingDevice(faults), faults, false));
  if (problems.length > 0) throw new Error(ambiguousWriteReport('the journal', `device write #${at} after the start`, outcome, log, problems));
}

export const journalAmbiguousWrite: PropertyDef = {
  suite: 'journal',
  name: 'ambiguous-write',
  requires: ['journal'],
  description: 'one device write fails yet lands (or is lost, or lands torn) while ops are pushed and performed: only that push may fail, every acknowledged op is performed without a restart, batches in push order, and the journal starts again',
  defaultRuns: 200,
  testRuns: 30,
  build: (ctx) =>
    fc.asyncProperty(journalStepsArb, fc.nat({ max: 24 }), outcomeArb, async (ops, at, outcome) =>
      assertJournalSurvivesAmbiguousWrite(adapterOf(ctx, 'journal'), ops, at, outcome),
    ) as unknown as fc.IAsyncProperty<never>,
};
