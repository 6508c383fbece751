/**
 * The Vfs contract as a vitest suite: every adapter (ours, the simulated one, a user's own) must
 * pass it. Call {@link defineVfsContract} from a `*.test.ts` file with a factory that gives a
 * fresh, empty Vfs for each test.
 *
 * What it pins down is what the spool relies on: POSIX error codes for each misuse, exclusive
 * create, atomic rename replacing a file, positional reads and writes, modification times set by
 * `utimes` read back to the millisecond, and change notifications naming the changed entry.
 */
import { describe, expect, it } from 'vitest';
import { readWholeFile, writeWholeFile } from './files.ts';
import { VfsError, type Vfs, type VfsErrorCode } from './vfs.ts';

/** A fresh, empty Vfs for one test, and how to dispose of it. */
export interface VfsUnderTest {
  readonly vfs: Vfs;
  readonly cleanup: () => Promise<void>;
}

/** How long a watcher test waits for a notification before calling it lost (real disks are asynchronous). */
const NOTIFICATION_TIMEOUT_MS = 10_000;

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array): string => new TextDecoder().decode(data);

/** The error code a promise rejects with (fails the test if it resolves or throws something else). */
async function codeOf(promise: Promise<unknown>): Promise<VfsErrorCode> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(VfsError);
    return (err as VfsError).code;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Resolves true when `promise` settles within `ms` of real time, false otherwise. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}

/** Registers the contract tests for the adapter `name`. */
export function defineVfsContract(name: string, make: () => Promise<VfsUnderTest>): void {
  /** Runs `body` on a fresh Vfs and always cleans up. */
  const withVfs = (body: (vfs: Vfs) => Promise<void>) => async (): Promise<void> => {
    const { vfs, cleanup } = await make();
    try {
      await body(vfs);
    } finally {
      await cleanup();
    }
  };

  describe(`Vfs contract: ${name}`, () => {
    it('mkdir creates a directory; EEXIST, ENOENT and ENOTDIR for misuse', withVfs(async (vfs) => {
      await vfs.mkdir('/d');
      expect((await vfs.stat('/d')).kind).toBe('directory');
      expect(await codeOf(vfs.mkdir('/d'))).toBe('EEXIST');
      expect(await codeOf(vfs.mkdir('/missing/d'))).toBe('ENOENT');
      await writeWholeFile(vfs, '/f', bytes('x'));
      expect(await codeOf(vfs.mkdir('/f'))).toBe('EEXIST');
      expect(await codeOf(vfs.mkdir('/f/d'))).toBe('ENOTDIR');
    }));

    it('rmdir removes an empty directory only', withVfs(async (vfs) => {
      await vfs.mkdir('/d');
      await writeWholeFile(vfs, '/d/f', bytes(''));
      expect(await codeOf(vfs.rmdir('/d'))).toBe('ENOTEMPTY');
      await vfs.unlink('/d/f');
      await vfs.rmdir('/d');
      expect(await codeOf(vfs.stat('/d'))).toBe('ENOENT');
      expect(await codeOf(vfs.rmdir('/d'))).toBe('ENOENT');
    }));

    it('exclusive create fails with EEXIST on any existing name, file or directory', withVfs(async (vfs) => {
      const f = await vfs.open('/f', { write: true, create: true, exclusive: true });
      await f.close();
      expect(await codeOf(vfs.open('/f', { write: true, create: true, exclusive: true }))).toBe('EEXIST');
      await vfs.mkdir('/d');
      expect(await codeOf(vfs.open('/d', { write: true, create: true, exclusive: true }))).toBe('EEXIST');
    }));

    it('open: ENOENT without create, EISDIR for a directory, truncate empties', withVfs(async (vfs) => {
      expect(await codeOf(vfs.open('/nope', {}))).toBe('ENOENT');
      expect(await codeOf(vfs.open('/nope/f', { write: true, create: true }))).toBe('ENOENT');
      await vfs.mkdir('/d');
      expect(await codeOf(vfs.open('/d', {}))).toBe('EISDIR');
      expect(await codeOf(vfs.open('/d', { write: true }))).toBe('EISDIR');
      await writeWholeFile(vfs, '/f', bytes('hello'));
      const g = await vfs.open('/f', { write: true, truncate: true });
      expect(await g.size()).toBe(0);
      await g.close();
      expect((await vfs.stat('/f')).size).toBe(0);
    }));

    it('positional read and write; short read only at end of file; a gap reads as zeros', withVfs(async (vfs) => {
      const f = await vfs.open('/f', { write: true, create: true });
      await f.write(0, bytes('abcdef'));
      await f.write(2, bytes('XY'));
      expect(text(await f.read(0, 6))).toBe('abXYef');
      expect(text(await f.read(4, 100))).toBe('ef');
      expect((await f.read(6, 4)).length).toBe(0);
      await f.write(8, bytes('z'));
      expect(await f.size()).toBe(9);
      expect([...(await f.read(6, 3))]).toEqual([0, 0, 'z'.charCodeAt(0)]);
      await f.fsync();
      await f.close();
      expect(text(await readWholeFile(vfs, '/f'))).toBe('abXYef\0\0z');
    }));

    it('a read-only handle refuses writes; a closed handle refuses everything but close', withVfs(async (vfs) => {
      await writeWholeFile(vfs, '/f', bytes('data'));
      const r = await vfs.open('/f', {});
      expect(await codeOf(r.write(0, bytes('x')))).toBe('EBADF');
      expect(text(await r.read(0, 4))).toBe('data');
      await r.close();
      await r.close();
      expect(await codeOf(r.read(0, 1))).toBe('EBADF');
      expect(await codeOf(r.size())).toBe('EBADF');
      expect(await codeOf(r.fsync())).toBe('EBADF');
    }));

    it('rename moves a file across directories and atomically replaces an existing file', withVfs(async (vfs) => {
      await vfs.mkdir('/a');
      await vfs.mkdir('/b');
      await writeWholeFile(vfs, '/a/f', bytes('new'));
      await writeWholeFile(vfs, '/b/f', bytes('old'));
      await vfs.rename('/a/f', '/b/f');
      expect(text(await readWholeFile(vfs, '/b/f'))).toBe('new');
      expect(await vfs.readdir('/a')).toEqual([]);
      expect(await codeOf(vfs.rename('/a/f', '/b/g'))).toBe('ENOENT');
      expect(await codeOf(vfs.rename('/b/f', '/missing/f'))).toBe('ENOENT');
      await vfs.mkdir('/a/sub');
      await writeWholeFile(vfs, '/a/sub/x', bytes(''));
      await vfs.mkdir('/b/sub');
      await writeWholeFile(vfs, '/b/sub/y', bytes(''));
      expect(['ENOTEMPTY', 'EEXIST']).toContain(await codeOf(vfs.rename('/a/sub', '/b/sub')));
    }));

    it('unlink removes a name; ENOENT when missing; EISDIR or EPERM for a directory', withVfs(async (vfs) => {
      await writeWholeFile(vfs, '/f', bytes(''));
      await vfs.unlink('/f');
      expect(await codeOf(vfs.unlink('/f'))).toBe('ENOENT');
      await vfs.mkdir('/d');
      expect(['EISDIR', 'EPERM']).toContain(await codeOf(vfs.unlink('/d')));
      expect((await vfs.stat('/d')).kind).toBe('directory');
    }));

    it('readdir lists entry names only; ENOENT and ENOTDIR for misuse', withVfs(async (vfs) => {
      await vfs.mkdir('/d');
      await vfs.mkdir('/d/sub');
      await writeWholeFile(vfs, '/d/f', bytes(''));
      expect((await vfs.readdir('/d')).sort()).toEqual(['f', 'sub']);
      expect(await codeOf(vfs.readdir('/nope'))).toBe('ENOENT');
      expect(await codeOf(vfs.readdir('/d/f'))).toBe('ENOTDIR');
      expect(await codeOf(vfs.stat('/d/f/x'))).toBe('ENOTDIR');
    }));

    it('stat reports kind and size; utimes sets mtime to the millisecond', withVfs(async (vfs) => {
      await writeWholeFile(vfs, '/f', bytes('12345'));
      const st = await vfs.stat('/f');
      expect(st.kind).toBe('file');
      expect(st.size).toBe(5);
      const mtimeMs = 1_700_000_123_456;
      await vfs.utimes('/f', mtimeMs, mtimeMs);
      expect((await vfs.stat('/f')).mtimeMs).toBe(mtimeMs);
      await vfs.mkdir('/d');
      await vfs.utimes('/d', 1_000, 2_000);
      expect((await vfs.stat('/d')).mtimeMs).toBe(2_000);
      expect(await codeOf(vfs.utimes('/nope', 1, 1))).toBe('ENOENT');
    }));

    it('fsyncDir accepts a directory and refuses a missing path or a file', withVfs(async (vfs) => {
      await vfs.mkdir('/d');
      await vfs.fsyncDir('/d');
      await vfs.fsyncDir('/');
      expect(await codeOf(vfs.fsyncDir('/nope'))).toBe('ENOENT');
      await writeWholeFile(vfs, '/f', bytes(''));
      expect(await codeOf(vfs.fsyncDir('/f'))).toBe('ENOTDIR');
    }));

    it('a watcher hears creates, renames in and out, and unlinks, naming the entry', withVfs(async (vfs) => {
      await vfs.mkdir('/q');
      await vfs.mkdir('/other');
      expect(await codeOf(vfs.watch('/nope'))).toBe('ENOENT');
      const watcher = await vfs.watch('/q');
      try {
        expect(watcher.drain()).toEqual([]);
        const changes: Array<[string, () => Promise<void>]> = [
          ['created', () => writeWholeFile(vfs, '/q/created', bytes('x'))],
          ['moved', async () => {
            await writeWholeFile(vfs, '/other/moved', bytes('y'));
            await vfs.rename('/other/moved', '/q/moved');
          }],
          ['moved', () => vfs.rename('/q/moved', '/other/moved')],
          ['created', () => vfs.unlink('/q/created')],
        ];
        for (const [entry, change] of changes) {
          await change();
          expect(await settlesWithin(watcher.wait(), NOTIFICATION_TIMEOUT_MS)).toBe(true);
          const names = new Set<string>();
          // A real disk may deliver one change as several events, spread over a few ticks.
          for (let i = 0; i < 20 && !names.has(entry); i++) {
            for (const n of watcher.drain()) names.add(n);
            if (!names.has(entry)) await settlesWithin(watcher.wait(), 50);
          }
          expect([...names]).toContain(entry);
        }
      } finally {
        watcher.close();
      }
    }));

    it('wait resolves on an aborted signal and on close, without a notification', withVfs(async (vfs) => {
      await vfs.mkdir('/q');
      const watcher = await vfs.watch('/q');
      const controller = new AbortController();
      const waiting = watcher.wait(controller.signal);
      controller.abort();
      expect(await settlesWithin(waiting, NOTIFICATION_TIMEOUT_MS)).toBe(true);
      const waiting2 = watcher.wait();
      watcher.close();
      expect(await settlesWithin(waiting2, NOTIFICATION_TIMEOUT_MS)).toBe(true);
      expect(watcher.drain()).toEqual([]);
    }));
  });
}
