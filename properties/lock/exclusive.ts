/**
 * `lock/exclusive`: a file lock never has two live holders. Two or three processes race, every
 * file-system call of each an interleaving point chosen (and replayed) by fast-check's scheduler,
 * to take the lock on one file, each through its own view of one simulated disk; a holder does a
 * few more calls while it holds the lock, then releases it. Sometimes a process that died holding
 * the lock has left it behind, older than the lock's stale age, so the racers must take it over.
 * Checked: at no moment do two processes hold the lock; and some racer got it (a lock nobody
 * holds, or a stale one, can be taken). An attempt that fails with an error (rather than saying
 * the lock is held) counts as not getting it; the report shows what it said.
 *
 * Time: lock packages judge a lock's age by the wall clock (`Date`), so the run freezes
 * `Date` at the simulated disk's clock, which does not move (`sim/wall-clock.ts`): every lock a
 * racer makes is fresh, only the dead holder's lock is old, and every run replays exactly.
 */
import fc from 'fast-check';
import { inSimulatedProcess } from '../../sim/node-fs/context.ts';
import { FsOverVfs, runAsync } from '../../sim/node-fs/fs-over-vfs.ts';
import { interleavingSeedArb, racingVolume, seededScheduler } from '../../sim/racing-processes.ts';
import { withFrozenWallClock } from '../../sim/wall-clock.ts';
import { routeOnce } from '../routed-code.ts';
import { START_MS } from '../multispool/test-spoolable.ts';
import { raceViolation } from '../races/race-violation.ts';
import { errorText } from '../session-report.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';

const DIR = '/data';
const FILE = '/data/resource';

export const lockExclusive: PropertyDef = {
  suite: 'lock',
  name: 'exclusive',
  requires: ['lock'],
  description: 'two or three processes race call by call to take one file lock, sometimes over a stale lock left by a dead holder: never two live holders, and someone gets a lock nobody holds',
  defaultRuns: 300,
  testRuns: 50,
  build: (ctx) =>
    fc.asyncProperty(interleavingSeedArb, fc.integer({ min: 2, max: 3 }), fc.boolean(), fc.nat({ max: 3 }), async (seed, racers, staleLeftBehind, holdCalls) => {
      const adapter = adapterOf(ctx, 'lock');
      routeOnce(adapter);
      const world = racingVolume(seededScheduler(seed), { startMs: START_MS });
      const lock = await adapter.load({ clock: world.clock });
      await world.inspect.mkdir(DIR);
      const f = await world.inspect.open(FILE, { write: true, create: true });
      await f.close();
      if (staleLeftBehind) await adapter.leaveStaleLock(world.inspect, FILE, START_MS - 10 * adapter.staleMs - 60_000);
      const events: string[] = [];
      const problems: string[] = [];
      let holding: string[] = [];
      let acquired = 0;
      const race = async (who: string): Promise<void> => {
        const fs = new FsOverVfs(world.spawn(who).vfs);
        await inSimulatedProcess(fs, async () => {
          const release = await lock.acquire(FILE);
          if (release === undefined) {
            events.push(`${who}: busy`);
            return;
          }
          acquired++;
          holding = [...holding, who];
          events.push(`${who}: acquired (holders now: ${holding.join(', ')})`);
          if (holding.length > 1) problems.push(`${holding.join(' and ')} hold the lock at once`);
          for (let i = 0; i < holdCalls; i++) await runAsync(fs.stat(FILE));
          holding = holding.filter((h) => h !== who);
          events.push(`${who}: releasing`);
          await release();
        });
      };
      await withFrozenWallClock(world.clock.now(), async () => {
        world.racing = true;
        // A racer whose attempt fails with an error did not get the lock; what it says is shown, not judged.
        const runs = Array.from({ length: racers }, (_, i) => race(`p${i + 1}`).catch((err: unknown) => void events.push(`p${i + 1}: the attempt failed: ${errorText(err)}`)));
        await world.settle();
        await Promise.all(runs);
        world.racing = false;
      });
      if (acquired === 0) problems.push(`nobody got the lock${staleLeftBehind ? ' (a stale lock of a dead holder was there)' : ''}, though nobody held it`);
      if (problems.length > 0) {
        throw raceViolation([...new Set(problems)].join('\n'), world, ['what the racers saw:', ...events.map((e) => `  ${e}`), `a stale lock of a dead holder was left behind: ${staleLeftBehind ? 'yes' : 'no'}`].join('\n'));
      }
    }) as unknown as fc.IAsyncProperty<never>,
};

/** The lock suite. */
export const LOCK_PROPERTIES: readonly PropertyDef[] = [lockExclusive];
