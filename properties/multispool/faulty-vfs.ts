/**
 * A Vfs wrapper that fails exactly one call once armed: the `failAt`-th call (0-based, counting
 * every Vfs method and every call on an open file; a watcher's drain/wait/close are no I/O and
 * are not counted) throws a VfsError with the chosen code instead of running.
 *
 * Fault contract, in plain words: exactly one injected fault per arming, before the call runs
 * (so the failed call changes nothing); every other call behaves as the wrapped Vfs's.
 */
import { VfsError, type DirWatcher, type Vfs, type VfsErrorCode, type VfsFile } from '../../impl/io/vfs.ts';

/** A Vfs that fails one chosen call. */
export interface FaultyVfs extends Vfs {
  /** Counts calls from now on and fails the `failAt`-th with `code`. */
  arm(failAt: number, code: VfsErrorCode): void;
  /** Stops counting; returns the error injected since `arm`, if the fault was reached. */
  disarm(): VfsError | undefined;
}

/** Wraps `inner` into a {@link FaultyVfs} (disarmed). */
export function faultyVfs(inner: Vfs): FaultyVfs {
  let armed: { failAt: number; code: VfsErrorCode; calls: number } | undefined;
  let injected: VfsError | undefined;
  const gate = (syscall: string, path: string): void => {
    if (armed === undefined) return;
    const index = armed.calls++;
    if (index !== armed.failAt) return;
    injected = new VfsError(armed.code, syscall, path, 'injected by the io-faults property');
    throw injected;
  };
  const run = async <T>(syscall: string, path: string, f: () => Promise<T>): Promise<T> => {
    gate(syscall, path);
    return f();
  };
  const wrapFile = (file: VfsFile): VfsFile => ({
    path: file.path,
    read: (position, length) => run('read', file.path, () => file.read(position, length)),
    write: (position, data) => run('write', file.path, () => file.write(position, data)),
    size: () => run('size', file.path, () => file.size()),
    fsync: () => run('fsync', file.path, () => file.fsync()),
    close: () => run('close', file.path, () => file.close()),
  });
  return {
    description: `${inner.description} (one fault)`,
    arm(failAt, code) {
      armed = { failAt, code, calls: 0 };
      injected = undefined;
    },
    disarm() {
      armed = undefined;
      return injected;
    },
    mkdir: (path) => run('mkdir', path, () => inner.mkdir(path)),
    rmdir: (path) => run('rmdir', path, () => inner.rmdir(path)),
    open: async (path, flags) => wrapFile(await run('open', path, () => inner.open(path, flags))),
    rename: (from, to) => run('rename', from, () => inner.rename(from, to)),
    unlink: (path) => run('unlink', path, () => inner.unlink(path)),
    readdir: (path) => run('readdir', path, () => inner.readdir(path)),
    stat: (path) => run('stat', path, () => inner.stat(path)),
    utimes: (path, a, m) => run('utimes', path, () => inner.utimes(path, a, m)),
    fsyncDir: (path) => run('fsyncDir', path, () => inner.fsyncDir(path)),
    watch: async (path): Promise<DirWatcher> => run('watch', path, () => inner.watch(path)),
  };
}
