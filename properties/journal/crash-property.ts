/**
 * The journal after a power cut (docs/journal-protocol.md): ops are pushed (performed in batches as they go) on a
 * faulty device; the power goes before some device write or flush, the unflushed writes land in
 * a random order, whole, dropped or torn; the journal is started again on what survived. Every op
 * whose push returned must then be performed at least once, and every batch must run in push
 * order, starting no later than the first op not yet performed. Checked through the journal's
 * adapter and what it performs alone, so it applies to any journal with a `JournalAdapter`.
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { seededRandom } from '../../sim/crash/prng.ts';
import { faultyBlockDevice, granulesPerSector } from '../../sim/faulty-block.ts';
import { randomCrashPlan } from '../ring/crash-property.ts';
import type { JournalAdapter } from '../../targets/journal-adapter.ts';
import { stoppingDevice } from '../ring/workload.ts';
import { errorText } from '../session-report.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { settleJournal } from './settle.ts';

/** Runs one workload on `adapter` with a power cut before device call `stopAt`; returns the violations. */
export async function journalCrashRound(adapter: JournalAdapter, sizes: readonly number[], stopAt: number, seed: number): Promise<{ problems: string[]; calls: number }> {
  const options = { sectorSize: 512, sectorCount: 6, tearGranularity: 8 as const, sectorAtomic: false };
  const device = faultyBlockDevice(options);
  const stopping = stoppingDevice(device, stopAt);
  const clock = manualClock(0);
  const performed: string[][] = [];
  const acked: string[] = [];
  const perform = async (batch: readonly string[]): Promise<'ok'> => {
    performed.push([...batch]);
    return 'ok';
  };
  let cut = false;
  try {
    const journal = await adapter.start({ device: stopping, clock, perform });
    for (const [i, size] of sizes.entries()) {
      const op = `${i}:${'o'.repeat(size)}`;
      await journal.push(op);
      acked.push(op);
      await settleJournal();
    }
    await settleJournal();
  } catch (err) {
    if (!stopping.stopped()) throw err;
    cut = true;
  }
  const calls = stopping.calls();
  const before = performed.length;
  const plan = randomCrashPlan(device.pendingWrites().length, seededRandom(seed), granulesPerSector(512, 8), false);
  const restarted = device.restart(device.crash(plan));
  let again;
  try {
    again = await adapter.start({ device: restarted, clock, perform });
  } catch (err) {
    return { problems: [`the journal does not start after the crash: ${errorText(err)}`], calls };
  }
  const problems: string[] = [];
  for (let i = 0; i < 5; i++) {
    clock.advance(10_000);
    await settleJournal();
  }
  await again.shutdown();
  const all = performed.flat();
  for (const op of acked) if (!all.includes(op)) problems.push(`op ${op.split(':')[0]} was acknowledged but never performed${cut ? ' (after the crash)' : ''}`);
  const index = (op: string): number => Number(op.split(':')[0]);
  for (const [b, batch] of performed.entries()) {
    for (let k = 1; k < batch.length; k++) {
      if (index(batch[k] as string) !== index(batch[k - 1] as string) + 1) problems.push(`batch ${b + 1} is not in push order: ${batch.map(index).join(', ')}`);
    }
  }
  const performedBefore = new Set(performed.slice(0, before).flat().map(index));
  const firstUnperformed = acked.map(index).find((i) => !performedBefore.has(i));
  const firstAfter = performed[before]?.[0];
  if (firstUnperformed !== undefined && firstAfter !== undefined && index(firstAfter) > firstUnperformed) {
    problems.push(`after the crash the journal resumed at op ${index(firstAfter)}, skipping op ${firstUnperformed}`);
  }
  return { problems, calls };
}

/** The journal crash property: every power-cut point of a random workload. */
export const journalCrash: PropertyDef = {
  suite: 'journal',
  requires: ['journal', 'journal-survives-torn-writes'],
  name: 'crash-at-least-once',
  description: 'a power cut before any device write or flush: every acknowledged op is performed at least once, in order, after the restart',
  defaultRuns: 150,
  testRuns: 10,
  build: (ctx) =>
    fc.asyncProperty(fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 300, max: 700 })), { minLength: 1, maxLength: 6 }), fc.noShrink(fc.integer()), async (sizes, seed) => {
      const adapter = adapterOf(ctx, 'journal');
      const { calls: total } = await journalCrashRound(adapter, sizes, Number.POSITIVE_INFINITY, seed);
      for (let k = 0; k < total; k++) {
        const { problems } = await journalCrashRound(adapter, sizes, k, seed + k);
        if (problems.length > 0) throw new Error(`power cut before device call ${k} of ${total}:\n  ${problems.join('\n  ')}`);
      }
    }) as unknown as fc.IAsyncProperty<never>,
};
