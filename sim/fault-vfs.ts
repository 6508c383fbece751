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
 * Every other call passes through unchanged. `injected()` says what was injected, in order. The
 * wrapper has a synchronous face (`sync-face.ts`) when the wrapped Vfs has one, injecting the same.
 */
import { VfsError, type Vfs, type VfsFile } from '../impl/io/vfs.ts';
import { syncFaceOf, syncFileOf, withSyncFace, withSyncFile } from './sync-face.ts';

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
  /**
   * How many bytes of a write of `length` to `path` land: all of them, or (the disk being full)
   * only those that fit, after which the write must fail with a DiskFullError; throws an injected
   * EIO before anything lands.
   */
  const writeGate = (path: string, length: number): number => {
    if (!armed) return length;
    const n = writes++;
    if (n === plan.eioOnWrite) {
      log.push(`EIO on write #${n} (${path})`);
      throw new VfsError('EIO', 'write', path, 'injected I/O error');
    }
    if (plan.diskFullAfterBytes !== undefined) {
      const room = Math.max(0, plan.diskFullAfterBytes - bytes);
      if (length > room) {
        bytes += room;
        log.push(`disk full on write #${n} (${path}): ${room} of ${length} byte(s) landed`);
        return room;
      }
    }
    bytes += length;
    return length;
  };
  const wrapFile = (file: VfsFile): VfsFile => {
    const wrapped: VfsFile = {
      path: file.path,
      read: (position, length) => file.read(position, length),
      size: () => file.size(),
      close: () => file.close(),
      async write(position, data) {
        const land = writeGate(file.path, data.length);
        if (land > 0) await file.write(position, data.subarray(0, land));
        if (land < data.length) throw new DiskFullError(file.path, land);
      },
      async fsync() {
        if (fsyncGate(file.path)) await file.fsync();
      },
    };
    const sync = syncFileOf(file);
    if (sync === undefined) return wrapped;
    return withSyncFile(wrapped, {
      read: (position, length) => sync.read(position, length),
      size: () => sync.size(),
      close: () => sync.close(),
      write(position, data) {
        const land = writeGate(file.path, data.length);
        if (land > 0) sync.write(position, data.subarray(0, land));
        if (land < data.length) throw new DiskFullError(file.path, land);
      },
      fsync() {
        if (fsyncGate(file.path)) sync.fsync();
      },
    });
  };
  const innerSync = syncFaceOf(inner);
  const self: FaultVfs = {
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
  if (innerSync === undefined) return self;
  return withSyncFace(self, {
    mkdir: (p) => innerSync.mkdir(p),
    rmdir: (p) => innerSync.rmdir(p),
    open: (p, flags) => wrapFile(innerSync.open(p, flags)),
    rename: (a, b) => innerSync.rename(a, b),
    unlink: (p) => innerSync.unlink(p),
    readdir: (p) => innerSync.readdir(p),
    stat: (p) => innerSync.stat(p),
    utimes: (p, a, m) => innerSync.utimes(p, a, m),
    fsyncDir(p) {
      if (fsyncGate(p)) innerSync.fsyncDir(p);
    },
  });
}
