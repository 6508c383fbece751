/**
 * A Vfs whose every call waits for fast-check's scheduler before it runs, so that several
 * "processes" sharing one file system interleave at the granularity of single Vfs calls, in an
 * order fast-check chooses (and shrinks, and replays from the seed).
 *
 * Fault contract, in plain words: this wrapper injects NO faults. Every call runs exactly as the
 * wrapped Vfs runs it, whole and in one piece; only the moment at which it starts is chosen by
 * the scheduler. Calls on an open file (read, write, fsync, close) are scheduled too. Watcher
 * methods (`drain`, `wait`, `close`) are not: notifications arrive when the call that caused them
 * runs. While `enabled` is false (set-up and inspection), calls go straight through.
 */
import type fc from 'fast-check';
import type { DirWatcher, OpenFlags, Vfs, VfsFile } from '../impl/io/vfs.ts';

/** A Vfs interleaved by a fast-check scheduler; `enabled` switches the scheduling on and off. */
export interface ScheduledVfs extends Vfs {
  enabled: boolean;
}

/** Wraps `inner` so every call is scheduled by `scheduler`, labelled `<label> <method> <path>`. */
export function scheduledVfs(inner: Vfs, scheduler: fc.Scheduler, label: string): ScheduledVfs {
  const gate = async (what: string): Promise<void> => {
    if (self.enabled) await scheduler.schedule(Promise.resolve(), `${label} ${what}`);
  };
  const wrapFile = (file: VfsFile): VfsFile => ({
    path: file.path,
    read: async (position, length) => (await gate(`read ${file.path}`), file.read(position, length)),
    write: async (position, data) => (await gate(`write ${file.path}`), file.write(position, data)),
    size: async () => (await gate(`size ${file.path}`), file.size()),
    fsync: async () => (await gate(`fsync ${file.path}`), file.fsync()),
    close: async () => (await gate(`close ${file.path}`), file.close()),
  });
  const self: ScheduledVfs = {
    enabled: true,
    description: `${inner.description} (scheduled: ${label})`,
    mkdir: async (path) => (await gate(`mkdir ${path}`), inner.mkdir(path)),
    rmdir: async (path) => (await gate(`rmdir ${path}`), inner.rmdir(path)),
    open: async (path: string, flags: OpenFlags) => (await gate(`open ${path}`), wrapFile(await inner.open(path, flags))),
    rename: async (from, to) => (await gate(`rename ${from} ${to}`), inner.rename(from, to)),
    unlink: async (path) => (await gate(`unlink ${path}`), inner.unlink(path)),
    readdir: async (path) => (await gate(`readdir ${path}`), inner.readdir(path)),
    stat: async (path) => (await gate(`stat ${path}`), inner.stat(path)),
    utimes: async (path, a, m) => (await gate(`utimes ${path}`), inner.utimes(path, a, m)),
    fsyncDir: async (path) => (await gate(`fsyncDir ${path}`), inner.fsyncDir(path)),
    watch: async (path): Promise<DirWatcher> => (await gate(`watch ${path}`), inner.watch(path)),
  };
  return self;
}
