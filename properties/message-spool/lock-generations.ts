/**
 * `message-spool/lock-generations`: the spool lock alone (impl/message-spool/lock.ts, its
 * generations of `.lock-<g>` files; docs/message-spool-protocol.md "The lock"), taken and handed
 * on by three racing processes, every Vfs call of each an interleaving point of one scheduler
 * (sim/racing-processes.ts), some of them killed at a point of their own, some slow (stalled).
 * Each process takes the lock one or two times, holds it for a few calls, and releases it; a
 * refusal (`locked`) ends its turn. Three processes are what it takes to catch a generation used twice: one releases and
 * another takes the same generation again while a third, which judged the first one's file, is
 * about to create the next. Demanded:
 *  - never do two live processes hold the lock at once;
 *  - generations only grow: each taker's is higher than every one taken before it;
 *  - once every process is done (or dead) and the grace period has passed, a new process takes
 *    the lock at once, and after its release the directory holds exactly one lock file, its
 *    `released` marker (each taker removes the older generations: no litter grows with every open).
 */
import fc from 'fast-check';
import { acquireSpoolLock, DEFAULT_LOCK_GRACE_MS, isMessageSpoolError, lockGeneration, type MessageSpoolQuirks, type SpoolLock } from '../../impl/message-spool/index.ts';
import { interleavingSeedArb, racingVolume, seededScheduler } from '../../sim/racing-processes.ts';
import { watch } from '../journal/settle.ts';
import { errorText } from '../session-report.ts';
import { builtinOf, violationsProperty, type PropertyDef, type RunContext } from '../suite.ts';

const DIR = '/spool';

/** One process: how many times it takes the lock, how many calls it holds it for, where it is killed. */
export interface LockTaker {
  readonly turns: number;
  readonly holdCalls: number;
  readonly killAt: number | undefined;
  /** Extra scheduler turns at each of its calls (a slow process: its judgement of a lock file can span another's whole turn). */
  readonly slow: number;
}

/** The violations of one race, in words (none: it held). */
export async function runLockRace(seed: number, takers: readonly LockTaker[], quirks: MessageSpoolQuirks = {}): Promise<string[]> {
  const world = racingVolume(seededScheduler(seed), { startMs: 1_000 });
  await world.inspect.mkdir(DIR);
  const problems: string[] = [];
  /** Who holds the lock now (acquired, release not yet called). */
  const holders = new Set<string>();
  /** The highest generation taken so far. */
  let highest = 0;
  const took = (who: string, generation: number): void => {
    if (generation <= highest) problems.push(`${who} took generation ${generation}, not above ${highest}, taken before: a generation was used twice`);
    highest = Math.max(highest, generation);
  };
  const racers = takers.map((t, i) => ({ taker: t, racer: world.spawn(`p${i + 1}`, { stall: () => t.slow, ...(t.killAt === undefined ? {} : { killAt: t.killAt }) }) }));
  world.racing = true;
  const runs = racers.map(async ({ taker, racer }) => {
    const { vfs } = racer;
    const { probe } = racer.process;
    for (let turn = 0; turn < taker.turns; turn++) {
      let lock: SpoolLock;
      try {
        lock = await acquireSpoolLock(vfs, DIR, world.clock, probe, { quirks });
      } catch (err) {
        if (isMessageSpoolError(err) && err.kind === 'locked') return;
        throw err;
      }
      const others = [...holders].filter((h) => world.table.isAlive(h));
      if (others.length > 0) problems.push(`${racer.name} took the lock (generation ${lock.generation}) while ${others.join(', ')} held it`);
      took(racer.name, lock.generation);
      holders.add(racer.name);
      for (let k = 0; k < taker.holdCalls; k++) await vfs.readdir(DIR);
      holders.delete(racer.name);
      await lock.release();
    }
  });
  const fate = watch(Promise.all(runs));
  await world.settle();
  world.racing = false;
  // A killed process never finishes its turns; one that was not killed must have.
  if (fate.state === 'pending' && !takers.some((t) => t.killAt !== undefined)) problems.push('a process never finished its turns although no process was killed');
  if (fate.state === 'rejected') problems.push(`a process failed: ${errorText(fate.error)}`);
  // Everyone is done or dead: past the grace period, a newcomer takes the lock at once.
  world.clock.advance(DEFAULT_LOCK_GRACE_MS + 1);
  const newcomer = world.spawn('newcomer');
  try {
    const lock = await acquireSpoolLock(newcomer.vfs, DIR, world.clock, newcomer.process.probe, { quirks });
    took('the newcomer', lock.generation);
    await lock.release();
    const files = (await world.inspect.readdir(DIR)).filter((n) => lockGeneration(n) !== undefined).sort();
    if (files.length !== 1) problems.push(`after the newcomer's release the directory holds ${files.length} lock files (${files.join(', ')}), not one`);
  } catch (err) {
    problems.push(`with every process done or dead, a newcomer could not take the lock: ${errorText(err)}`);
  }
  if (problems.length > 0) problems.push(world.report(120));
  return problems;
}

/** Three processes, some killed. */
export const lockTakersArb: fc.Arbitrary<LockTaker[]> = fc.array(
  fc.record({
    turns: fc.integer({ min: 1, max: 2 }),
    holdCalls: fc.nat({ max: 2 }),
    killAt: fc.option(fc.nat({ max: 24 }), { nil: undefined, freq: 3 }),
    slow: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 })),
  }),
  { minLength: 3, maxLength: 3 },
);

/** The lock-generations property. */
export const lockGenerations: PropertyDef = {
  suite: 'message-spool',
  requires: ['builtin'],
  name: 'lock-generations',
  description: 'three processes racing to take and hand on the spool lock, some killed: never two live holders; afterwards a newcomer takes it at once and leaves one lock file',
  defaultRuns: 300,
  testRuns: 60,
  build: (ctx: RunContext) => violationsProperty(fc.tuple(interleavingSeedArb, lockTakersArb), ([seed, takers]) => runLockRace(seed, takers, builtinOf(ctx).messageSpool)),
};
