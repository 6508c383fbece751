import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { racingVolume, seededScheduler } from './racing-processes.ts';

const scheduler = (seed: number): fc.Scheduler => {
  const s = fc.sample(fc.scheduler(), { seed, numRuns: 1 })[0];
  if (s === undefined) throw new Error('no scheduler sampled');
  return s;
};

describe('racing processes', () => {
  it('interleaves every call of every process through the scheduler, twice per call', async () => {
    const world = racingVolume(scheduler(1), { startMs: 5_000 });
    const [a, b] = [world.spawn('a'), world.spawn('b')];
    world.racing = true;
    const done = Promise.all([a.vfs.mkdir('/x'), b.vfs.mkdir('/y')]);
    expect(world.scheduler.count()).toBe(2);
    await world.settle();
    await done;
    expect((await world.inspect.readdir('/')).sort()).toEqual(['x', 'y']);
    expect(a.points()).toBe(2);
    const labels = world.scheduler.report().map((t) => t.label);
    expect(labels.sort()).toEqual(['a mkdir /x', 'a mkdir /x returned', 'b mkdir /y', 'b mkdir /y returned']);
    expect(world.report()).toMatch(/#\d+ a call mkdir \/x/);
    expect(world.report()).toMatch(/1\. [ab] mkdir \/[xy] resolved/);
    expect((await world.inspect.stat('/x')).mtimeMs).toBe(5_000);
  });

  it('a stalled point waits its extra turns, labelled, and counts as one point', async () => {
    const world = racingVolume(scheduler(3));
    const slow = world.spawn('slow', { stall: (what) => (what === 'mkdir /s returned' ? 3 : 0) });
    world.racing = true;
    const done = slow.vfs.mkdir('/s');
    await world.settle();
    await done;
    expect(slow.points()).toBe(2);
    expect(world.scheduler.report().map((t) => t.label)).toEqual([
      'slow mkdir /s',
      'slow mkdir /s returned',
      'slow mkdir /s returned (stalled, turn 1 of 3)',
      'slow mkdir /s returned (stalled, turn 2 of 3)',
      'slow mkdir /s returned (stalled, turn 3 of 3)',
    ]);
  });

  it('a stall lets another process overtake: over many interleavings the slow call ends last far more often', async () => {
    const lastIsSlow = async (seed: number, stall: number): Promise<boolean> => {
      const world = racingVolume(scheduler(seed));
      const [slow, fast] = [world.spawn('slow', { stall: () => stall }), world.spawn('fast')];
      world.racing = true;
      const order: string[] = [];
      const done = Promise.all([slow.vfs.mkdir('/s').then(() => order.push('slow')), fast.vfs.mkdir('/f').then(() => fast.vfs.mkdir('/g')).then(() => order.push('fast'))]);
      await world.settle();
      await done;
      return order[1] === 'slow';
    };
    const count = async (stall: number): Promise<number> => {
      let n = 0;
      for (let seed = 0; seed < 40; seed++) if (await lastIsSlow(seed, stall)) n++;
      return n;
    };
    const [plain, stalled] = [await count(0), await count(10)];
    expect(stalled).toBeGreaterThanOrEqual(38);
    expect(plain).toBeLessThan(20);
  });

  it('kills at a "before" point: the call never reaches the disk', async () => {
    const world = racingVolume(scheduler(2));
    const p = world.spawn('p', { killAt: 2 });
    world.racing = true;
    let seen = 0;
    void p.vfs
      .mkdir('/x')
      .then(() => p.vfs.mkdir('/y'))
      .then(() => seen++);
    await world.settle();
    expect(p.process.alive).toBe(false);
    expect(seen).toBe(0);
    expect(await world.inspect.readdir('/')).toEqual(['x']);
    expect(p.process.timeline().map((e) => `${e.kind} ${e.what}`)).toEqual(['call mkdir /x', 'return mkdir /x', 'killed kill -9']);
  });

  it('kills at an "after" point: the call was carried out, its result is never seen', async () => {
    const world = racingVolume(scheduler(3));
    const p = world.spawn('p', { killAt: 1 });
    world.racing = true;
    let seen = 0;
    void p.vfs.mkdir('/x').then(() => seen++);
    await world.settle();
    expect(seen).toBe(0);
    expect(await world.inspect.readdir('/')).toEqual(['x']);
    expect(p.process.timeline().map((e) => e.kind)).toEqual(['call', 'return', 'killed']);
    expect(world.table.isAlive('p')).toBe(false);
  });

  it('does not schedule nor count calls while not racing', async () => {
    const world = racingVolume(scheduler(4));
    const p = world.spawn('p', { killAt: 0 });
    await p.vfs.mkdir('/setup');
    expect(world.scheduler.count()).toBe(0);
    expect(p.points()).toBe(0);
    expect(p.process.alive).toBe(true);
    world.racing = true;
    void p.vfs.mkdir('/never');
    await world.settle();
    expect(p.process.alive).toBe(false);
    expect(await world.inspect.readdir('/')).toEqual(['setup']);
  });
});

describe('seeded schedulers', () => {
  const order = async (s: fc.Scheduler): Promise<string> => {
    const seen: string[] = [];
    for (const l of ['a', 'b', 'c', 'd', 'e', 'f']) void s.schedule(Promise.resolve(l), l).then((v) => seen.push(v));
    await s.waitAll();
    return seen.join('');
  };

  it('give the same interleaving for the same seed, every time (unlike clones of one fc.scheduler value)', async () => {
    const first = await order(seededScheduler(99));
    expect(await order(seededScheduler(99))).toBe(first);
    expect(await order(seededScheduler(99))).toBe(first);
    const orders = new Set<string>();
    for (let seed = 0; seed < 20; seed++) orders.add(await order(seededScheduler(seed)));
    expect(orders.size).toBeGreaterThan(5);
  });
});
