/**
 * The real-disk adapter: a {@link Vfs} over `node:fs/promises`, rooted below a real directory.
 *
 * Vfs path `/a/b` is `<root>/a/b` on disk. Durability is whatever the kernel and the disk give:
 * `fsync` is fsync(2) on the file, `fsyncDir` is fsync(2) on the directory. Modification times
 * are rounded to whole milliseconds. Change notifications come from `fs.watch` (inotify on
 * Linux) and arrive asynchronously, some time after the change; the queue-reader protocol
 * (drain, then list) tolerates that.
 */
import { constants, watch as fsWatch } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { notificationQueue } from './dir-watcher.ts';
import { VfsError, type DirWatcher, type OpenFlags, type Vfs, type VfsFile, type VfsStat } from './vfs.ts';

async function call<T>(syscall: string, path: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw VfsError.from(err, syscall, path);
  }
}

function openFlagsToNumber(flags: OpenFlags): number {
  let n = flags.write === true ? constants.O_RDWR : constants.O_RDONLY;
  if (flags.create === true) n |= constants.O_CREAT;
  if (flags.exclusive === true) n |= constants.O_EXCL;
  if (flags.truncate === true) n |= constants.O_TRUNC;
  return n;
}

/** Creates a Vfs whose `/` is the real directory `root` (which must exist). */
export function nodeVfs(root: string): Vfs {
  const real = (path: string): string => nodePath.join(root, path);

  const openFile = async (path: string, flags: OpenFlags): Promise<VfsFile> => {
    const handle = await call('open', path, () => fs.open(real(path), openFlagsToNumber(flags), 0o644));
    // Linux lets a directory be opened read-only; the Vfs contract says EISDIR.
    if ((await call('open', path, () => handle.stat())).isDirectory()) {
      await handle.close();
      throw new VfsError('EISDIR', 'open', path);
    }
    let open = true;
    const check = (syscall: string): void => {
      if (!open) throw new VfsError('EBADF', syscall, path);
    };
    return {
      path,
      read: async (position, length) => {
        check('read');
        const buffer = new Uint8Array(length);
        let got = 0;
        while (got < length) {
          const { bytesRead } = await call('read', path, () => handle.read(buffer, got, length - got, position + got));
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return buffer.subarray(0, got);
      },
      write: async (position, data) => {
        check('write');
        if (flags.write !== true) throw new VfsError('EBADF', 'write', path, 'not opened for writing');
        let done = 0;
        while (done < data.length) {
          const { bytesWritten } = await call('write', path, () =>
            handle.write(data, done, data.length - done, position + done),
          );
          done += bytesWritten;
        }
      },
      size: async () => {
        check('size');
        return (await call('fstat', path, () => handle.stat())).size;
      },
      fsync: async () => {
        check('fsync');
        await call('fsync', path, () => handle.sync());
      },
      close: async () => {
        if (!open) return;
        open = false;
        await call('close', path, () => handle.close());
      },
    };
  };

  return {
    description: `node-fs:${root}`,
    mkdir: (path) => call('mkdir', path, () => fs.mkdir(real(path))),
    rmdir: (path) => call('rmdir', path, () => fs.rmdir(real(path))),
    open: openFile,
    rename: (from, to) => call('rename', from, () => fs.rename(real(from), real(to))),
    unlink: (path) => call('unlink', path, () => fs.unlink(real(path))),
    readdir: (path) => call('readdir', path, () => fs.readdir(real(path))),
    stat: async (path): Promise<VfsStat> => {
      const st = await call('stat', path, () => fs.stat(real(path)));
      return {
        kind: st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'other',
        size: st.size,
        mtimeMs: Math.round(st.mtimeMs),
      };
    },
    utimes: (path, atimeMs, mtimeMs) =>
      call('utimes', path, () => fs.utimes(real(path), atimeMs / 1000, mtimeMs / 1000)),
    fsyncDir: async (path) => {
      const st = await call('fsyncDir', path, () => fs.stat(real(path)));
      if (!st.isDirectory()) throw new VfsError('ENOTDIR', 'fsyncDir', path);
      const handle = await call('fsyncDir', path, () => fs.open(real(path), constants.O_RDONLY));
      try {
        await call('fsyncDir', path, () => handle.sync());
      } finally {
        await handle.close();
      }
    },
    watch: async (path): Promise<DirWatcher> => {
      const st = await call('watch', path, () => fs.stat(real(path)));
      if (!st.isDirectory()) throw new VfsError('ENOTDIR', 'watch', path);
      const watcher = fsWatch(real(path), { persistent: false });
      const queue = notificationQueue(() => watcher.close());
      watcher.on('change', (_event, filename) => queue.push(filename === null ? undefined : String(filename)));
      // A watch that breaks (the directory vanished) wakes the reader, which then lists and
      // reports what it finds; the listing, not the notification, is the truth.
      watcher.on('error', () => queue.push());
      return queue.watcher;
    },
  };
}

/** A fresh real temporary directory and a function that removes it with everything below. */
export interface TempDir {
  readonly path: string;
  cleanup(): Promise<void>;
}

/** Creates a temporary directory under the OS temp dir, named `<prefix>XXXXXX`. */
export async function makeTempDir(prefix: string): Promise<TempDir> {
  const path = await fs.mkdtemp(nodePath.join(os.tmpdir(), prefix));
  return { path, cleanup: () => fs.rm(path, { recursive: true, force: true }) };
}
