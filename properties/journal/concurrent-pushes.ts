/**
 * `journal/concurrent-pushes`: pushes made as an event loop makes them, and a shutdown that ends
 * everything it interrupts. Ops are pushed without waiting for one another (large ones fill the
 * ring, so later pushes wait for room), while the journal's `perform` is held back or lets
 * batches through (and may answer `error` to the first batches, so the journal waits to retry
 * them); then `shutdown` is called with pushes still waiting, and the held performs are let go.
 * Demanded, without any wall-clock wait (the harness counts event-loop turns, and every
 * time is a manual clock):
 *  - the shutdown returns, and every push settles: it resolves or rejects, none waits for ever
 *    (a push waiting for room must be woken by the shutdown and refused: variant JRN-5);
 *  - a push after the shutdown is refused at once;
 *  - every op whose push resolved is performed, before the shutdown or by the journal started
 *    again on the same device (at least once): two pushes in flight at once must not write over
 *    each other (variant JRN-8).
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { memoryBlockDevice } from '../../impl/io/memory-block-device.ts';
import type { JournalAdapter } from '../../targets/journal-adapter.ts';
import { RING_DEVICE } from '../../targets/ring-adapter.ts';
import { errorText } from '../session-report.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { SETTLE_ROUNDS, settleJournal, settlesWithin, watch, type Watched } from './settle.ts';

/** A session: op sizes pushed at once (`wait`: let the loop run first), and whether perform is held until the shutdown. */
export interface PushSession {
  readonly pushes: readonly { readonly size: number; readonly wait: boolean }[];
  readonly holdPerform: boolean;
  /** How many batches perform answers `error` first (each is retried after the journal's interval). */
  readonly failFirst: number;
}

/** Runs the session; the violations in words (none: it held). */
export async function runPushSession(adapter: JournalAdapter, session: PushSession): Promise<string[]> {
  const device = memoryBlockDevice({ ...RING_DEVICE });
  const clock = manualClock(0);
  const performed = new Set<string>();
  let release: () => void = () => undefined;
  const gate = session.holdPerform ? new Promise<void>((r) => (release = r)) : Promise.resolve();
  let failures = session.failFirst;
  const journal = await adapter.start({
    device,
    clock,
    perform: async (batch) => {
      await gate;
      if (failures > 0) {
        failures--;
        return 'error';
      }
      for (const op of batch) performed.add(op);
      return 'ok';
    },
  });
  const ops = session.pushes.map(({ size }, i) => `${i}:${'s'.repeat(size)}`);
  const pushes: Watched[] = [];
  for (const [i, { wait }] of session.pushes.entries()) {
    pushes.push(watch(journal.push(ops[i] as string)));
    if (wait) await settleJournal();
  }
  await settleJournal();
  const shutdown = watch(journal.shutdown());
  await settleJournal();
  release();
  for (let k = 0; k < SETTLE_ROUNDS && (shutdown.state === 'pending' || pushes.some((p) => p.state === 'pending')); k++) {
    clock.advance(1_000);
    await settleJournal();
  }
  const problems: string[] = [];
  if (shutdown.state !== 'resolved') problems.push(`the shutdown ${shutdown.state === 'pending' ? 'never returned' : `failed: ${errorText(shutdown.error)}`}`);
  const stuck = pushes.flatMap((p, i) => (p.state === 'pending' ? [i] : []));
  if (stuck.length > 0) problems.push(`push(es) of op ${stuck.join(', ')} never settled: the shutdown left them waiting`);
  if (shutdown.state !== 'resolved') return problems;
  const late = watch(journal.push('late'));
  await settleJournal();
  if (late.state !== 'rejected') problems.push(`a push after the shutdown ${late.state === 'pending' ? 'waits for ever' : 'was accepted'}, not refused`);
  // Started again on the same device: what was acknowledged and not yet performed is.
  const again = await adapter.start({
    device,
    clock,
    perform: async (batch) => {
      for (const op of batch) performed.add(op);
      return 'ok';
    },
  });
  for (let k = 0; k < 3; k++) {
    clock.advance(10_000);
    await settleJournal();
  }
  if (!(await settlesWithin(again.shutdown()))) problems.push('the journal started again does not shut down');
  const lost = pushes.flatMap((p, i) => (p.state === 'resolved' && !performed.has(ops[i] as string) ? [i] : []));
  if (lost.length > 0) problems.push(`op(s) ${lost.join(', ')} were acknowledged but never performed, before the shutdown or after the restart`);
  return problems;
}

/** The session arbitrary: a few small ops and enough large ones to fill the ring. */
export const pushSessionArb: fc.Arbitrary<PushSession> = fc.record({
  pushes: fc.array(fc.record({ size: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 900, max: 2_000 })), wait: fc.boolean() }), { minLength: 1, maxLength: 10 }),
  holdPerform: fc.boolean(),
  failFirst: fc.nat({ max: 2 }),
});

/** The concurrent-pushes property. */
export const journalConcurrentPushes: PropertyDef = {
  suite: 'journal',
  name: 'concurrent-pushes',
  requires: ['journal'],
  description: 'pushes made without waiting for one another are all performed once acknowledged (none writes over another); a shutdown with pushes waiting for room in a full ring returns and settles every push; a later push is refused; every acknowledged op is performed, before the shutdown or after a restart',
  defaultRuns: 300,
  testRuns: 40,
  build: (ctx) =>
    fc.asyncProperty(pushSessionArb, async (session) => {
      const problems = await runPushSession(adapterOf(ctx, 'journal'), session);
      if (problems.length > 0) throw new Error(problems.join('\n'));
    }) as unknown as fc.IAsyncProperty<never>,
};
