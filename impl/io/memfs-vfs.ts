/**
 * The memfs adapter: a {@link Vfs} over an in-memory memfs `Volume`.
 *
 * Behaviour matches Linux for everything the Vfs contract promises (same error codes, exclusive
 * create, rename replacing a file, ENOTEMPTY on a non-empty rmdir). Differences from a real disk:
 *  - nothing is ever lost: fsync and fsyncDir only check their argument exists;
 *  - with a `clock`, every modification time is stamped from that clock (files on write and
 *    truncate, directories when an entry is created, removed or renamed in or out), so tests
 *    are deterministic; without one, memfs uses the wall clock;
 *  - change notifications are delivered synchronously, before the modifying call resolves, to
 *    every watcher of the same Volume, whichever Vfs object made the change.
 */
import { constants } from 'node:fs';
import { Volume } from 'memfs';
import type { Clock } from './clock.ts';
import { basename, dirname, VfsError, type DirWatcher, type OpenFlags, type Vfs, type VfsFile, type VfsStat } from './vfs.ts';
import { notifyingRegistry, type WatchRegistry } from './watch-registry.ts';

/** Options of {@link memfsVfs}. */
export interface MemfsVfsOptions {
  /** The volume to use; share one between several Vfs objects to model several processes. Default: a new empty volume. */
  readonly volume?: InstanceType<typeof Volume>;
  /** Stamps modification times from this clock (see the module comment). */
  readonly clock?: Clock;
  /** The Vfs description in reports. Default `memfs`. */
  readonly description?: string;
}

type MemVolume = InstanceType<typeof Volume>;

/**
 * The process memfs sees: the real one's identity, read once. memfs asks for the user and group
 * on every path step otherwise, a system call each time (a tenth of a simulated run's time).
 */
const memfsProcess = {
  cwd: () => '/',
  platform: 'linux' as NodeJS.Platform,
  emitWarning: () => {},
  env: {},
  getuid: ((uid: number) => () => uid)(process.getuid?.() ?? 0),
  getgid: ((gid: number) => () => gid)(process.getgid?.() ?? 0),
};

/** A new empty memfs volume, for {@link MemfsVfsOptions.volume} (several Vfs objects may share it). */
export function newVolume(): MemVolume {
  return Volume.fromJSON({}, '/', { process: memfsProcess as unknown as NodeJS.Process });
}

const registries = new WeakMap<MemVolume, WatchRegistry>();

function registryOf(volume: MemVolume): WatchRegistry {
  let registry = registries.get(volume);
  if (registry === undefined) {
    registry = notifyingRegistry();
    registries.set(volume, registry);
  }
  return registry;
}

/** Runs a synchronous memfs call, converting its failure into a {@link VfsError}. */
function call<T>(syscall: string, path: string, f: () => T): T {
  try {
    return f();
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

/** Creates a Vfs over a memfs volume. Paths are the volume's own absolute paths. */
export function memfsVfs(options: MemfsVfsOptions = {}): Vfs {
  const volume = options.volume ?? newVolume();
  const clock = options.clock;
  const registry = registryOf(volume);

  /** Sets `path`'s times to the clock's now (no-op without a clock). */
  const stamp = (path: string): void => {
    if (clock === undefined) return;
    const seconds = clock.now() / 1000;
    volume.utimesSync(path, seconds, seconds);
  };
  /** An entry named `path` appeared, vanished or changed in its parent directory. */
  const entryChanged = (path: string): void => {
    stamp(dirname(path));
    registry.notify(dirname(path), basename(path));
  };
  /** The entry's stats, undefined when it does not exist (without building an error for it). */
  const lookup = (path: string) => volume.statSync(path, { bigint: false, throwIfNoEntry: false });
  /** Like `lookup`, but a path that cannot be resolved (a file on the way) is also undefined. */
  const find = (path: string) => {
    try {
      return lookup(path);
    } catch {
      return undefined;
    }
  };
  /** The entry's stats; ENOENT for `syscall` when it does not exist. */
  const statOrThrow = (syscall: string, path: string) => {
    const st = call(syscall, path, () => lookup(path));
    if (st === undefined) throw new VfsError('ENOENT', syscall, path);
    return st;
  };

  /** Linux resolves every ancestor first: a file on the way is ENOTDIR, a missing one ENOENT. */
  const checkAncestors = (syscall: string, path: string): void => {
    const parts = path.split('/').filter((p) => p !== '');
    for (let i = 1; i < parts.length; i++) {
      const ancestor = `/${parts.slice(0, i).join('/')}`;
      const st = find(ancestor);
      if (st === undefined) throw new VfsError('ENOENT', syscall, path);
      if (!st.isDirectory()) throw new VfsError('ENOTDIR', syscall, path);
    }
  };

  const openFile = (path: string, flags: OpenFlags): VfsFile => {
    // A path memfs cannot resolve (a file on the way) is left for openSync to report.
    const before = find(path);
    if (flags.create === true && flags.exclusive === true && before !== undefined) throw new VfsError('EEXIST', 'open', path);
    if (before?.isDirectory() === true) throw new VfsError('EISDIR', 'open', path);
    const created = flags.create === true && before === undefined;
    const fd = call('open', path, () => volume.openSync(path, openFlagsToNumber(flags), 0o644));
    if (created) entryChanged(path);
    /** Sets the file's times to the clock's now, through its descriptor (no path walk). */
    const stampFile = (): void => {
      if (clock === undefined) return;
      const seconds = clock.now() / 1000;
      volume.futimesSync(fd, seconds, seconds);
    };
    if (created || flags.truncate === true) stampFile();
    let open = true;
    const writable = flags.write === true;
    const check = (syscall: string): void => {
      if (!open) throw new VfsError('EBADF', syscall, path);
    };
    return {
      path,
      read: async (position, length) => {
        check('read');
        const buffer = new Uint8Array(length);
        const n = call('read', path, () => volume.readSync(fd, buffer, 0, length, position));
        return buffer.subarray(0, n);
      },
      write: async (position, data) => {
        check('write');
        if (!writable) throw new VfsError('EBADF', 'write', path, 'not opened for writing');
        let done = 0;
        while (done < data.length) {
          const offset = done;
          done += call('write', path, () => volume.writeSync(fd, data, offset, data.length - offset, position + offset));
        }
        stampFile();
      },
      size: async () => {
        check('size');
        return call('fstat', path, () => Number(volume.fstatSync(fd, { bigint: false }).size));
      },
      fsync: async () => {
        check('fsync');
      },
      close: async () => {
        if (!open) return;
        open = false;
        call('close', path, () => volume.closeSync(fd));
      },
    };
  };

  return {
    description: options.description ?? 'memfs',
    mkdir: async (path) => {
      call('mkdir', path, () => volume.mkdirSync(path));
      stamp(path);
      entryChanged(path);
    },
    rmdir: async (path) => {
      call('rmdir', path, () => volume.rmdirSync(path));
      entryChanged(path);
    },
    open: async (path, flags) => openFile(path, flags),
    rename: async (from, to) => {
      checkAncestors('rename', from);
      checkAncestors('rename', to);
      // memfs lets a directory replace anything; Linux does not (rename(2)).
      const fromIsDir = statOrThrow('rename', from).isDirectory();
      if (to.startsWith(`${from}/`)) throw new VfsError('EINVAL', 'rename', from, 'cannot move a directory into itself');
      const toStat = find(to);
      if (toStat !== undefined && from !== to) {
        const toIsDir = toStat.isDirectory();
        if (fromIsDir && !toIsDir) throw new VfsError('ENOTDIR', 'rename', from);
        if (!fromIsDir && toIsDir) throw new VfsError('EISDIR', 'rename', from);
        if (toIsDir && volume.readdirSync(to).length > 0) throw new VfsError('ENOTEMPTY', 'rename', from);
      }
      call('rename', from, () => volume.renameSync(from, to));
      entryChanged(from);
      entryChanged(to);
    },
    unlink: async (path) => {
      const isDir = statOrThrow('unlink', path).isDirectory();
      if (isDir) throw new VfsError('EISDIR', 'unlink', path);
      call('unlink', path, () => volume.unlinkSync(path));
      entryChanged(path);
    },
    readdir: async (path) => call('readdir', path, () => volume.readdirSync(path).map(String)),
    stat: async (path): Promise<VfsStat> => {
      const st = statOrThrow('stat', path);
      return {
        kind: st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'other',
        size: Number(st.size),
        mtimeMs: Math.round(Number(st.mtimeMs)),
      };
    },
    utimes: async (path, atimeMs, mtimeMs) => {
      call('utimes', path, () => volume.utimesSync(path, atimeMs / 1000, mtimeMs / 1000));
    },
    fsyncDir: async (path) => {
      const isDir = statOrThrow('fsyncDir', path).isDirectory();
      if (!isDir) throw new VfsError('ENOTDIR', 'fsyncDir', path);
    },
    watch: async (path): Promise<DirWatcher> => {
      const isDir = statOrThrow('watch', path).isDirectory();
      if (!isDir) throw new VfsError('ENOTDIR', 'watch', path);
      return registry.watch(path);
    },
  };
}
