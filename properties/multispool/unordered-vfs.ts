/**
 * A Vfs wrapper whose `readdir` returns the names in reverse code-unit order. The Vfs contract
 * promises no order, and memfs happens to list sorted; reversing makes sure the spool sorts
 * wherever the protocol promises an order (`list`, `listCheckoutsUnsafe`, the Monitor's listing),
 * instead of relying on the file system's.
 *
 * Fault contract, in plain words: no faults; every call behaves as the wrapped Vfs's, except
 * that `readdir` gives the same names in another order.
 */
import type { Vfs } from '../../impl/io/vfs.ts';

/** Wraps `inner` so that `readdir` lists names in reverse code-unit order. */
export function reversedReaddirVfs(inner: Vfs): Vfs {
  return {
    description: `${inner.description} (readdir reversed)`,
    mkdir: (path) => inner.mkdir(path),
    rmdir: (path) => inner.rmdir(path),
    open: (path, flags) => inner.open(path, flags),
    rename: (from, to) => inner.rename(from, to),
    unlink: (path) => inner.unlink(path),
    readdir: async (path) => (await inner.readdir(path)).sort().reverse(),
    stat: (path) => inner.stat(path),
    utimes: (path, a, m) => inner.utimes(path, a, m),
    fsyncDir: (path) => inner.fsyncDir(path),
    watch: (path) => inner.watch(path),
  };
}
