/**
 * `journal/concurrent-pushes`: pushes made as an event loop makes them, and a shutdown that ends
 * everything it interrupts. Ops are pushed without waiting for one another (large ones fill the
 * ring, so later pushes wait for room), while the journal's `perform` is held back or lets
 * batches through (and may answer `error` to the first batches, so the journal waits to retry
 * them); then `shutdown` is called with pushes still waiting, and the held performs are let go.
 * Demanded, without any wall-clock wait (the harness counts event-loop turns, and every
 * time is a manual clock):
 *  - while perform lets batches through, every push resolves before the shutdown: a push that
 *    found the ring full is woken when a batch is released, even one released while that push
 *    was still looking at the ring (variant JRN-9 listens for the release too late);
 *  - the shutdown returns, and every push settles: it resolves or rejects, none waits for ever
 *    (a push waiting for room must be woken by the shutdown and refused: variant JRN-5);
 *  - the shutdown returns only once the batch in progress is over: no perform is running when it
 *    returns, and none starts after (the device is let go: variant JRN-10 returns at once);
 *  - a push after the shutdown is refused at once;
 *  - every op whose push resolved is performed, before the shutdown or by the journal started
 *    again on the same device (at least once): two pushes in flight at once must not write over
 *    each other (variant JRN-8).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { memoryBlockDevice } from '../../impl/io/memory-block-device.ts';
import type { JournalAdapter } from '../../targets/journal-adapter.ts';
import { RING_DEVICE } from '../../targets/ring-adapter.ts';
import { interleavingSeedArb, racingProcesses, seededScheduler } from '../../sim/racing-processes.ts';
import { errorText } from '../session-report.ts';
import { adapterOf, violationsProperty, type PropertyDef } from '../suite.ts';
import { SETTLE_ROUNDS, settleJournal, settlesWithin, watch, type Watched } from './settle.ts';

/** A session: op sizes pushed at once (`wait`: let the loop run first), and whether perform is held until the shutdown. */
export interface PushSession {
  readonly pushes: readonly { readonly size: number; readonly wait: boolean }[];
  readonly holdPerform: boolean;
  /** How many batches perform answers `error` first (each is retried after the journal's interval). */
  readonly failFirst: number;
  /**
   * The seed of a scheduler that interleaves the journal's device calls (every sector read, write
   * and flush, of its loop and of its pushes, waits for it: `sim/racing-processes.ts`), so a
   * release can land while a push is half-way through its look at the ring; `stalls[i]` is how
   * many more turns every device call made for push i waits (a slow caller: its look at the ring
   * can span a whole release by the loop); absent: calls run in the order the event loop gives
   * them.
   */
  readonly interleaving: { readonly seed: number; readonly stalls: readonly number[] } | undefined;
}

/** Which push a device call is made for (undefined: the journal's own loop), followed through its promise chain. */
const pushCaller = new AsyncLocalStorage<number>();

/** Runs the session; the violations in words (none: it held). */
export async function runPushSession(adapter: JournalAdapter, session: PushSession): Promise<string[]> {
  const device = memoryBlockDevice({ ...RING_DEVICE });
  const { interleaving } = session;
  const world = interleaving === undefined ? undefined : racingProcesses(seededScheduler(interleaving.seed));
  const journalDevice = world === undefined || interleaving === undefined ? device : world.spawn('journal', { stall: () => interleaving.stalls[pushCaller.getStore() ?? -1] ?? 0 }).process.device(device);
  const settle = world === undefined ? settleJournal : () => world.settle();
  const clock = manualClock(0);
  /** Lets time pass a second at a time, the journal running between, while `busy()` says something is still pending (at most SETTLE_ROUNDS seconds). */
  const runWhile = async (busy: () => boolean): Promise<void> => {
    for (let k = 0; k < SETTLE_ROUNDS && busy(); k++) {
      clock.advance(1_000);
      await settle();
    }
  };
  const performed = new Set<string>();
  let release: () => void = () => undefined;
  const gate = session.holdPerform ? new Promise<void>((r) => (release = r)) : Promise.resolve();
  let failures = session.failFirst;
  /** Performs running now; performs running when the shutdown returned, and started after it. */
  let running = 0;
  let shutDown = false;
  let runningAtShutdown = 0;
  let startedAfterShutdown = 0;
  const journal = await adapter.start({
    device: journalDevice,
    clock,
    perform: async (batch) => {
      if (shutDown) startedAfterShutdown++;
      running++;
      try {
        await gate;
        if (failures > 0) {
          failures--;
          return 'error';
        }
        for (const op of batch) performed.add(op);
        return 'ok';
      } finally {
        running--;
      }
    },
  });
  // Started straight; from now on the scheduler orders every device call.
  if (world !== undefined) world.racing = true;
  const ops = session.pushes.map(({ size }, i) => `${i}:${'s'.repeat(size)}`);
  const pushes: Watched[] = [];
  for (const [i, { wait }] of session.pushes.entries()) {
    const op = ops[i] as string;
    // Under a scheduler, the caller's push is one more interleaving point: it may come at any
    // moment of the loop's batch, not only between two of the caller's own steps.
    pushes.push(watch(world === undefined ? journal.push(op) : world.scheduler.schedule(Promise.resolve(), `caller push of op ${i}`).then(() => pushCaller.run(i, () => journal.push(op)))));
    if (wait) await settle();
  }
  await settle();
  const problems: string[] = [];
  if (!session.holdPerform) {
    // Batches go through (after at most failFirst retries): every push gets its room.
    await runWhile(() => pushes.some((p) => p.state === 'pending'));
    const waiting = pushes.flatMap((p, i) => (p.state === 'pending' ? [i] : []));
    if (waiting.length > 0) problems.push(`push(es) of op ${waiting.join(', ')} still wait for room after ${SETTLE_ROUNDS} s of batches performed and released: a push that found the ring full was not woken by the release`);
  }
  const shutdown = watch(
    journal.shutdown().then(() => {
      shutDown = true;
      runningAtShutdown = running;
    }),
  );
  await settle();
  release();
  await runWhile(() => shutdown.state === 'pending' || pushes.some((p) => p.state === 'pending'));
  if (runningAtShutdown > 0) problems.push(`the shutdown returned while ${runningAtShutdown} perform(s) were still running: it must end the batch in progress first`);
  if (startedAfterShutdown > 0) problems.push(`${startedAfterShutdown} perform(s) started after the shutdown had returned`);
  if (shutdown.state !== 'resolved') problems.push(`the shutdown ${shutdown.state === 'pending' ? 'never returned' : `failed: ${errorText(shutdown.error)}`}`);
  const stuck = pushes.flatMap((p, i) => (p.state === 'pending' ? [i] : []));
  if (stuck.length > 0) problems.push(`push(es) of op ${stuck.join(', ')} never settled: the shutdown left them waiting`);
  if (shutdown.state !== 'resolved') return problems;
  const late = watch(journal.push('late'));
  await settle();
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
  if (problems.length > 0 && world !== undefined) problems.push(world.report(80));
  return problems;
}

/** The session arbitrary: a few small ops and enough large ones to fill the ring. */
export const pushSessionArb: fc.Arbitrary<PushSession> = fc.record({
  pushes: fc.array(fc.record({ size: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 900, max: 2_000 }), fc.integer({ min: 3_000, max: 6_650 })), wait: fc.boolean() }), { minLength: 1, maxLength: 10 }),
  holdPerform: fc.boolean(),
  failFirst: fc.nat({ max: 2 }),
  interleaving: fc.oneof(
    fc.constant(undefined),
    fc.record({ seed: interleavingSeedArb, stalls: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 })), { minLength: 10, maxLength: 10 }) }),
  ),
});

/** The concurrent-pushes property. */
export const journalConcurrentPushes: PropertyDef = {
  suite: 'journal',
  name: 'concurrent-pushes',
  requires: ['journal'],
  description: 'pushes made without waiting for one another are all performed once acknowledged (none writes over another); a shutdown with pushes waiting for room in a full ring returns and settles every push; a later push is refused; every acknowledged op is performed, before the shutdown or after a restart',
  defaultRuns: 300,
  testRuns: 40,
  build: (ctx) => violationsProperty(pushSessionArb, (session) => runPushSession(adapterOf(ctx, 'journal'), session)),
};
