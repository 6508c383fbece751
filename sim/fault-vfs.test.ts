/** The fault Vfs injects exactly what its plan says, and nothing else. */
import { describe, expect, it } from 'vitest';
import { isVfsError } from '../impl/io/vfs.ts';
import { crashVfs } from './crash-vfs.ts';
import { exploreCrashStates } from './crash/explore.ts';
import { seededRandom } from './crash/prng.ts';
import { STRICT } from './crash/profiles.ts';
import { DiskFullError, faultVfs } from './fault-vfs.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = async (v: { open: ReturnType<typeof crashVfs>['open'] }, p: string): Promise<string> => {
  const f = await v.open(p, {});
  return new TextDecoder().decode(await f.read(0, await f.size()));
};

describe('fault Vfs', () => {
  it('disk full: the crossing write lands the bytes that fit and says how many; later writes land nothing', async () => {
    const inner = crashVfs();
    const v = faultVfs(inner, { diskFullAfterBytes: 5 });
    const f = await v.open('/a', { write: true, create: true });
    await f.write(0, bytes('abc'));
    const err = await f.write(3, bytes('defg')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiskFullError);
    expect((err as DiskFullError).written).toBe(2);
    expect(isVfsError(await f.write(5, bytes('z')).catch((e: unknown) => e), 'ENOSPC')).toBe(true);
    expect(await text(inner, '/a')).toBe('abcde');
    await v.rename('/a', '/b'); // the rest still works
    expect(v.injected()).toEqual(['disk full on write #1 (/a): 2 of 4 byte(s) landed', 'disk full on write #2 (/a): 0 of 1 byte(s) landed']);
  });

  it('EIO on the k-th write and fsync, once', async () => {
    const v = faultVfs(crashVfs(), { eioOnWrite: 1, eioOnFsync: 0 });
    const f = await v.open('/a', { write: true, create: true });
    await f.write(0, bytes('a'));
    expect(isVfsError(await f.write(1, bytes('b')).catch((e: unknown) => e), 'EIO')).toBe(true);
    await f.write(1, bytes('c'));
    expect(isVfsError(await f.fsync().catch((e: unknown) => e), 'EIO')).toBe(true);
    await f.fsync();
    expect(v.injected()).toEqual(['EIO on write #1 (/a)', 'EIO on fsync #0 (/a)']);
  });

  it('a lost fsync is no barrier: a power loss may still drop what it claimed to make durable', async () => {
    for (const [plan, canLose] of [[{}, false], [{ lostFsyncFrom: 0 }, true]] as const) {
      const inner = crashVfs();
      await inner.mkdir('/d');
      await inner.fsyncDir('/');
      inner.startRecording();
      const v = faultVfs(inner, plan);
      const f = await v.open('/d/a', { write: true, create: true });
      await f.write(0, bytes('data'));
      await f.fsync();
      await v.fsyncDir('/d');
      inner.mark('synced');
      const { states } = exploreCrashStates(inner.history(), STRICT, { maxSubsetsPerPoint: 64, samplesPerPoint: 16, random: seededRandom(1), enumerateMtimes: false });
      const afterSync = states.filter((s) => s.point.marksBefore === 1);
      const contents = await Promise.all(afterSync.map((s) => text(crashVfs({ image: s.image }), '/d/a').catch(() => 'absent')));
      expect(contents.some((c) => c !== 'data')).toBe(canLose);
    }
  });
});
