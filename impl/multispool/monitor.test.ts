import { describe, expect, it } from 'vitest';
import { manualClock } from '../io/clock.ts';
import { writeWholeFile } from '../io/files.ts';
import { memfsVfs } from '../io/memfs-vfs.ts';
import type { Vfs } from '../io/vfs.ts';
import { isSpoolError } from './errors.ts';
import { Monitor, type MonitorEvent, type MonitorOptions } from './monitor.ts';
import { Multispool } from './multispool.ts';
import type { Problem } from './problems.ts';
import { namesFrom, recordingVfs, T_SPOOLABLE, type TQ } from './test-support.ts';

const T0 = 1_700_000_000_000;

type Files = Record<string, number>;
interface Layout {
  registry?: Files;
  tmp?: Files;
  data?: Files;
  alpha?: Files;
  alphaCheckout?: Files;
  beta?: Files;
  betaCheckout?: Files;
}

/** Creates an empty spool at /s and lays the given files out with the given mtimes. */
async function layOut(vfs: Vfs, layout: Layout): Promise<void> {
  await Multispool.create(vfs, '/s', T_SPOOLABLE);
  const dirs: Record<keyof Layout, string> = {
    registry: '/s/.registry',
    tmp: '/s/.tmp',
    data: '/s/.data',
    alpha: '/s/alpha',
    alphaCheckout: '/s/alpha/.checkout',
    beta: '/s/b',
    betaCheckout: '/s/b/.checkout',
  };
  for (const [part, files] of Object.entries(layout) as [keyof Layout, Files][]) {
    for (const [name, mtime] of Object.entries(files)) {
      const path = `${dirs[part]}/${name}`;
      await writeWholeFile(vfs, path, new TextEncoder().encode(part === 'registry' ? '' : '{"label":"x","rev":0}'));
      await vfs.utimes(path, mtime, mtime);
    }
  }
}

async function monitorOf(layout: Layout, options: MonitorOptions<TQ> = {}) {
  const clock = manualClock(T0);
  const vfs = memfsVfs({ clock });
  await layOut(vfs, layout);
  return { vfs, clock, monitor: await Monitor.open(vfs, '/s', T_SPOOLABLE, { clock, ...options }) };
}

const file = (name: string, mtimeMs: number) => ({ name, mtimeMs });

describe('Monitor.open', () => {
  it('validates like load without creating anything', async () => {
    const vfs = memfsVfs();
    await expect(Monitor.open(vfs, '/s', T_SPOOLABLE)).rejects.toSatisfy((e: unknown) => isSpoolError(e, 'missing'));
    await vfs.mkdir('/s');
    await expect(Monitor.open(vfs, '/s', T_SPOOLABLE)).rejects.toSatisfy((e: unknown) => isSpoolError(e, 'missing'));
    expect(await vfs.readdir('/s')).toEqual([]);
    await writeWholeFile(vfs, '/s/junk', new Uint8Array());
    await expect(Monitor.open(vfs, '/s', T_SPOOLABLE)).rejects.toSatisfy((e: unknown) => isSpoolError(e, 'notEmpty'));
  });

  it('fills in the default limits', async () => {
    const { monitor } = await monitorOf({}, { limits: { maxTmpFileAgeMs: 5 } });
    expect(monitor.limits.maxTmpFileAgeMs).toBe(5);
    expect(monitor.limits.maxCheckedOutAgeMs).toBe(600_000);
    expect([...monitor.limits.maxQueueAgesMs]).toEqual([]);
  });
});

describe('fsck', () => {
  it('a spool used only through the API has no problems', async () => {
    const clock = manualClock(T0);
    const vfs = memfsVfs({ clock });
    const spool = await Multispool.create(vfs, '/s', T_SPOOLABLE, { clock });
    await spool.enqueue('alpha', { label: 'a', rev: 0 }, 'd', { reserve: namesFrom('a') });
    await spool.checkout(await spool.enqueue('beta', { label: 'b', rev: 0 }, 'd', { reserve: namesFrom('b') }));
    const monitor = await Monitor.open(vfs, '/s', T_SPOOLABLE, { clock });
    clock.advance(600_000);
    expect(await monitor.runOnce()).toEqual([]);
    clock.advance(1);
    expect(await monitor.runOnce()).toEqual([{ kind: 'tooOld', file: file('b', T0), location: { kind: 'checkout', queue: 'beta' } }]);
  });

  it('tooOld in .tmp and checkout is strict; a queue is judged only with a limit', async () => {
    const { monitor } = await monitorOf(
      { registry: { t: 0, c: 0, q: 0, r: 0 }, tmp: { t: 100 }, data: { t: 0, c: 0, q: 0, r: 0 }, alpha: { t: 0, r: 50 }, alphaCheckout: { c: 200 }, beta: { q: 0 } },
      { limits: { maxTmpFileAgeMs: 100, maxCheckedOutAgeMs: 200, maxQueueAgesMs: new Map([['beta', 300]]) } },
    );
    expect(await monitor.fsck(200)).toEqual([]);
    expect(await monitor.fsck(201)).toEqual([{ kind: 'tooOld', file: file('t', 100), location: { kind: 'tmp' } }]);
    expect(await monitor.fsck(401)).toEqual([
      { kind: 'tooOld', file: file('t', 100), location: { kind: 'tmp' } },
      { kind: 'tooOld', file: file('c', 200), location: { kind: 'checkout', queue: 'alpha' } },
      { kind: 'tooOld', file: file('q', 0), location: { kind: 'queue', queue: 'beta' } },
    ]);
  });

  it('orphaned files in every directory, missingData in queue and checkout directories', async () => {
    const { monitor } = await monitorOf({ tmp: { t: 1 }, data: { d: 2 }, alpha: { q: 3 }, betaCheckout: { c: 4 } });
    expect(await monitor.fsck(10)).toEqual([
      { kind: 'orphaned', file: file('t', 1), location: { kind: 'tmp' } },
      { kind: 'orphaned', file: file('d', 2), location: { kind: 'data' } },
      { kind: 'orphaned', file: file('q', 3), location: { kind: 'queue', queue: 'alpha' } },
      { kind: 'missingData', file: file('q', 3), location: { kind: 'queue', queue: 'alpha' } },
      { kind: 'orphaned', file: file('c', 4), location: { kind: 'checkout', queue: 'beta' } },
      { kind: 'missingData', file: file('c', 4), location: { kind: 'checkout', queue: 'beta' } },
    ]);
  });

  it('registry names in no queue are orphaned; in two or more, duplicated (queue, then checkout, per queue)', async () => {
    const { monitor } = await monitorOf({
      registry: { lost: 5, dup: 6, ok: 7 },
      tmp: { lost: 5 },
      data: { lost: 5, dup: 6, ok: 7 },
      alpha: { dup: 6 },
      alphaCheckout: { dup: 6 },
      beta: { dup: 6, ok: 7 },
    });
    expect(await monitor.fsck(10)).toEqual([
      {
        kind: 'duplicated',
        file: file('dup', 6),
        locations: [
          { kind: 'queue', queue: 'alpha' },
          { kind: 'checkout', queue: 'alpha' },
          { kind: 'queue', queue: 'beta' },
        ],
      },
      { kind: 'orphaned', file: file('lost', 5), location: { kind: 'registry' } },
    ]);
  });

  it('missingData for a registered entry whose data file is gone', async () => {
    const { monitor } = await monitorOf({ registry: { a: 1 }, alpha: { a: 1 } });
    expect(await monitor.fsck(2)).toEqual([{ kind: 'missingData', file: file('a', 1), location: { kind: 'queue', queue: 'alpha' } }]);
  });

  it('a name that vanishes before its stat is skipped', async () => {
    const clock = manualClock(T0);
    const vfs = recordingVfs(memfsVfs({ clock }));
    await layOut(vfs, { tmp: { gone: 1, kept: 1 } });
    const monitor = await Monitor.open(vfs, '/s', T_SPOOLABLE, { clock });
    vfs.before = async (c) => {
      if (c.op === 'stat' && c.path === '/s/.tmp/gone') await vfs.unlink(c.path);
    };
    expect(await monitor.fsck(2)).toEqual([{ kind: 'orphaned', file: file('kept', 1), location: { kind: 'tmp' } }]);
  });
});

describe('Monitor daemon', () => {
  /** Starts a daemon and gives a way to wait for its next check. */
  function daemonOn<M, D>(monitor: Monitor<TQ, M, D>, alertAfterCycles?: number) {
    const events: MonitorEvent<TQ>[] = [];
    const checks: number[] = [];
    let waiters: (() => void)[] = [];
    const daemon = monitor.startDaemon({
      checkEveryMs: 1000,
      ...(alertAfterCycles === undefined ? {} : { alertAfterCycles }),
      onEvent: (e) => events.push(e),
      onCheck: (at) => {
        checks.push(at);
        const w = waiters;
        waiters = [];
        for (const f of w) f();
      },
    });
    const nextCheck = (): Promise<void> => new Promise<void>((resolve) => waiters.push(resolve));
    return { daemon, events, checks, nextCheck };
  }

  it('starts an alert after alertAfterCycles+1 checks and ends it once the problem is fixed', async () => {
    const { vfs, clock, monitor } = await monitorOf({ registry: { r: 5 } });
    const { daemon, events, checks, nextCheck } = daemonOn(monitor);
    const orphan: Problem<TQ> = { kind: 'orphaned', file: file('r', 5), location: { kind: 'registry' } };
    try {
      await nextCheck();
      expect(checks).toEqual([T0]);
      for (let i = 1; i <= 2; i++) {
        expect(events).toEqual([]);
        const p = nextCheck();
        clock.advance(1000);
        await p;
      }
      expect(checks).toEqual([T0, T0 + 1000, T0 + 2000]);
      expect(events).toEqual([{ kind: 'start', at: T0 + 2000, problem: orphan }]);
      await vfs.unlink('/s/.registry/r');
      const p = nextCheck();
      clock.advance(1000);
      await p;
      expect(events).toEqual([
        { kind: 'start', at: T0 + 2000, problem: orphan },
        { kind: 'end', at: T0 + 3000, problem: orphan },
      ]);
    } finally {
      await daemon.stop();
    }
  });

  it('a touched file is a new problem: its alert ends and the count restarts', async () => {
    const { vfs, clock, monitor } = await monitorOf({ registry: { r: 5 } });
    const { daemon, events, nextCheck } = daemonOn(monitor, 0);
    try {
      await nextCheck();
      expect(events.map((e) => [e.kind, e.problem.file.mtimeMs])).toEqual([['start', 5]]);
      await vfs.utimes('/s/.registry/r', 9, 9);
      const p = nextCheck();
      clock.advance(1000);
      await p;
      expect(events.map((e) => [e.kind, e.problem.file.mtimeMs])).toEqual([
        ['start', 5],
        ['end', 5],
        ['start', 9],
      ]);
    } finally {
      await daemon.stop();
    }
  });

  it('stop ends the loop while it sleeps: no further checks', async () => {
    const { clock, monitor } = await monitorOf({});
    const { daemon, checks, nextCheck } = daemonOn(monitor);
    await nextCheck();
    await daemon.stop();
    clock.advance(10_000);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(checks).toEqual([T0]);
  });
});
