import { describe, expect, it } from 'vitest';
import { manualClock } from '../io/clock.ts';
import { memfsVfs } from '../io/memfs-vfs.ts';
import { isSpoolError, SpoolError } from './errors.ts';
import { Multispool } from './multispool.ts';
import { recordingVfs, T_SPOOLABLE } from './test-support.ts';

async function errorOf(p: Promise<unknown>): Promise<SpoolError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof SpoolError)) throw new Error(`expected a SpoolError, got ${String(e)}`);
  return e;
}

const SPOOL_DIRS = ['/s/.registry', '/s/.tmp', '/s/.data', '/s/alpha', '/s/alpha/.checkout', '/s/b', '/s/b/.checkout'];

describe('opening a spool', () => {
  it('create makes the directory and every piece, fsyncing each parent after each mkdir', async () => {
    const vfs = recordingVfs(memfsVfs({ clock: manualClock(0) }));
    await Multispool.create(vfs, '/s', T_SPOOLABLE);
    expect(vfs.pathsOf('mkdir')).toEqual(['/s', ...SPOOL_DIRS]);
    expect(vfs.pathsOf('fsyncDir')).toEqual(['/', '/s', '/s', '/s', '/s', '/s/alpha', '/s', '/s/b']);
    for (const d of SPOOL_DIRS) expect((await vfs.stat(d)).kind).toBe('directory');
  });

  it('load of a complete spool creates nothing and succeeds without createIfMissing', async () => {
    const vfs = recordingVfs(memfsVfs());
    await Multispool.create(vfs, '/s', T_SPOOLABLE);
    vfs.reset();
    await Multispool.load(vfs, '/s', T_SPOOLABLE);
    expect(vfs.pathsOf('mkdir')).toEqual([]);
    expect(vfs.pathsOf('fsyncDir')).toEqual([]);
  });

  it('a missing spool directory without createIfMissing is `missing`', async () => {
    const e = await errorOf(Multispool.load(memfsVfs(), '/nope', T_SPOOLABLE));
    expect(e.kind).toBe('missing');
    expect(e.path).toBe('/nope');
    expect(e.message).toContain('/nope');
  });

  it('create below a missing parent is `missing`', async () => {
    expect((await errorOf(Multispool.create(memfsVfs(), '/a/b', T_SPOOLABLE))).kind).toBe('missing');
  });

  it('a non-empty directory that does not look like a spool is refused with the names found', async () => {
    const vfs = memfsVfs();
    await vfs.mkdir('/s');
    await vfs.mkdir('/s/b');
    await (await vfs.open('/s/a', { write: true, create: true })).close();
    const e = await errorOf(Multispool.create(vfs, '/s', T_SPOOLABLE));
    expect(e.kind).toBe('notEmpty');
    expect(e.message).toBe('spool directory /s is not empty and does not look like a spool (found: a, b); refusing to create a spool in it');
    expect(await vfs.readdir('/s')).toHaveLength(2);
  });

  it('an empty existing directory becomes a spool with create, and is `missing` pieces for load', async () => {
    const vfs = memfsVfs();
    await vfs.mkdir('/s');
    const e = await errorOf(Multispool.load(vfs, '/s', T_SPOOLABLE));
    expect(e.kind).toBe('missing');
    expect(e.path).toBe('/s/.registry');
    await Multispool.create(vfs, '/s', T_SPOOLABLE);
    expect((await vfs.readdir('/s')).sort()).toEqual(['.data', '.registry', '.tmp', 'alpha', 'b']);
  });

  it('a spool missing a subdirectory: `missing` without createIfMissing, created with it (extra names ignored)', async () => {
    const vfs = memfsVfs();
    await Multispool.create(vfs, '/s', T_SPOOLABLE);
    await vfs.rmdir('/s/b/.checkout');
    await vfs.mkdir('/s/extra');
    const e = await errorOf(Multispool.load(vfs, '/s', T_SPOOLABLE));
    expect(e.kind).toBe('missing');
    expect(e.message).toContain('/s/b/.checkout');
    await Multispool.load(vfs, '/s', T_SPOOLABLE, { createIfMissing: true });
    expect((await vfs.stat('/s/b/.checkout')).kind).toBe('directory');
  });

  it('a file where a directory belongs is `notADirectory`, even with createIfMissing', async () => {
    const vfs = memfsVfs();
    await Multispool.create(vfs, '/s', T_SPOOLABLE);
    await vfs.rmdir('/s/.data');
    await (await vfs.open('/s/.data', { write: true, create: true })).close();
    for (const createIfMissing of [false, true]) {
      const e = await errorOf(Multispool.load(vfs, '/s', T_SPOOLABLE, { createIfMissing }));
      expect(e.kind).toBe('notADirectory');
      expect(e.path).toBe('/s/.data');
    }
  });

  it('a spool path that is a file is `notADirectory`', async () => {
    const vfs = memfsVfs();
    await (await vfs.open('/f', { write: true, create: true })).close();
    const e = await errorOf(Multispool.create(vfs, '/f', T_SPOOLABLE));
    expect(isSpoolError(e, 'notADirectory')).toBe(true);
  });

  it('noDirFsync: create issues no directory fsync', async () => {
    const vfs = recordingVfs(memfsVfs());
    await Multispool.create(vfs, '/s', T_SPOOLABLE, { quirks: { noDirFsync: true } });
    expect(vfs.pathsOf('mkdir')).toHaveLength(8);
    expect(vfs.pathsOf('fsyncDir')).toEqual([]);
  });

  it('loadUnsafe checks and touches nothing', () => {
    const vfs = recordingVfs(memfsVfs());
    const spool = Multispool.loadUnsafe(vfs, '/nowhere', T_SPOOLABLE);
    expect(spool.dir).toBe('/nowhere');
    expect(vfs.calls).toEqual([]);
  });
});
