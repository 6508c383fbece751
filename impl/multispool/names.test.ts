import { describe, expect, it } from 'vitest';
import { manualClock } from '../io/clock.ts';
import { memfsVfs } from '../io/memfs-vfs.ts';
import type { Vfs } from '../io/vfs.ts';
import { isSpoolError } from './errors.ts';
import type { MultispoolQuirks } from './quirks.ts';
import { Multispool } from './multispool.ts';
import { lexicographicTimeOrder } from './names.ts';
import { namesFrom, recordingVfs, T_SPOOLABLE } from './test-support.ts';

const T0 = 1_700_000_000_000;

async function spoolOn(vfs: Vfs, options: { quirks?: MultispoolQuirks; maxReserveAttempts?: number } = {}) {
  const clock = manualClock(T0);
  const spool = await Multispool.create(vfs, '/s', T_SPOOLABLE, { clock, ...options });
  return { spool, clock };
}

describe('reserve', () => {
  it('creates the registry file exclusively, touches it and fsyncs .registry', async () => {
    const vfs = recordingVfs(memfsVfs());
    const { spool, clock } = await spoolOn(vfs);
    clock.advance(5);
    vfs.reset();
    expect(await spool.reserve(namesFrom('n0'))).toBe('n0');
    expect(vfs.calls.map((c) => c.op)).toEqual(['open', 'close', 'utimes', 'fsyncDir']);
    expect(vfs.calls[0]?.flags).toEqual({ write: true, create: true, exclusive: true });
    expect(vfs.pathsOf('fsyncDir')).toEqual(['/s/.registry']);
    expect((await vfs.stat('/s/.registry/n0')).mtimeMs).toBe(T0 + 5);
  });

  it('skips taken names attempt by attempt', async () => {
    const { spool } = await spoolOn(memfsVfs());
    await spool.reserve(namesFrom('a'));
    await spool.reserve(namesFrom('b'));
    const asked: number[] = [];
    const name = await spool.reserve({ next: (i) => (asked.push(i), ['a', 'b', 'c'][i] ?? 'z') });
    expect(name).toBe('c');
    expect(asked).toEqual([0, 1, 2]);
  });

  it('two concurrent reserves of the same candidates get different names', async () => {
    const { spool } = await spoolOn(memfsVfs());
    const names = await Promise.all([spool.reserve(namesFrom('a', 'b')), spool.reserve(namesFrom('a', 'b'))]);
    expect(names.sort()).toEqual(['a', 'b']);
  });

  it('fails with namesExhausted after maxReserveAttempts clashes, and invalidName on a bad candidate', async () => {
    const { spool } = await spoolOn(memfsVfs(), { maxReserveAttempts: 3 });
    await spool.reserve(namesFrom('a'));
    let asked = 0;
    await expect(spool.reserve({ next: () => (asked++, 'a') })).rejects.toSatisfy((e: unknown) => isSpoolError(e, 'namesExhausted'));
    expect(asked).toBe(3);
    for (const bad of ['', '.hidden', 'a/b', 'nul\0']) {
      await expect(spool.reserve(namesFrom(bad))).rejects.toSatisfy((e: unknown) => isSpoolError(e, 'invalidName'));
    }
  });

  it('reserveWithoutExclusive: check-then-create lets two racing reservers get the same name', async () => {
    const racing = async (quirks: MultispoolQuirks): Promise<string[]> => {
      const vfs = recordingVfs(memfsVfs());
      const { spool } = await spoolOn(vfs, { quirks });
      // Hold the first registry stat/open of each reserver until both have issued one.
      const waiting: (() => void)[] = [];
      vfs.before = (call) => {
        if (!call.path.startsWith('/s/.registry/') || (call.op !== 'stat' && call.op !== 'open')) return undefined;
        return new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === 2) {
            vfs.before = undefined;
            for (const w of waiting) w();
          }
        });
      };
      return Promise.all([spool.reserve(namesFrom('a', 'b')), spool.reserve(namesFrom('a', 'b'))]);
    };
    expect((await racing({})).sort()).toEqual(['a', 'b']);
    expect(await racing({ reserveWithoutExclusive: true })).toEqual(['a', 'a']);
  });
});

describe('lexicographicTimeOrder', () => {
  it('formats 15-digit ms, 16-digit sequence of attempt-0 calls, 6-digit attempt', () => {
    const clock = manualClock(T0);
    const gen = lexicographicTimeOrder(clock);
    expect(gen.next(0)).toBe('001700000000000_0000000000000000_000000');
    expect(gen.next(1)).toBe('001700000000000_0000000000000000_000001');
    expect(gen.next(0)).toBe('001700000000000_0000000000000001_000000');
    clock.advance(1);
    expect(gen.next(0)).toBe('001700000000001_0000000000000002_000000');
  });

  it('string order equals creation order across a counter rollover to two digits', () => {
    const gen = lexicographicTimeOrder(manualClock(T0));
    const names = Array.from({ length: 12 }, () => gen.next(0));
    expect([...names].sort()).toEqual(names);
  });
});
