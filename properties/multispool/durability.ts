/**
 * A Vfs wrapper that keeps track of what is not yet durable: directories whose entries changed
 * (create, unlink, rename, mkdir, rmdir) since their last `fsyncDir`, and files written (or
 * truncated) since their last `fsync`. The protocol makes every acknowledged operation durable
 * before it returns (docs/multispool-protocol.md; `docs/multispool-protocol.md`): after each one, nothing inside the
 * spool may be left dirty. Time stamps (`utimes`) are not tracked: mtimes need no durability.
 * It also counts the files opened and not yet closed: an operation that returns must not leak a
 * file handle.
 *
 * Fault contract, in plain words: this wrapper injects no faults and changes no result; it only
 * watches (it may `stat` a path before an `open` to learn whether the open creates it).
 */
import { dirname, isVfsError, type OpenFlags, type Vfs, type VfsFile } from '../../impl/io/vfs.ts';
import { isInside } from './clear-errors.ts';

/** A Vfs that knows what is not yet durable. */
export interface DurabilityTracker extends Vfs {
  /** The directories with entry changes not yet fsynced, and the files with writes not yet fsynced, below `root` (sorted). */
  notDurable(root: string): { readonly dirs: readonly string[]; readonly files: readonly string[] };
  /** The paths of the files opened and not closed yet (one entry per open handle, sorted). */
  openFiles(): string[];
}

/** Wraps `inner` into a {@link DurabilityTracker}. */
export function durabilityTracker(inner: Vfs): DurabilityTracker {
  const dirtyDirs = new Set<string>();
  const dirtyFiles = new Set<string>();
  const open = new Map<VfsFile, string>();
  const changed = (path: string): void => {
    dirtyDirs.add(dirname(path));
  };
  const exists = async (path: string): Promise<boolean> => {
    try {
      await inner.stat(path);
      return true;
    } catch (err) {
      if (isVfsError(err, 'ENOENT')) return false;
      throw err;
    }
  };
  const wrapFile = (file: VfsFile): VfsFile => {
    open.set(file, file.path);
    return {
      path: file.path,
      read: (position, length) => file.read(position, length),
      write: async (position, data) => {
        await file.write(position, data);
        dirtyFiles.add(file.path);
      },
      size: () => file.size(),
      fsync: async () => {
        await file.fsync();
        dirtyFiles.delete(file.path);
      },
      close: async () => {
        await file.close();
        open.delete(file);
      },
    };
  };
  return {
    description: `${inner.description} (durability tracked)`,
    openFiles: () => [...open.values()].sort(),
    notDurable: (root) => ({
      dirs: [...dirtyDirs].filter((d) => isInside(d, root)).sort(),
      files: [...dirtyFiles].filter((f) => isInside(f, root)).sort(),
    }),
    mkdir: async (path) => {
      await inner.mkdir(path);
      changed(path);
    },
    rmdir: async (path) => {
      await inner.rmdir(path);
      changed(path);
      dirtyDirs.delete(path);
    },
    open: async (path: string, flags: OpenFlags) => {
      const creates = flags.create === true && !(await exists(path));
      const file = await inner.open(path, flags);
      if (creates) changed(path);
      if (flags.truncate === true && !creates) dirtyFiles.add(path);
      return wrapFile(file);
    },
    rename: async (from, to) => {
      await inner.rename(from, to);
      changed(from);
      changed(to);
      dirtyFiles.delete(to);
      if (dirtyFiles.delete(from)) dirtyFiles.add(to);
    },
    unlink: async (path) => {
      await inner.unlink(path);
      changed(path);
      dirtyFiles.delete(path);
    },
    readdir: (path) => inner.readdir(path),
    stat: (path) => inner.stat(path),
    utimes: (path, a, m) => inner.utimes(path, a, m),
    fsyncDir: async (path) => {
      await inner.fsyncDir(path);
      dirtyDirs.delete(path);
    },
    watch: (path) => inner.watch(path),
  };
}
