/**
 * A Vfs whose every call waits for fast-check's scheduler before it runs, so that several
 * "processes" sharing one file system interleave at the granularity of single Vfs calls, in an
 * order fast-check chooses (and shrinks, and replays from the seed).
 *
 * Fault contract, in plain words: this wrapper injects NO faults. Every call runs exactly as the
 * wrapped Vfs runs it, whole and in one piece; only the moment at which it starts is chosen by
 * the scheduler. Each call has two interleaving points: before it runs, and after it ran but
 * before its caller sees the result (other processes may act in between, as they do while a
 * real system call returns). Calls on an open file (read, write, fsync, close) are scheduled
 * too. Watcher
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
  /** Runs `call` between two interleaving points: its start, and the moment its caller sees the result. */
  const around = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    await gate(what);
    const result = await call();
    await gate(`${what} returned`);
    return result;
  };
  const wrapFile = (file: VfsFile): VfsFile => ({
    path: file.path,
    read: (position, length) => around(`read ${file.path}`, () => file.read(position, length)),
    write: (position, data) => around(`write ${file.path}`, () => file.write(position, data)),
    size: () => around(`size ${file.path}`, () => file.size()),
    fsync: () => around(`fsync ${file.path}`, () => file.fsync()),
    close: () => around(`close ${file.path}`, () => file.close()),
  });
  const self: ScheduledVfs = {
    enabled: true,
    description: `${inner.description} (scheduled: ${label})`,
    mkdir: (path) => around(`mkdir ${path}`, () => inner.mkdir(path)),
    rmdir: (path) => around(`rmdir ${path}`, () => inner.rmdir(path)),
    open: async (path: string, flags: OpenFlags) => wrapFile(await around(`open ${path}`, () => inner.open(path, flags))),
    rename: (from, to) => around(`rename ${from} ${to}`, () => inner.rename(from, to)),
    unlink: (path) => around(`unlink ${path}`, () => inner.unlink(path)),
    readdir: (path) => around(`readdir ${path}`, () => inner.readdir(path)),
    stat: (path) => around(`stat ${path}`, () => inner.stat(path)),
    utimes: (path, a, m) => around(`utimes ${path}`, () => inner.utimes(path, a, m)),
    fsyncDir: (path) => around(`fsyncDir ${path}`, () => inner.fsyncDir(path)),
    watch: (path): Promise<DirWatcher> => around(`watch ${path}`, () => inner.watch(path)),
  };
  return self;
}

/**
 * Runs every scheduled call until none is pending, one at a time: the scheduler picks one of the
 * pending points, the process it releases runs on until its next point (a macrotask turn lets
 * its promise chain get there, however deep), and only then is the next point picked, among
 * every process's. So one process can take several steps while another waits at a point (which
 * releasing every pending point per round, `waitAll`, never allows: it moves the processes in
 * lockstep and misses every race that needs one side two steps ahead).
 */
export async function settleScheduler(s: fc.Scheduler): Promise<void> {
  for (;;) {
    while (s.count() > 0) {
      await s.waitOne();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (s.count() === 0) return;
  }
}
