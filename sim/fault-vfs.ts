/**
 * A Vfs wrapper that injects the faults real file-system bugs hide behind, by a plan fixed
 * before the run (so a run replays exactly):
 *
 * Fault contract, in plain words (every option is off unless set; counts start at 0 and cover
 * every file of the wrapped Vfs from the moment the wrapper is armed: at once, unless it was made
 * disarmed; while disarmed every call passes through and nothing is counted):
 * - `diskFullAfterBytes: n` — disk full. Writes succeed until n bytes in all have been written;
 *   the write that crosses n lands only the bytes that fit and throws ENOSPC with `written` set
 *   to how many landed (node:fs shows this as a short write, as POSIX write does); every later
 *   write throws ENOSPC with nothing written. Creating files, renames and the rest still succeed
 *   (a full disk still has inodes and directory blocks to spare, in this model).
 * - `eioOnWrite: k` — the k-th write call throws EIO before anything of it lands; later writes
 *   succeed.
 * - `eioOnFsync: k` — the k-th fsync (of a file or a directory) throws EIO and makes nothing
 *   durable (what Linux reports after a failed writeback; the data may be lost in a crash).
 * - `lostFsyncFrom: k` — from the k-th fsync on, fsync reports success and makes nothing durable
 *   (a disk or a VM that lies about flushes): on the crash Vfs the barrier is simply not recorded.
 * Every other call passes through unchanged. `injected()` says what was injected, in order.
 */
import { VfsError, type Vfs, type VfsFile } from '../impl/io/vfs.ts';

/** Which faults to inject (see the module comment). */
export interface FaultPlan {
  readonly diskFullAfterBytes?: number;
  readonly eioOnWrite?: number;
  readonly eioOnFsync?: number;
  readonly lostFsyncFrom?: number;
}

/** A Vfs with faults, and what it injected. */
export interface FaultVfs extends Vfs {
  /** The faults injected so far, in words, in order. */
  injected(): readonly string[];
  /** Starts injecting (counts start now). */
  arm(): void;
  /** Stops injecting (a disk that was full has room again). */
  disarm(): void;
}

/** An ENOSPC that says how many bytes of the write landed before the disk filled. */
export class DiskFullError extends VfsError {
  constructor(
    path: string,
    readonly written: number,
  ) {
    super('ENOSPC', 'write', path, `disk full (injected): ${written} byte(s) of the write landed`);
  }
}

/** The plan in words, for reports and replay lines. */
export function describePlan(plan: FaultPlan): string {
  const parts: string[] = [];
  if (plan.diskFullAfterBytes !== undefined) parts.push(`disk full after ${plan.diskFullAfterBytes} bytes`);
  if (plan.eioOnWrite !== undefined) parts.push(`EIO on write #${plan.eioOnWrite}`);
  if (plan.eioOnFsync !== undefined) parts.push(`EIO on fsync #${plan.eioOnFsync}`);
  if (plan.lostFsyncFrom !== undefined) parts.push(`fsyncs lost from #${plan.lostFsyncFrom}`);
  return parts.length === 0 ? 'no fault' : parts.join(', ');
}

/** Wraps `inner` with the faults of `plan`, armed unless `options.armed` is false. */
export function faultVfs(inner: Vfs, plan: FaultPlan, options: { readonly armed?: boolean } = {}): FaultVfs {
  let armed = options.armed ?? true;
  let bytes = 0;
  let writes = 0;
  let fsyncs = 0;
  const log: string[] = [];
  /** Whether this fsync is performed; throws for an injected EIO. */
  const fsyncGate = (path: string): boolean => {
    if (!armed) return true;
    const n = fsyncs++;
    if (n === plan.eioOnFsync) {
      log.push(`EIO on fsync #${n} (${path})`);
      throw new VfsError('EIO', 'fsync', path, 'injected I/O error');
    }
    if (plan.lostFsyncFrom !== undefined && n >= plan.lostFsyncFrom) {
      log.push(`fsync #${n} (${path}) lost`);
      return false;
    }
    return true;
  };
  const wrapFile = (file: VfsFile): VfsFile => ({
    path: file.path,
    read: (position, length) => file.read(position, length),
    size: () => file.size(),
    close: () => file.close(),
    async write(position, data) {
      if (!armed) return file.write(position, data);
      const n = writes++;
      if (n === plan.eioOnWrite) {
        log.push(`EIO on write #${n} (${file.path})`);
        throw new VfsError('EIO', 'write', file.path, 'injected I/O error');
      }
      if (plan.diskFullAfterBytes !== undefined) {
        const room = Math.max(0, plan.diskFullAfterBytes - bytes);
        if (data.length > room) {
          if (room > 0) await file.write(position, data.subarray(0, room));
          bytes += room;
          log.push(`disk full on write #${n} (${file.path}): ${room} of ${data.length} byte(s) landed`);
          throw new DiskFullError(file.path, room);
        }
      }
      await file.write(position, data);
      bytes += data.length;
    },
    async fsync() {
      if (fsyncGate(file.path)) await file.fsync();
    },
  });
  return {
    description: `${inner.description} (${describePlan(plan)})`,
    injected: () => [...log],
    arm() {
      armed = true;
      bytes = 0;
      writes = 0;
      fsyncs = 0;
    },
    disarm() {
      armed = false;
    },
    mkdir: (p) => inner.mkdir(p),
    rmdir: (p) => inner.rmdir(p),
    open: async (p, flags) => wrapFile(await inner.open(p, flags)),
    rename: (a, b) => inner.rename(a, b),
    unlink: (p) => inner.unlink(p),
    readdir: (p) => inner.readdir(p),
    stat: (p) => inner.stat(p),
    utimes: (p, a, m) => inner.utimes(p, a, m),
    async fsyncDir(p) {
      if (fsyncGate(p)) await inner.fsyncDir(p);
    },
    watch: (p) => inner.watch(p),
  };
}
