/**
 * Activity tracking for a Vfs: counts the calls started and still in flight, so a test can wait
 * until the code under test has gone quiet (every background chain is blocked on something the
 * test controls, or done) before it compares states.
 *
 * Fault contract, in plain words: this wrapper injects nothing and changes nothing; every call
 * passes through unchanged. `settle()` only waits (macrotask turns) until no call is in flight and
 * none started during the last turns; it cannot see work that does no Vfs call for longer than
 * that (timers of a real clock, say), so it is meant for code driven by a manual clock.
 */
import type { OpenFlags, Vfs, VfsFile } from '../impl/io/vfs.ts';

/** A Vfs whose activity can be waited out. */
export interface ActivityVfs {
  readonly vfs: Vfs;
  /** Resolves once no call is in flight and none started for `quietTurns` macrotask turns (default 3). */
  settle(quietTurns?: number): Promise<void>;
}

/** Wraps `inner` to count its calls. */
export function activityVfs(inner: Vfs): ActivityVfs {
  let started = 0;
  let inFlight = 0;
  const track = async <T>(call: () => Promise<T>): Promise<T> => {
    started++;
    inFlight++;
    try {
      return await call();
    } finally {
      inFlight--;
    }
  };
  const wrapFile = (file: VfsFile): VfsFile => ({
    path: file.path,
    read: (p, l) => track(() => file.read(p, l)),
    write: (p, d) => track(() => file.write(p, d)),
    size: () => track(() => file.size()),
    fsync: () => track(() => file.fsync()),
    close: () => track(() => file.close()),
  });
  const vfs: Vfs = {
    description: inner.description,
    mkdir: (p) => track(() => inner.mkdir(p)),
    rmdir: (p) => track(() => inner.rmdir(p)),
    open: async (p: string, f: OpenFlags) => wrapFile(await track(() => inner.open(p, f))),
    rename: (a, b) => track(() => inner.rename(a, b)),
    unlink: (p) => track(() => inner.unlink(p)),
    readdir: (p) => track(() => inner.readdir(p)),
    stat: (p) => track(() => inner.stat(p)),
    utimes: (p, a, m) => track(() => inner.utimes(p, a, m)),
    fsyncDir: (p) => track(() => inner.fsyncDir(p)),
    watch: (p) => track(() => inner.watch(p)),
  };
  return {
    vfs,
    async settle(quietTurns = 3) {
      let quiet = 0;
      while (quiet < quietTurns) {
        const before = started;
        await new Promise<void>((resolve) => setImmediate(resolve));
        quiet = inFlight === 0 && started === before ? quiet + 1 : 0;
      }
    },
  };
}
