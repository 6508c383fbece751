import { describe, expect, it } from 'vitest';
import { readWholeFile } from '../io/files.ts';
import { manualClock } from '../io/clock.ts';
import { memfsVfs } from '../io/memfs-vfs.ts';
import { VfsError, type Vfs } from '../io/vfs.ts';
import { isSpoolError, SpoolError } from './errors.ts';
import { Multispool } from './multispool.ts';
import type { MultispoolQuirks } from './quirks.ts';
import { namesFrom, recordingVfs, T_SPOOLABLE, type TMeta } from './test-support.ts';

const T0 = 1_700_000_000_000;
const M0: TMeta = { label: 'new', rev: 0 };
const M1: TMeta = { label: 'retry', rev: 1 };

async function setup(quirks: MultispoolQuirks = {}) {
  const clock = manualClock(T0);
  const vfs = recordingVfs(memfsVfs({ clock }));
  const spool = await Multispool.create(vfs, '/s', T_SPOOLABLE, { clock, quirks });
  vfs.reset();
  return { clock, vfs, spool };
}

async function kindOf(p: Promise<unknown>): Promise<string> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof SpoolError)) throw new Error(`expected a SpoolError, got ${String(e)}`);
  return e.kind;
}

const text = async (vfs: Vfs, path: string): Promise<string> => new TextDecoder().decode(await readWholeFile(vfs, path));

async function exists(vfs: Vfs, path: string): Promise<boolean> {
  return vfs.stat(path).then(
    () => true,
    () => false,
  );
}

describe('enqueue', () => {
  it('writes registry, data and queue files and leaves .tmp empty', async () => {
    const { spool, vfs, clock } = await setup();
    clock.advance(7);
    const entry = await spool.enqueue('beta', M0, 'payload', { reserve: namesFrom('n0') });
    expect(entry).toEqual({ queue: 'beta', name: 'n0' });
    expect(await spool.list('beta')).toEqual(['n0']);
    expect(await spool.list('alpha')).toEqual([]);
    expect(await spool.direct.contents(entry)).toEqual(M0);
    expect(await text(vfs, '/s/.data/n0')).toBe('payload');
    expect(await vfs.readdir('/s/.tmp')).toEqual([]);
    expect((await spool.stat(entry)).mtimeMs).toBe(T0 + 7);
    expect((await vfs.stat('/s/b/n0')).mtimeMs).toBe(T0 + 7);
  });

  it('issues the protocol steps in order, with every file and directory fsync', async () => {
    const { spool, vfs } = await setup();
    await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') });
    expect(vfs.calls.map((c) => `${c.op} ${c.path}${c.to === undefined ? '' : ` ${c.to}`}`)).toEqual([
      'open /s/.registry/n0',
      'close /s/.registry/n0',
      'utimes /s/.registry/n0',
      'fsyncDir /s/.registry',
      'unlink /s/.tmp/n0',
      'open /s/.tmp/n0',
      'write /s/.tmp/n0',
      'fsync /s/.tmp/n0',
      'close /s/.tmp/n0',
      'utimes /s/.tmp/n0',
      'open /s/.data/n0',
      'write /s/.data/n0',
      'fsync /s/.data/n0',
      'close /s/.data/n0',
      'fsyncDir /s/.data',
      'rename /s/.tmp/n0 /s/alpha/n0',
      'fsyncDir /s/alpha',
      'fsyncDir /s/.tmp',
    ]);
  });

  it('noDirFsync: no directory fsync at all, the rest unchanged', async () => {
    const { spool, vfs } = await setup({ noDirFsync: true });
    await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') });
    expect(vfs.pathsOf('fsyncDir')).toEqual([]);
    expect(vfs.pathsOf('fsync')).toEqual(['/s/.tmp/n0', '/s/.data/n0']);
  });

  it('publishBeforeDataDurable: renames into the queue before writing the data, which is not fsynced', async () => {
    const { spool, vfs } = await setup({ publishBeforeDataDurable: true });
    await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') });
    const ops = vfs.calls.map((c) => `${c.op} ${c.path}`);
    expect(ops.indexOf('rename /s/.tmp/n0')).toBeLessThan(ops.indexOf('open /s/.data/n0'));
    expect(vfs.pathsOf('fsync')).toEqual(['/s/.tmp/n0']);
    expect(await text(vfs, '/s/.data/n0')).toBe('d');
  });

  it('use: needs a valid, reserved name, and does not touch the registry file', async () => {
    const { spool, vfs, clock } = await setup();
    expect(await kindOf(spool.enqueue('alpha', M0, 'd', { use: '.x' }))).toBe('invalidName');
    expect(await kindOf(spool.enqueue('alpha', M0, 'd', { use: 'n9' }))).toBe('noSuchEntry');
    expect(await vfs.readdir('/s/.tmp')).toEqual([]);
    const name = await spool.reserve(namesFrom('n9'));
    clock.advance(100);
    expect(await spool.enqueue('alpha', M0, 'd', { use: name })).toEqual({ queue: 'alpha', name: 'n9' });
    expect((await vfs.stat('/s/.registry/n9')).mtimeMs).toBe(T0);
    expect((await vfs.stat('/s/alpha/n9')).mtimeMs).toBe(T0 + 100);
  });

  it('a failure after reserve unlinks everything best-effort and throws the original failure as io', async () => {
    const { spool, vfs } = await setup();
    vfs.failWith = (c) => (c.op === 'fsyncDir' && c.path === '/s/alpha' ? 'EIO' : undefined);
    const e: unknown = await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') }).catch((err: unknown) => err);
    expect(isSpoolError(e, 'io')).toBe(true);
    expect((e as SpoolError).cause).toBeInstanceOf(VfsError);
    // The first unlink is staging's removal of a leftover .tmp name (none here); then the clean-up.
    expect(vfs.pathsOf('unlink')).toEqual(['/s/.tmp/n0', '/s/.tmp/n0', '/s/alpha/n0', '/s/.data/n0', '/s/.registry/n0']);
    for (const d of ['/s/.registry', '/s/.tmp', '/s/.data', '/s/alpha']) expect(await vfs.readdir(d)).toEqual(d === '/s/alpha' ? ['.checkout'] : []);
  });
});

describe('entries and direct access', () => {
  it('entry is only a handle; stat reads the registry file (noSuchEntry)', async () => {
    const { spool, vfs } = await setup();
    const entry = spool.entry('alpha', 'ghost');
    expect(entry).toEqual({ queue: 'alpha', name: 'ghost' });
    expect(vfs.calls).toEqual([]);
    expect(await kindOf(spool.stat(entry))).toBe('noSuchEntry');
    expect(() => spool.entry('alpha', '../x')).toThrow(SpoolError);
  });

  it('direct.contents: notFound without the queue file, corrupt with undecodable bytes', async () => {
    const { spool, vfs } = await setup();
    expect(await kindOf(spool.direct.contents(spool.entry('alpha', 'n0')))).toBe('notFound');
    const entry = await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') });
    const f = await vfs.open('/s/alpha/n0', { write: true, truncate: true });
    await f.write(0, new TextEncoder().encode('{not json'));
    await f.close();
    const e: unknown = await spool.direct.contents(entry).catch((err: unknown) => err);
    expect(isSpoolError(e, 'corrupt')).toBe(true);
    expect((e as SpoolError).path).toBe('/s/alpha/n0');
  });

  it('direct.save: replaces (or creates) the queue file, touches registry; noSuchEntry without registry', async () => {
    const { spool, vfs, clock } = await setup();
    expect(await kindOf(spool.direct.save(spool.entry('alpha', 'n0'), M1))).toBe('noSuchEntry');
    expect(await vfs.readdir('/s/.tmp')).toEqual([]);
    const entry = await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') });
    clock.advance(10);
    vfs.reset();
    await spool.direct.save(entry, M1);
    expect(await spool.direct.contents(entry)).toEqual(M1);
    expect((await spool.stat(entry)).mtimeMs).toBe(T0 + 10);
    expect(vfs.pathsOf('fsyncDir')).toEqual(['/s/alpha', '/s/.tmp']);
    await spool.direct.save(spool.entry('beta', 'n0'), M0);
    expect(await spool.list('beta')).toEqual(['n0']);
  });

  it('direct.remove: removes the entry completely; notFound / noSuchEntry otherwise', async () => {
    const { spool, vfs, clock } = await setup();
    const entry = await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') });
    clock.advance(3);
    expect(await kindOf(spool.direct.remove(spool.entry('beta', 'n0')))).toBe('notFound');
    expect((await spool.stat(entry)).mtimeMs).toBe(T0 + 3);
    await spool.direct.remove(entry);
    expect(await spool.list('alpha')).toEqual([]);
    expect(await exists(vfs, '/s/.data/n0')).toBe(false);
    expect(await exists(vfs, '/s/.registry/n0')).toBe(false);
    expect(await kindOf(spool.direct.remove(entry))).toBe('noSuchEntry');
  });
});

describe('remove order', () => {
  it('metadata first, then data, then registry, each followed by its directory fsync', async () => {
    const { spool, vfs } = await setup();
    const held = await spool.checkout(await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') }));
    vfs.reset();
    await held.remove();
    expect(vfs.calls.map((c) => `${c.op} ${c.path}`)).toEqual([
      'utimes /s/.registry/n0',
      'unlink /s/alpha/.checkout/n0',
      'fsyncDir /s/alpha/.checkout',
      'unlink /s/.data/n0',
      'fsyncDir /s/.data',
      'unlink /s/.registry/n0',
      'fsyncDir /s/.registry',
    ]);
  });

  it('a missing data file is fine (an earlier remove was interrupted)', async () => {
    const { spool, vfs } = await setup();
    const entry = await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') });
    await vfs.unlink('/s/.data/n0');
    await spool.direct.remove(entry);
    expect(await exists(vfs, '/s/.registry/n0')).toBe(false);
  });

  it('removeDataFirst: data, then metadata, then registry (as the original)', async () => {
    const { spool, vfs } = await setup({ removeDataFirst: true });
    const entry = await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') });
    vfs.reset();
    await spool.direct.remove(entry);
    expect(vfs.pathsOf('unlink')).toEqual(['/s/.data/n0', '/s/alpha/n0', '/s/.registry/n0']);
  });
});

describe('checkout', () => {
  it('tryCheckout moves the entry into .checkout with touches and fsyncs, and reads it', async () => {
    const { spool, vfs, clock } = await setup();
    const entry = await spool.enqueue('alpha', M0, 'data', { reserve: namesFrom('n0') });
    clock.advance(50);
    vfs.reset();
    const r = await spool.tryCheckout(entry);
    if (r.kind !== 'checkedOut') throw new Error('expected a checkout');
    expect(vfs.calls.map((c) => `${c.op} ${c.path}`).slice(0, 5)).toEqual([
      'utimes /s/.registry/n0',
      'utimes /s/alpha/n0',
      'rename /s/alpha/n0',
      'fsyncDir /s/alpha/.checkout',
      'fsyncDir /s/alpha',
    ]);
    expect(r.entry.name).toBe('n0');
    expect(r.entry.queue).toBe('alpha');
    expect(r.entry.contents).toEqual(M0);
    expect(await spool.list('alpha')).toEqual([]);
    expect((await vfs.stat('/s/alpha/.checkout/n0')).mtimeMs).toBe(T0 + 50);
    expect(r.entry.dataFile.path).toBe('/s/.data/n0');
    expect(await r.entry.dataFile.load()).toBe('data');
    expect((await r.entry.dataFile.stat()).size).toBe(4);
  });

  it('tryCheckout: notFound when the queue file or the registry file is missing; checkout: entryDisappeared', async () => {
    const { spool, vfs, clock } = await setup();
    expect(await spool.tryCheckout(spool.entry('alpha', 'n0'))).toEqual({ kind: 'notFound' });
    await spool.reserve(namesFrom('n0'));
    clock.advance(9);
    expect(await spool.tryCheckout(spool.entry('alpha', 'n0'))).toEqual({ kind: 'notFound' });
    expect((await vfs.stat('/s/.registry/n0')).mtimeMs).toBe(T0 + 9);
    const e: unknown = await spool.checkout(spool.entry('alpha', 'n0')).catch((err: unknown) => err);
    expect(isSpoolError(e, 'entryDisappeared')).toBe(true);
    expect((e as Error).message).toContain('disappeared before checkout');
  });

  it('a corrupt checkout file: corrupt, and the entry stays checked out', async () => {
    const { spool, vfs } = await setup();
    const entry = await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') });
    const f = await vfs.open('/s/alpha/n0', { write: true, truncate: true });
    await f.write(0, new Uint8Array([0xff]));
    await f.close();
    expect(await kindOf(spool.checkout(entry))).toBe('corrupt');
    expect(await vfs.readdir('/s/alpha/.checkout')).toEqual(['n0']);
  });

  it('update + save(q2) writes the new metadata through .tmp and moves the entry to q2', async () => {
    const { spool, vfs, clock } = await setup();
    const held = await spool.checkout(await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') }));
    held.update((m) => ({ ...m, rev: m.rev + 1 }));
    expect(held.contents).toEqual({ label: 'new', rev: 1 });
    clock.advance(20);
    vfs.reset();
    await held.save('beta');
    expect(vfs.calls.map((c) => `${c.op} ${c.path}${c.to === undefined ? '' : ` ${c.to}`}`)).toEqual([
      'unlink /s/.tmp/n0',
      'open /s/.tmp/n0',
      'write /s/.tmp/n0',
      'fsync /s/.tmp/n0',
      'close /s/.tmp/n0',
      'utimes /s/.tmp/n0',
      'rename /s/.tmp/n0 /s/alpha/.checkout/n0',
      'fsyncDir /s/alpha/.checkout',
      'fsyncDir /s/.tmp',
      'utimes /s/.registry/n0',
      'utimes /s/alpha/.checkout/n0',
      'rename /s/alpha/.checkout/n0 /s/b/n0',
      'fsyncDir /s/b',
      'fsyncDir /s/alpha/.checkout',
    ]);
    expect(await spool.list('beta')).toEqual(['n0']);
    expect(await spool.direct.contents(spool.entry('beta', 'n0'))).toEqual({ label: 'new', rev: 1 });
    expect(await vfs.readdir('/s/alpha/.checkout')).toEqual([]);
    expect((await spool.stat(spool.entry('beta', 'n0'))).mtimeMs).toBe(T0 + 20);
  });

  it('save into the queue it came from puts the entry back', async () => {
    const { spool } = await setup();
    const held = await spool.checkout(await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') }));
    await held.save('alpha');
    expect(await spool.list('alpha')).toEqual(['n0']);
  });

  it('a saved or removed handle is released: update, save and remove throw `released`', async () => {
    const { spool } = await setup();
    const a = await spool.checkout(await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('a') }));
    const b = await spool.checkout(await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('b') }));
    await a.save('beta');
    await b.remove();
    for (const h of [a, b]) {
      expect(h.released).toBe(true);
      expect(() => h.update((m) => m)).toThrow(expect.objectContaining({ kind: 'released' }));
      expect(await kindOf(h.save('alpha'))).toBe('released');
      expect(await kindOf(h.remove())).toBe('released');
    }
    expect(await spool.list('beta')).toEqual(['a']);
  });

  it('a failed save leaves the handle live', async () => {
    const { spool, vfs } = await setup();
    const held = await spool.checkout(await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') }));
    await vfs.unlink('/s/.registry/n0');
    expect(await kindOf(held.save('beta'))).toBe('noSuchEntry');
    expect(held.released).toBe(false);
  });

  it('saveIgnoresDestination: save(q2) puts the entry back into its own queue', async () => {
    const { spool } = await setup({ saveIgnoresDestination: true });
    const held = await spool.checkout(await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') }));
    await held.save('beta');
    expect(await spool.list('beta')).toEqual([]);
    expect(await spool.list('alpha')).toEqual(['n0']);
  });

  it('listCheckoutsUnsafe reads every checked-out entry in name order', async () => {
    const { spool } = await setup();
    for (const n of ['c', 'a', 'b']) await spool.checkout(await spool.enqueue('alpha', { label: n, rev: 0 }, n, { reserve: namesFrom(n) }));
    await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('queued') });
    const held = await spool.listCheckoutsUnsafe('alpha');
    expect(held.map((h) => [h.name, h.queue, h.contents.label])).toEqual([
      ['a', 'alpha', 'a'],
      ['b', 'alpha', 'b'],
      ['c', 'alpha', 'c'],
    ]);
    await held[0]?.save('beta');
    expect(await spool.list('beta')).toEqual(['a']);
  });

  it('list skips .checkout; listIncludesCheckoutDir does not', async () => {
    for (const [quirks, expected] of [
      [{}, ['n0']],
      [{ listIncludesCheckoutDir: true }, ['.checkout', 'n0']],
    ] as const) {
      const { spool } = await setup(quirks);
      await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') });
      expect(await spool.list('alpha')).toEqual(expected);
    }
  });
});

describe('withEntry and tryWithEntry', () => {
  it('applies a save action and returns the result', async () => {
    const { spool } = await setup();
    const entry = await spool.enqueue('alpha', M0, 'body', { reserve: namesFrom('n0') });
    const r = await spool.withEntry(entry, async (m, data) => ({
      action: { kind: 'save', metadata: { ...m, label: 'done' }, queue: 'beta' },
      result: await data.load(),
    }));
    expect(r).toBe('body');
    expect(await spool.direct.contents(spool.entry('beta', 'n0'))).toEqual({ label: 'done', rev: 0 });
  });

  it('applies a remove action', async () => {
    const { spool, vfs } = await setup();
    const entry = await spool.enqueue('alpha', M0, 'body', { reserve: namesFrom('n0') });
    expect(await spool.tryWithEntry(entry, () => ({ action: { kind: 'remove' }, result: 1 }))).toEqual({ kind: 'ok', result: 1 });
    expect(await exists(vfs, '/s/.registry/n0')).toBe(false);
    expect(await spool.tryWithEntry(entry, () => ({ action: { kind: 'remove' }, result: 2 }))).toEqual({ kind: 'notFound' });
    expect(await kindOf(spool.withEntry(entry, () => ({ action: { kind: 'remove' }, result: 3 })))).toBe('entryDisappeared');
  });

  it('if f throws the entry stays checked out and the error propagates', async () => {
    const { spool } = await setup();
    const entry = await spool.enqueue('alpha', M0, 'body', { reserve: namesFrom('n0') });
    await expect(
      spool.withEntry(entry, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await spool.listCheckoutsUnsafe('alpha')).map((h) => h.name)).toEqual(['n0']);
  });
});
