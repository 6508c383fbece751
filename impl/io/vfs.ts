/**
 * The Vfs: the subset of POSIX file-system calls a spool needs, asynchronous.
 *
 * This is public API. Implementations in this repository:
 *  - `impl/io/node-vfs.ts`: the real disk, through `node:fs/promises`;
 *  - `impl/io/memfs-vfs.ts`: an in-memory volume of memfs;
 *  - `sim/` (later): a crash-simulating Vfs that records every call as micro-steps.
 * Third parties may add their own; `impl/io/vfs-contract.ts` is the contract every one must pass.
 *
 * Paths are absolute POSIX paths ('/'-separated, starting with '/'), interpreted inside the
 * Vfs's own root (an adapter may map them below a real directory). No symlinks, no '.'/'..'
 * components, no trailing slash.
 *
 * Every failure is a {@link VfsError} carrying a POSIX error code. Callers branch on the code,
 * never on the message.
 *
 * Ordering and durability: a completed call is visible to every later call on the same Vfs
 * (and on every Vfs sharing the same storage). Durability across a crash is NOT promised by
 * this interface: it is what `fsync` (a file's contents) and `fsyncDir` (a directory's entries)
 * are for. A crash-simulating Vfs documents exactly what survives without them.
 */

/** The POSIX error codes a Vfs may report. */
export type VfsErrorCode =
  | 'ENOENT'
  | 'EEXIST'
  | 'ENOTDIR'
  | 'EISDIR'
  | 'ENOTEMPTY'
  | 'EACCES'
  | 'EPERM'
  | 'EBADF'
  | 'EINVAL'
  | 'EIO'
  | 'ENOSPC'
  | 'EBUSY';

const KNOWN_CODES: ReadonlySet<string> = new Set<VfsErrorCode>([
  'ENOENT', 'EEXIST', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY', 'EACCES', 'EPERM', 'EBADF', 'EINVAL', 'EIO',
  'ENOSPC', 'EBUSY',
]);

/** A failed Vfs call: `code` is the POSIX error, `syscall` the Vfs method, `path` its argument. */
export class VfsError extends Error {
  readonly code: VfsErrorCode;
  readonly syscall: string;
  readonly path: string;

  constructor(code: VfsErrorCode, syscall: string, path: string, detail?: string) {
    super(`${code}: ${syscall} '${path}'${detail === undefined ? '' : `: ${detail}`}`);
    this.name = 'VfsError';
    this.code = code;
    this.syscall = syscall;
    this.path = path;
  }

  /**
   * Converts any thrown value with a POSIX `code` (as node:fs and memfs throw) into a VfsError.
   * Unknown codes become EIO, keeping the original code in the message.
   */
  static from(err: unknown, syscall: string, path: string): VfsError {
    if (isAnyVfsError(err)) return err;
    const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
    if (KNOWN_CODES.has(code)) return new VfsError(code as VfsErrorCode, syscall, path);
    const message = err instanceof Error ? err.message : String(err);
    return new VfsError('EIO', syscall, path, code === '' ? message : `${code}: ${message}`);
  }
}

/**
 * True when `err` is a VfsError with the given code. Recognised by its name rather than by
 * `instanceof`, so that an error from another copy of this module (a user's adapter importing
 * spoolcheck's sources while the CLI runs its build) still counts.
 */
export function isVfsError(err: unknown, code: VfsErrorCode): err is VfsError {
  return isAnyVfsError(err) && err.code === code;
}

/** True when `err` is a VfsError of any code (of any copy of this module). */
function isAnyVfsError(err: unknown): err is VfsError {
  return err instanceof VfsError || (err instanceof Error && err.name === 'VfsError' && typeof (err as { code?: unknown }).code === 'string');
}

/**
 * How to open a file. Reading is always allowed.
 * - `create`: create the file if missing (O_CREAT).
 * - `exclusive`: with `create`, fail with EEXIST if the name exists (O_EXCL). This is what
 *   makes spool name reservation safe across processes.
 * - `truncate`: empty the file on open (O_TRUNC); needs `write`.
 * - `write`: open for writing as well as reading.
 */
export interface OpenFlags {
  readonly write?: boolean;
  readonly create?: boolean;
  readonly exclusive?: boolean;
  readonly truncate?: boolean;
}

/** What `stat` reports. `mtimeMs` is milliseconds since the epoch, as the Vfs's clock saw it. */
export interface VfsStat {
  readonly kind: 'file' | 'directory' | 'other';
  readonly size: number;
  readonly mtimeMs: number;
}

/** An open file. Positions are explicit (pread/pwrite); there is no file cursor. */
export interface VfsFile {
  /** The path the file was opened with. */
  readonly path: string;
  /** Reads up to `length` bytes at `position`; fewer only at end of file. */
  read(position: number, length: number): Promise<Uint8Array>;
  /** Writes all of `data` at `position`, growing the file as needed (EBADF if not opened for writing). */
  write(position: number, data: Uint8Array): Promise<void>;
  /** Current size in bytes. */
  size(): Promise<number>;
  /** Makes this file's contents (written so far) durable. Says nothing about its name. */
  fsync(): Promise<void>;
  /** Closes the handle; later calls on it fail with EBADF. Closing twice is harmless. */
  close(): Promise<void>;
}

/**
 * A "something changed here" signal for one directory, like inotify: the directory listing,
 * not the notification, is the truth. Notifications queue up until drained.
 */
export interface DirWatcher {
  /**
   * Forgets every pending notification and returns the names they mentioned (possibly empty,
   * in arrival order; an adapter that cannot tell names reports none). A queue reader drains
   * FIRST and lists SECOND, so nothing that arrives in between is lost.
   */
  drain(): string[];
  /**
   * Resolves once at least one notification is pending (at once if one already is), or when
   * `signal` aborts. It does not consume the notification; `drain` does.
   */
  wait(signal?: AbortSignal): Promise<void>;
  /** Stops watching; a pending `wait` resolves. */
  close(): void;
}

/** The file system a spool runs on. See the module comment for the contract. */
export interface Vfs {
  /** A short human-readable description, for reports (e.g. `node-fs:/tmp/x`, `memfs`). */
  readonly description: string;
  /** Creates one directory (the parent must exist). EEXIST if the name exists. */
  mkdir(path: string): Promise<void>;
  /** Removes an empty directory. ENOTEMPTY if it has entries. */
  rmdir(path: string): Promise<void>;
  /** Opens (and maybe creates) a regular file. EISDIR for a directory. */
  open(path: string, flags: OpenFlags): Promise<VfsFile>;
  /** Atomically renames `from` to `to` (replacing a file at `to`). ENOENT if `from` is missing. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file name. ENOENT if missing, EISDIR (or EPERM) for a directory. */
  unlink(path: string): Promise<void>;
  /** The entry names of a directory (not '.' or '..'), in no promised order. */
  readdir(path: string): Promise<string[]>;
  /** Information on a file or directory. */
  stat(path: string): Promise<VfsStat>;
  /** Sets access and modification times (milliseconds since the epoch). */
  utimes(path: string, atimeMs: number, mtimeMs: number): Promise<void>;
  /** Makes the entries of directory `path` (creations, removals, renames in it) durable. */
  fsyncDir(path: string): Promise<void>;
  /** Starts watching directory `path` for entry changes (create, unlink, rename in or out). */
  watch(path: string): Promise<DirWatcher>;
}

/** Joins path components with '/'. `join('/a', 'b', 'c')` is `/a/b/c`. */
export function join(...parts: string[]): string {
  return parts.join('/').replace(/\/{2,}/g, '/');
}

/** The parent directory of an absolute path: `dirname('/a/b')` is `/a`, `dirname('/a')` is `/`. */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** The last component of a path: `basename('/a/b')` is `b`. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
