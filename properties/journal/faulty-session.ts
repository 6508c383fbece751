/**
 * A journal session under injected device faults, judged through the `JournalAdapter` and what
 * it performs (shared by `journal/ambiguous-write` and `journal/device-errors`). Ops are pushed
 * (some right after another, some after the journal's loop has performed the last), time passes
 * for retries, and the journal shuts down and starts again on the same device. No power cut.
 * What it demands:
 * - a push fails only if an injected fault hit it, and then with the device's error in its
 *   message (a journal that refuses pushes for good after one failed request is unusable);
 * - every op whose push resolved is performed, without a restart, once time has passed (a failed
 *   read or release of a batch is retried, so ops may be performed again: at least once);
 * - every batch is in push order, skipping only ops whose push failed (performed or not);
 * - the journal starts again on the same device (again, if an injected fault failed a start),
 *   and finds nothing to perform: long after the last fault, everything in the ring has been
 *   performed and released (a failed release is retried, not forgotten; an op whose push failed
 *   yet was published is performed without waiting for another push).
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import type { BlockDevice } from '../../impl/io/block-device.ts';
import type { JournalAdapter } from '../../targets/journal-adapter.ts';
import { failedCallProblem } from '../ring/faulty-session.ts';
import { errorText } from '../session-report.ts';
import { settleJournal } from './settle.ts';

/** How long, in ms, the harness lets pass after the pushes (in steps), for retries to run. */
const WAIT_STEPS = 6;
const WAIT_STEP_MS = 10_000;

/** One op of a session: its size, and whether the loop is let perform before the next push. */
export interface JournalStep {
  readonly size: number;
  readonly thenWait: boolean;
}

/** A faulty session's ops: up to 8, small ones and ones of a sector or more. */
export const journalStepsArb: fc.Arbitrary<JournalStep[]> = fc.array(fc.record({ size: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 300, max: 700 })), thenWait: fc.boolean() }), { minLength: 1, maxLength: 8 });

/** The device a faulty journal session runs on; its faults count from `arm()`, called once the journal has started. */
export interface ArmedFaults {
  readonly device: BlockDevice;
  arm(): void;
  hits(): number;
}

/** Runs the session and judges it: the log, and what it violated (nothing: it held). */
export async function runJournalUnderFaults(adapter: JournalAdapter, ops: readonly JournalStep[], faults: ArmedFaults): Promise<{ log: string[]; problems: string[] }> {
  const clock = manualClock(0);
  const performed: string[][] = [];
  const perform = async (batch: readonly string[]): Promise<'ok'> => {
    performed.push([...batch]);
    return 'ok';
  };
  const journal = await adapter.start({ device: faults.device, clock, perform });
  faults.arm();
  const log: string[] = [];
  const problems: string[] = [];
  const acked: number[] = [];
  const doubt = new Set<number>();
  for (const [i, { size, thenWait }] of ops.entries()) {
    const op = `${i}:${'o'.repeat(size)}`;
    const before = faults.hits();
    try {
      await journal.push(op);
      acked.push(i);
      log.push(`push op ${i} (${op.length} bytes) → ok`);
    } catch (err) {
      const hit = faults.hits() > before;
      const text = errorText(err);
      log.push(`push op ${i} (${op.length} bytes) threw: ${text}${hit ? '   <- an injected fault hit this push' : ''}`);
      const problem = failedCallProblem(`push of op ${i}`, text, hit);
      if (problem !== undefined) problems.push(problem);
      doubt.add(i);
    }
    // Letting the journal's loop perform (and release) before the next push, or pushing at once.
    if (thenWait) await settleJournal();
  }
  for (let k = 0; k < WAIT_STEPS; k++) {
    clock.advance(WAIT_STEP_MS);
    await settleJournal();
  }
  log.push(`${faults.hits()} injected fault(s) came; performed: ${performed.map((b) => `[${b.map((o) => o.split(':')[0]).join(', ')}]`).join(' ') || 'nothing'}`);
  const index = (op: string): number => Number(op.split(':')[0]);
  const done = new Set(performed.flat().map(index));
  for (const i of acked) if (!done.has(i)) problems.push(`op ${i} was acknowledged but never performed (${WAIT_STEPS * WAIT_STEP_MS} ms later, no restart)`);
  for (const [b, batch] of performed.entries()) {
    for (let k = 1; k < batch.length; k++) {
      const from = index(batch[k - 1] as string);
      const to = index(batch[k] as string);
      let skipsOnlyDoubts = to > from;
      for (let j = from + 1; j < to; j++) if (!doubt.has(j)) skipsOnlyDoubts = false;
      if (!skipsOnlyDoubts) problems.push(`batch ${b + 1} is not in push order: ${batch.map(index).join(', ')}`);
    }
  }
  await journal.shutdown();
  // Starting again: a start an injected fault failed is tried again. Every fault has passed long
  // ago, so a journal that retries what failed has performed and released everything: the new one
  // must find nothing to perform.
  for (;;) {
    const before = faults.hits();
    try {
      const replayed: string[] = [];
      const again = await adapter.start({
        device: faults.device,
        clock,
        perform: async (batch) => {
          replayed.push(...batch);
          return 'ok';
        },
      });
      await settleJournal();
      clock.advance(WAIT_STEP_MS);
      await settleJournal();
      await again.shutdown();
      if (faults.hits() === before && replayed.length > 0) {
        problems.push(`after a restart the journal performed op(s) ${replayed.map(index).join(', ')}: ${WAIT_STEPS * WAIT_STEP_MS} ms after the last push, with every fault passed, they were still in the ring, not performed or not released`);
      }
      break;
    } catch (err) {
      if (faults.hits() > before) continue;
      problems.push(`the journal does not start again on the same device: ${errorText(err)}`);
      break;
    }
  }
  return { log, problems };
}
