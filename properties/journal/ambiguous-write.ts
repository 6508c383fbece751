/**
 * `journal/ambiguous-write`: a journal stays correct and usable after one ambiguous device write:
 * a write that fails with an I/O error yet lands all the same, is lost, or lands torn at 8-byte
 * granules (`sim/faulty-block.ts`), at a random write after the journal started, while ops are
 * pushed (some right after another, some after the journal's loop has performed the last) and
 * performed. No power cut. Judged through the `JournalAdapter` and what it performs:
 * - at most one push fails, and only one whose device write was the ambiguous one: every later
 *   push works (a journal that refuses pushes for good after one failed write is unusable);
 * - every op whose push resolved is performed, without a restart, once time has passed (a failed
 *   release of a batch is retried, so ops may be performed again: at least once is the promise);
 * - every batch is in push order, skipping at most the op whose push failed (which may be
 *   performed or not);
 * - afterwards the journal shuts down and starts again on the same device.
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import type { AmbiguousOutcome } from '../../sim/faulty-block.ts';
import { faultyBlockDevice } from '../../sim/faulty-block.ts';
import type { JournalAdapter } from '../../targets/journal-adapter.ts';
import { RING_DEVICE } from '../../targets/ring-adapter.ts';
import { ambiguousAt, ambiguousWriteReport, outcomeArb } from '../ring/adapter-ambiguous-write.ts';
import { errorText } from '../session-report.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { settleJournal } from './settle.ts';

/** How long, in ms, the harness lets pass after the pushes (in steps), for retries to run. */
const WAIT_STEPS = 6;
const WAIT_STEP_MS = 10_000;

/** Pushes ops of `sizes` with device write `at` (after the start) ambiguous; throws what it breaks. */
export async function assertJournalSurvivesAmbiguousWrite(adapter: JournalAdapter, ops: readonly { readonly size: number; readonly thenWait: boolean }[], at: number, outcome: AmbiguousOutcome): Promise<void> {
  const faulty = faultyBlockDevice({ ...RING_DEVICE, tearGranularity: 8, faultBudget: { ambiguous: 1 } });
  const armed = ambiguousAt(faulty, at, outcome, false);
  const clock = manualClock(0);
  const performed: string[][] = [];
  const perform = async (batch: readonly string[]): Promise<'ok'> => {
    performed.push([...batch]);
    return 'ok';
  };
  const journal = await adapter.start({ device: armed.device, clock, perform });
  armed.arm();
  const log: string[] = [];
  const problems: string[] = [];
  const acked: number[] = [];
  let doubt: number | undefined;
  for (const [i, { size, thenWait }] of ops.entries()) {
    const op = `${i}:${'o'.repeat(size)}`;
    const before = armed.hit();
    try {
      await journal.push(op);
      acked.push(i);
      log.push(`push op ${i} (${op.length} bytes) → ok`);
    } catch (err) {
      const mine = !before && armed.hit();
      log.push(`push op ${i} (${op.length} bytes) threw: ${errorText(err)}${mine ? '   <- the ambiguous write' : ''}`);
      if (!mine || doubt !== undefined) problems.push(`push of op ${i} failed${mine ? '' : ', though the ambiguous write was elsewhere or done'}: ${errorText(err)} (after one ambiguous write every other push must work)`);
      else doubt = i;
    }
    // Letting the journal's loop perform (and release) before the next push, or pushing at once.
    if (thenWait) await settleJournal();
  }
  for (let k = 0; k < WAIT_STEPS; k++) {
    clock.advance(WAIT_STEP_MS);
    await settleJournal();
  }
  log.push(`${armed.hit() ? 'the ambiguous write came' : 'the ambiguous write never came'} (${outcome.kind}); performed: ${performed.map((b) => `[${b.map((o) => o.split(':')[0]).join(', ')}]`).join(' ') || 'nothing'}`);
  const index = (op: string): number => Number(op.split(':')[0]);
  const done = new Set(performed.flat().map(index));
  for (const i of acked) if (!done.has(i)) problems.push(`op ${i} was acknowledged but never performed (${WAIT_STEPS * WAIT_STEP_MS} ms later, no restart)`);
  for (const [b, batch] of performed.entries()) {
    for (let k = 1; k < batch.length; k++) {
      const gap = index(batch[k] as string) - index(batch[k - 1] as string);
      const skippedDoubt = gap === 2 && doubt === index(batch[k - 1] as string) + 1;
      if (gap !== 1 && !skippedDoubt) problems.push(`batch ${b + 1} is not in push order: ${batch.map(index).join(', ')}`);
    }
  }
  await journal.shutdown();
  try {
    const again = await adapter.start({ device: armed.device, clock, perform: async () => 'ok' });
    await again.shutdown();
  } catch (err) {
    problems.push(`the journal does not start again on the same device: ${errorText(err)}`);
  }
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
    fc.asyncProperty(fc.array(fc.record({ size: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 300, max: 700 })), thenWait: fc.boolean() }), { minLength: 1, maxLength: 8 }), fc.nat({ max: 24 }), outcomeArb, async (ops, at, outcome) =>
      assertJournalSurvivesAmbiguousWrite(adapterOf(ctx, 'journal'), ops, at, outcome),
    ) as unknown as fc.IAsyncProperty<never>,
};
