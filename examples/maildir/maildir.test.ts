/**
 * Unit tests of the Maildir queue itself (not through spoolcheck): the round trip on memfs and on
 * a real directory, exclusive checkout, and what each safety switch changes, the careless
 * version's bugs included (asserted as they happen, to document them).
 */
import { describe, expect, it } from 'vitest';
import { manualClock, type ManualClock } from '../../impl/io/clock.ts';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import { makeTempDir, nodeVfs } from '../../impl/io/node-vfs.ts';
import type { Vfs } from '../../impl/io/vfs.ts';
import { CAREFUL, CARELESS, Maildir, type MaildirOptions } from './maildir.ts';

const ROOT = '/q';

/** A fresh memfs world with an empty queue directory. */
async function world(): Promise<{ vfs: Vfs; clock: ManualClock }> {
  const clock = manualClock(1_700_000_000_000);
  const vfs = memfsVfs({ clock });
  await vfs.mkdir(ROOT);
  return { vfs, clock };
}

/** Wraps `vfs`, logging every rename, unlink, file fsync and directory fsync as one line. */
function recording(vfs: Vfs): { vfs: Vfs; log: string[] } {
  const log: string[] = [];
  return {
    log,
    vfs: {
      ...vfs,
      rename: async (from, to) => {
        log.push(`rename ${from} ${to}`);
        await vfs.rename(from, to);
      },
      unlink: async (path) => {
        log.push(`unlink ${path}`);
        await vfs.unlink(path);
      },
      fsyncDir: async (path) => {
        log.push(`fsyncDir ${path}`);
        await vfs.fsyncDir(path);
      },
      open: async (path, flags) => {
        const file = await vfs.open(path, flags);
        return {
          path: file.path,
          read: (position, length) => file.read(position, length),
          write: (position, data) => file.write(position, data),
          size: () => file.size(),
          close: () => file.close(),
          fsync: async () => {
            log.push(`fsync ${path}`);
            await file.fsync();
          },
        };
      },
    },
  };
}

const sorted = (ids: readonly string[]): string[] => [...ids].sort();

describe.each([
  ['CARELESS', CARELESS],
  ['CAREFUL', CAREFUL],
] as const)('Maildir %s', (_label, options: MaildirOptions) => {
  it('enqueue, list, checkout, release, remove: a round trip', async () => {
    const { vfs, clock } = await world();
    const q = await Maildir.open(vfs, ROOT, clock, options);
    expect(await q.list()).toEqual([]);
    const a = await q.enqueue('alpha');
    clock.advance(1);
    const b = await q.enqueue('');
    expect(a).not.toBe(b);
    expect(sorted(await q.list())).toEqual(sorted([a, b]));

    expect(await q.checkout(a)).toBe('alpha');
    expect(await q.list()).toEqual([b]);
    expect(await vfs.readdir(`${ROOT}/cur`)).toEqual([a]);
    await q.release(a);
    expect(sorted(await q.list())).toEqual(sorted([a, b]));
    expect(await vfs.readdir(`${ROOT}/cur`)).toEqual([]);

    expect(await q.checkout(a)).toBe('alpha');
    await q.remove(a);
    expect(await q.list()).toEqual([b]);
    expect(await q.checkout(a)).toBeUndefined();
    expect(await q.checkout(b)).toBe('');
    await q.remove(b);
    expect(await q.list()).toEqual([]);
    expect(await vfs.readdir(`${ROOT}/tmp`)).toEqual([]);
    expect(await vfs.readdir(`${ROOT}/cur`)).toEqual([]);
  });

  it('checkout of an id that is taken, unknown or not a plain name gives undefined', async () => {
    const { vfs, clock } = await world();
    const q = await Maildir.open(vfs, ROOT, clock, options);
    const other = await Maildir.open(vfs, ROOT, clock, options); // a second process, opened before any checkout
    const id = await q.enqueue('once');
    expect(await q.checkout(id)).toBe('once');
    expect(await q.checkout(id)).toBeUndefined();
    expect(await other.checkout(id)).toBeUndefined();
    expect(await q.checkout('no-such-id')).toBeUndefined();
    expect(await q.checkout('../cur/x')).toBeUndefined();
    expect(await q.checkout('')).toBeUndefined();
  });

  it('release and remove refuse an id this process does not hold', async () => {
    const { vfs, clock } = await world();
    const q = await Maildir.open(vfs, ROOT, clock, options);
    const other = await Maildir.open(vfs, ROOT, clock, options);
    const id = await q.enqueue('mine');
    await expect(q.release(id)).rejects.toThrow(/not checked out by this process/);
    expect(await q.checkout(id)).toBe('mine');
    await expect(other.remove(id)).rejects.toThrow(/not checked out by this process/);
    await expect(other.release(id)).rejects.toThrow(/not checked out by this process/);
    expect(await vfs.readdir(`${ROOT}/cur`)).toEqual([id]);
  });

  it('works on a real directory through the node Vfs', async () => {
    const tmp = await makeTempDir('maildir-test-');
    try {
      const vfs = nodeVfs(tmp.path);
      const clock = manualClock(1_000);
      const q = await Maildir.open(vfs, ROOT, clock, options); // creates /q itself
      const a = await q.enqueue('on disk');
      expect(await q.list()).toEqual([a]);
      expect(await q.checkout(a)).toBe('on disk');
      await q.remove(a);
      expect(await q.list()).toEqual([]);
    } finally {
      await tmp.cleanup();
    }
  });
});

describe('names (uniqueNames)', () => {
  it('CAREFUL: two enqueues in the same millisecond get different ids and both survive', async () => {
    const { vfs, clock } = await world();
    const q = await Maildir.open(vfs, ROOT, clock, CAREFUL);
    const [a, b] = await Promise.all([q.enqueue('first'), q.enqueue('second')]);
    const c = await q.enqueue('third');
    expect(new Set([a, b, c]).size).toBe(3);
    expect(sorted(await q.list())).toEqual(sorted([a, b, c]));
    expect(await q.checkout(a)).toBe('first');
    expect(await q.checkout(b)).toBe('second');
    expect(await q.checkout(c)).toBe('third');
  });

  it('CARELESS: two enqueues in the same millisecond collide, the second silently replacing the first (the bug)', async () => {
    const { vfs, clock } = await world();
    const q = await Maildir.open(vfs, ROOT, clock, CARELESS);
    const a = await q.enqueue('first');
    const b = await q.enqueue('second');
    expect(a).toBe(`${clock.now()}`);
    expect(b).toBe(a);
    expect(await q.list()).toEqual([a]);
    expect(await q.checkout(a)).toBe('second');
    expect(await q.checkout(a)).toBeUndefined(); // 'first' is gone
  });

  it('CAREFUL: an id is never given again, even by a reopen in the same millisecond after the item was removed', async () => {
    const { vfs, clock } = await world();
    const first = await Maildir.open(vfs, ROOT, clock, CAREFUL);
    const a = await first.enqueue('x');
    expect(await first.checkout(a)).toBe('x');
    await first.remove(a);
    const second = await Maildir.open(vfs, ROOT, clock, CAREFUL);
    const b = await second.enqueue('y');
    expect(b).not.toBe(a);
    const third = await Maildir.open(vfs, ROOT, clock, CAREFUL);
    const c = await third.enqueue('z');
    expect(new Set([a, b, c]).size).toBe(3);
    expect(await vfs.readdir(`${ROOT}/sessions`)).toHaveLength(1); // only the highest session is kept
  });

  it('CAREFUL: a name already present in tmp/, new/ or cur/ is skipped', async () => {
    const { vfs, clock } = await world();
    const probe = await Maildir.open(vfs, ROOT, clock, CAREFUL);
    const taken = await probe.enqueue('probe'); // learn this session's name shape: `${now}.0.${session}`
    const session = taken.split('.')[2];
    // The next open takes session + 1; plant its first three candidate names in tmp/, new/ and cur/.
    const next = Number(session) + 1;
    const candidate = (n: number): string => `${clock.now()}.${n}.${next}`;
    for (const [dir, n] of [['tmp', 0], ['new', 1], ['cur', 2]] as const) {
      await (await vfs.open(`${ROOT}/${dir}/${candidate(n)}`, { write: true, create: true })).close();
    }
    const q = await Maildir.open(vfs, ROOT, clock, { ...CAREFUL, cleanTmp: false, recoverCur: false });
    expect(await q.enqueue('fresh')).toBe(candidate(3));
  });
});

describe('recovery on open (recoverCur, cleanTmp)', () => {
  it('CAREFUL: items checked out by a process that died are given back on reopen', async () => {
    const { vfs, clock } = await world();
    const dead = await Maildir.open(vfs, ROOT, clock, CAREFUL);
    const a = await dead.enqueue('taken when it died');
    expect(await dead.checkout(a)).toBe('taken when it died');
    const q = await Maildir.open(vfs, ROOT, clock, CAREFUL); // the restart: `dead` is never used again
    expect(await q.list()).toEqual([a]);
    expect(await vfs.readdir(`${ROOT}/cur`)).toEqual([]);
    expect(await q.checkout(a)).toBe('taken when it died');
  });

  it('CARELESS: an item checked out by a process that died is lost after reopen (the bug)', async () => {
    const { vfs, clock } = await world();
    const dead = await Maildir.open(vfs, ROOT, clock, CARELESS);
    const a = await dead.enqueue('taken when it died');
    expect(await dead.checkout(a)).toBe('taken when it died');
    const q = await Maildir.open(vfs, ROOT, clock, CARELESS);
    expect(await q.list()).toEqual([]);
    expect(await q.checkout(a)).toBeUndefined();
    expect(await vfs.readdir(`${ROOT}/cur`)).toEqual([a]); // still on disk, out of everyone's reach
  });

  it('CAREFUL deletes partial deliveries left in tmp/ on open; CARELESS leaves them', async () => {
    for (const [options, left] of [[CAREFUL, []], [CARELESS, ['partial']]] as const) {
      const { vfs, clock } = await world();
      await Maildir.open(vfs, ROOT, clock, options);
      await (await vfs.open(`${ROOT}/tmp/partial`, { write: true, create: true })).close();
      const q = await Maildir.open(vfs, ROOT, clock, options);
      expect(await vfs.readdir(`${ROOT}/tmp`)).toEqual(left);
      expect(await q.list()).toEqual([]);
    }
  });
});

describe('durability (fsyncFile, fsyncDirs)', () => {
  it('CAREFUL: the file is fsynced before it is published, and each directory gaining a name is fsynced before the one losing it', async () => {
    const { vfs: base, clock } = await world();
    const { vfs, log } = recording(base);
    const q = await Maildir.open(vfs, ROOT, clock, CAREFUL);
    log.length = 0;
    const id = await q.enqueue('durable');
    expect(log).toEqual([`fsync ${ROOT}/tmp/${id}`, `rename ${ROOT}/tmp/${id} ${ROOT}/new/${id}`, `fsyncDir ${ROOT}/new`, `fsyncDir ${ROOT}/tmp`]);
    log.length = 0;
    await q.checkout(id);
    expect(log).toEqual([`rename ${ROOT}/new/${id} ${ROOT}/cur/${id}`, `fsyncDir ${ROOT}/cur`, `fsyncDir ${ROOT}/new`]);
    log.length = 0;
    await q.release(id);
    expect(log).toEqual([`rename ${ROOT}/cur/${id} ${ROOT}/new/${id}`, `fsyncDir ${ROOT}/new`, `fsyncDir ${ROOT}/cur`]);
    await q.checkout(id);
    log.length = 0;
    await q.remove(id);
    expect(log).toEqual([`unlink ${ROOT}/cur/${id}`, `fsyncDir ${ROOT}/cur`]);
  });

  it('CAREFUL: the first open makes the new subdirectories durable, and recovery fsyncs what it moved', async () => {
    const { vfs: base, clock } = await world();
    const { vfs, log } = recording(base);
    const dead = await Maildir.open(vfs, ROOT, clock, CAREFUL);
    expect(log).toContain(`fsyncDir ${ROOT}`);
    expect(log).toContain(`fsyncDir ${ROOT}/sessions`);
    const id = await dead.enqueue('x');
    await dead.checkout(id);
    log.length = 0;
    await Maildir.open(vfs, ROOT, clock, CAREFUL);
    const recovery = log.slice(log.indexOf(`rename ${ROOT}/cur/${id} ${ROOT}/new/${id}`));
    expect(recovery).toEqual([`rename ${ROOT}/cur/${id} ${ROOT}/new/${id}`, `fsyncDir ${ROOT}/new`, `fsyncDir ${ROOT}/cur`]);
  });

  it('CARELESS: nothing is ever fsynced (the bugs)', async () => {
    const { vfs: base, clock } = await world();
    const { vfs, log } = recording(base);
    const q = await Maildir.open(vfs, ROOT, clock, CARELESS);
    const id = await q.enqueue('volatile');
    await q.checkout(id);
    await q.release(id);
    await q.checkout(id);
    await q.remove(id);
    expect(log).toEqual([
      `rename ${ROOT}/tmp/${id} ${ROOT}/new/${id}`,
      `rename ${ROOT}/new/${id} ${ROOT}/cur/${id}`,
      `rename ${ROOT}/cur/${id} ${ROOT}/new/${id}`,
      `rename ${ROOT}/new/${id} ${ROOT}/cur/${id}`,
      `unlink ${ROOT}/cur/${id}`,
    ]);
  });
});
