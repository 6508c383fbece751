/**
 * node:fs semantics over a Vfs, as promise-returning calls: file descriptors with positions and
 * append mode, open flags as strings or numbers, directory descriptors (so `fsync` of an opened
 * directory makes its entries durable, as on Linux), whole-file helpers that loop over short
 * writes as Node's do, recursive mkdir and rm, readdir with file types, Node's error shapes.
 * Every call is written once, as a generator of the Vfs calls it makes (a `Body`), and runs
 * either asynchronously (`runAsync`: the callback and promise faces) or synchronously (`runSync`:
 * the *Sync calls, on a Vfs with a synchronous face, `sim/sync-face.ts`); `node-fs-module.ts`
 * gives it node:fs's faces.
 *
 * Fault contract, in plain words: this layer injects nothing. It passes every fault of the Vfs
 * beneath through as node:fs would show it: a VfsError becomes a node:fs error with the same code;
 * an ENOSPC that says part of a write landed (`written`, bytes) is a short write (the bytes that
 * landed are returned, as POSIX write does; the next write gets ENOSPC). What a Vfs cannot
 * express (hard and symbolic links, truncation to a given length, permissions) either is a
 * no-op where it changes nothing a crash check can see (chmod, chown: they only check that the
 * path exists) or fails with ENOSYS naming the call: never a silent success.
 */
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isVfsError, VfsError, type OpenFlags, type Vfs, type VfsFile, type VfsStat } from '../../impl/io/vfs.ts';
import { syncFaceOf, syncFileOf, type SyncVfs, type SyncVfsFile } from '../sync-face.ts';
import { fromVfsError, nodeFsError, notSimulated } from './node-errors.ts';
import { SimDirent, SimStats } from './stats.ts';

/** node:fs's open flag bits (Linux values, as `fs.constants` gives them). */
export const O = { RDONLY: 0, WRONLY: 1, RDWR: 2, CREAT: 0o100, EXCL: 0o200, TRUNC: 0o1000, APPEND: 0o2000, SYNC: 0o4010000, DSYNC: 0o10000 } as const;

/** What a path argument may be. */
export type PathLike = string | Buffer | URL;
/** What data may be written. */
export type Data = string | ArrayBufferView;

/** One open descriptor. */
interface Descriptor {
  readonly path: string;
  /** The Vfs file; undefined for a directory. */
  readonly file: VfsFile | undefined;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly append: boolean;
  /** O_SYNC / O_DSYNC: every write is followed by an fsync. */
  readonly sync: boolean;
  position: number;
}

/** Parses an open flag (string or number) into what the descriptor can do and the Vfs flags. */
function parseFlags(flags: string | number, path: string): { vfs: OpenFlags; readable: boolean; writable: boolean; append: boolean; sync: boolean } {
  if (typeof flags === 'number') {
    const access = flags & 3;
    return {
      vfs: { write: access !== O.RDONLY, create: (flags & O.CREAT) !== 0, exclusive: (flags & O.EXCL) !== 0, truncate: (flags & O.TRUNC) !== 0 },
      readable: access !== O.WRONLY,
      writable: access !== O.RDONLY,
      append: (flags & O.APPEND) !== 0,
      sync: (flags & (O.SYNC | O.DSYNC)) !== 0,
    };
  }
  const table: Record<string, [OpenFlags, boolean, boolean, boolean]> = {
    r: [{}, true, false, false],
    'r+': [{ write: true }, true, true, false],
    w: [{ write: true, create: true, truncate: true }, false, true, false],
    'w+': [{ write: true, create: true, truncate: true }, true, true, false],
    wx: [{ write: true, create: true, exclusive: true }, false, true, false],
    'wx+': [{ write: true, create: true, exclusive: true }, true, true, false],
    a: [{ write: true, create: true }, false, true, true],
    'a+': [{ write: true, create: true }, true, true, true],
    ax: [{ write: true, create: true, exclusive: true }, false, true, true],
    'ax+': [{ write: true, create: true, exclusive: true }, true, true, true],
  };
  const sync = /s/.test(flags);
  const key = flags.replace('s', '').replace(/^xw/, 'wx').replace(/^xa/, 'ax');
  const entry = table[key === 'rs+' ? 'r+' : key];
  if (entry === undefined) throw Object.assign(new TypeError(`The value "${flags}" is invalid for option "flags" (opening '${path}')`), { code: 'ERR_INVALID_ARG_VALUE' });
  const [vfs, readable, writable, append] = entry;
  return { vfs, readable, writable, append, sync };
}

/** The bytes of `data` (a string in `encoding`, or a view). */
export function toBytes(data: Data, encoding: BufferEncoding = 'utf8'): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, encoding);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * The logic of one node:fs call, written once: a generator that yields each Vfs call it makes
 * (as a function of whether it runs synchronously) and is sent back that call's result.
 */
export type Body<T> = Generator<(sync: boolean) => unknown, T, unknown>;

/** A body of one Vfs call. */
function* step<T>(run: (sync: boolean) => T | Promise<T>): Body<T> {
  return (yield run) as T;
}

/** Runs `body`, awaiting each Vfs call: node:fs's callback and promise faces. */
export async function runAsync<T>(body: Body<T>): Promise<T> {
  let next = body.next();
  while (next.done !== true) {
    let value: unknown;
    try {
      value = await next.value(false);
    } catch (err) {
      next = body.throw(err);
      continue;
    }
    next = body.next(value);
  }
  return next.value;
}

/** Runs `body` at once, each Vfs call on the synchronous face: node:fs's *Sync calls. */
export function runSync<T>(body: Body<T>): T {
  let next = body.next();
  while (next.done !== true) {
    let value: unknown;
    try {
      value = next.value(true);
    } catch (err) {
      next = body.throw(err);
      continue;
    }
    next = body.next(value);
  }
  return next.value;
}

/** Options of {@link FsOverVfs}. */
export interface FsOverVfsOptions {
  /** Where relative paths start. Default `/`. */
  readonly cwd?: string;
}

/** node:fs calls over one Vfs, each a {@link Body} to run with `runAsync` or `runSync` (awaiting a Body itself does nothing: it is a generator, not a promise). */
export class FsOverVfs {
  readonly #vfs: Vfs;
  readonly #cwd: string;
  readonly #fds = new Map<number, Descriptor>();
  readonly #inodes = new Map<string, number>();
  #nextFd = 100;
  #nextTemp = 0;

  constructor(vfs: Vfs, options: FsOverVfsOptions = {}) {
    this.#vfs = vfs;
    this.#cwd = options.cwd ?? '/';
  }

  /** The Vfs beneath. */
  get vfs(): Vfs {
    return this.#vfs;
  }

  /** An absolute, normalised path (no trailing slash) for a path argument. */
  path(p: PathLike): string {
    const s = typeof p === 'string' ? p : p instanceof URL ? fileURLToPath(p) : p.toString('utf8');
    if (s.includes('\0')) throw Object.assign(new TypeError(`The argument 'path' must be a string without null bytes. Received ${JSON.stringify(s)}`), { code: 'ERR_INVALID_ARG_VALUE' });
    const abs = posix.resolve(this.#cwd, s);
    return abs.length > 1 && abs.endsWith('/') ? abs.slice(0, -1) : abs;
  }

  /** The synchronous face of the Vfs, or ENOSYS naming the call when it has none. */
  #syncFace(syscall: string): SyncVfs {
    const face = syncFaceOf(this.#vfs);
    if (face === undefined) throw nodeFsError('ENOSYS', syscall, undefined, undefined, `this simulated disk (${this.#vfs.description}) has no synchronous face: use the callback or promise form`);
    return face;
  }

  /** One call of the Vfs (either face). */
  #on<T>(syscall: string, f: (v: Vfs | SyncVfs) => T | Promise<T>): Body<T> {
    return step((sync) => f(sync ? this.#syncFace(syscall) : this.#vfs));
  }

  /** One call of an open file (either face). */
  #onFile<T>(syscall: string, file: VfsFile, f: (x: VfsFile | SyncVfsFile) => T | Promise<T>): Body<T> {
    return step((sync) => {
      if (!sync) return f(file);
      const face = syncFileOf(file);
      if (face === undefined) throw nodeFsError('ENOSYS', syscall, file.path, undefined, 'this simulated file has no synchronous face');
      return f(face);
    });
  }

  /** Runs `body`, turning its Vfs errors into node:fs errors of `syscall`. */
  *#mapped<T>(syscall: string, path: string, body: Body<T>, dest?: string): Body<T> {
    try {
      return yield* body;
    } catch (err) {
      throw fromVfsError(err, syscall, path, dest);
    }
  }

  /** A Vfs call whose errors are node:fs errors of `syscall` on `path`. */
  #vfsCall<T>(syscall: string, path: string, f: (v: Vfs | SyncVfs) => T | Promise<T>, dest?: string): Body<T> {
    return this.#mapped(syscall, path, this.#on(syscall, f), dest);
  }

  /** A file call whose errors are node:fs errors of `syscall` on the file's path. */
  #fileCall<T>(syscall: string, d: Descriptor, f: (x: VfsFile | SyncVfsFile) => T | Promise<T>): Body<T> {
    return this.#mapped(syscall, d.path, this.#onFile(syscall, d.file as VfsFile, f));
  }

  #fd(fd: number, syscall: string): Descriptor {
    const d = this.#fds.get(fd);
    if (d === undefined) throw nodeFsError('EBADF', syscall);
    return d;
  }

  #stats(stat: VfsStat, path: string): SimStats {
    let ino = this.#inodes.get(path);
    if (ino === undefined) {
      ino = this.#inodes.size + 2;
      this.#inodes.set(path, ino);
    }
    return new SimStats(stat, ino);
  }

  *open(p: PathLike, flags: string | number = 'r'): Body<number> {
    const path = this.path(p);
    const parsed = parseFlags(flags, path);
    let file: VfsFile | undefined;
    try {
      file = yield* this.#on('open', (v) => v.open(path, parsed.vfs));
    } catch (err) {
      // A directory opened for reading is a descriptor fsync can make durable (the Linux idiom).
      if (!(isVfsError(err, 'EISDIR') && !parsed.writable)) throw fromVfsError(err, 'open', path);
    }
    const fd = this.#nextFd++;
    const opened = file;
    const position = opened !== undefined && parsed.append ? yield* this.#onFile('open', opened, (x) => x.size()) : 0;
    this.#fds.set(fd, { path, file, readable: parsed.readable, writable: parsed.writable, append: parsed.append, sync: parsed.sync, position });
    return fd;
  }

  *close(fd: number): Body<void> {
    const d = this.#fd(fd, 'close');
    this.#fds.delete(fd);
    if (d.file !== undefined) yield* this.#fileCall('close', d, (x) => x.close());
  }

  /** Reads into `buffer` at `offset`, `length` bytes from `position` (null: the descriptor's position, which advances). */
  *read(fd: number, buffer: ArrayBufferView, offset = 0, length = buffer.byteLength - offset, position: number | bigint | null = null): Body<number> {
    const d = this.#fd(fd, 'read');
    if (d.file === undefined) throw nodeFsError('EISDIR', 'read');
    if (!d.readable) throw nodeFsError('EBADF', 'read');
    const at = position === null || position === -1 || position === undefined ? d.position : Number(position);
    const bytes = yield* this.#fileCall('read', d, (x) => x.read(at, length));
    new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).set(bytes, offset);
    if (position === null || position === -1 || position === undefined) d.position += bytes.length;
    return bytes.length;
  }

  /**
   * Writes `bytes` at `position` (null: the descriptor's position, which advances; append mode:
   * the end). Returns how many bytes landed: fewer than asked only when the disk filled up part
   * way (a short write, as POSIX write gives); an ENOSPC with nothing written is an error.
   */
  *writeBytes(fd: number, bytes: Uint8Array, position: number | null): Body<number> {
    const d = this.#fd(fd, 'write');
    if (d.file === undefined) throw nodeFsError('EISDIR', 'write');
    if (!d.writable) throw nodeFsError('EBADF', 'write');
    const at = d.append ? yield* this.#fileCall('write', d, (x) => x.size()) : position ?? d.position;
    let written = bytes.length;
    try {
      yield* this.#onFile('write', d.file, (x) => x.write(at, bytes));
    } catch (err) {
      const landed = err instanceof VfsError ? (err as VfsError & { written?: number }).written : undefined;
      if (!isVfsError(err, 'ENOSPC') || landed === undefined || landed <= 0) throw fromVfsError(err, 'write', d.path);
      written = landed;
    }
    if (position === null || d.append) d.position = at + written;
    if (d.sync) yield* this.#fileCall('fsync', d, (x) => x.fsync());
    return written;
  }

  /** Writes every buffer in order (one call of the Vfs each); returns the bytes that landed. */
  *writev(fd: number, buffers: readonly ArrayBufferView[], position: number | null = null): Body<number> {
    let total = 0;
    for (const b of buffers) {
      const bytes = toBytes(b);
      const n = yield* this.writeBytes(fd, bytes, position === null ? null : position + total);
      total += n;
      if (n < bytes.length) break;
    }
    return total;
  }

  *fsync(fd: number): Body<void> {
    const d = this.#fd(fd, 'fsync');
    if (d.file === undefined) yield* this.#vfsCall('fsync', d.path, (v) => v.fsyncDir(d.path));
    else yield* this.#fileCall('fsync', d, (x) => x.fsync());
  }

  *fstat(fd: number): Body<SimStats> {
    const d = this.#fd(fd, 'fstat');
    return yield* this.stat(d.path);
  }

  *ftruncate(fd: number, length = 0): Body<void> {
    const d = this.#fd(fd, 'ftruncate');
    const size = d.file === undefined ? 0 : yield* this.#fileCall('ftruncate', d, (x) => x.size());
    if (length !== size) throw notSimulated('ftruncate', d.path);
  }

  *stat(p: PathLike, syscall = 'stat'): Body<SimStats> {
    const path = this.path(p);
    return this.#stats(yield* this.#vfsCall(syscall, path, (v) => v.stat(path)), path);
  }

  *access(p: PathLike): Body<void> {
    yield* this.stat(p, 'access');
  }

  *exists(p: PathLike): Body<boolean> {
    try {
      yield* this.stat(p);
      return true;
    } catch {
      return false;
    }
  }

  /** The path itself, once it exists (the Vfs has no symbolic links). */
  *realpath(p: PathLike): Body<string> {
    const path = this.path(p);
    yield* this.stat(path, 'realpath');
    return path;
  }

  *rename(from: PathLike, to: PathLike): Body<void> {
    const a = this.path(from);
    const b = this.path(to);
    yield* this.#vfsCall('rename', a, (v) => v.rename(a, b), b);
  }

  *unlink(p: PathLike): Body<void> {
    const path = this.path(p);
    yield* this.#vfsCall('unlink', path, (v) => v.unlink(path));
  }

  /** The Vfs stat of `path`, or undefined when it does not exist (other errors are node:fs errors of `syscall` on `reported`). */
  *#statOrNothing(path: string, syscall: string, reported: string): Body<VfsStat | undefined> {
    try {
      return yield* this.#on(syscall, (v) => v.stat(path));
    } catch (err) {
      if (isVfsError(err, 'ENOENT')) return undefined;
      throw fromVfsError(err, syscall, reported);
    }
  }

  /** mkdir; with `recursive`, every missing ancestor too, returning the first one made (undefined if none was). */
  *mkdir(p: PathLike, options: { recursive?: boolean } | number = {}): Body<string | undefined> {
    const path = this.path(p);
    const recursive = typeof options === 'object' && options.recursive === true;
    if (!recursive) {
      yield* this.#vfsCall('mkdir', path, (v) => v.mkdir(path));
      return undefined;
    }
    const missing: string[] = [];
    for (let at = path; ; at = posix.dirname(at)) {
      const stat = yield* this.#statOrNothing(at, 'mkdir', path);
      if (stat !== undefined) {
        if (stat.kind !== 'directory') throw nodeFsError(at === path ? 'EEXIST' : 'ENOTDIR', 'mkdir', path);
        break;
      }
      missing.unshift(at);
      if (at === '/') break;
    }
    for (const dir of missing) {
      try {
        yield* this.#vfsCall('mkdir', path, (v) => v.mkdir(dir));
      } catch (err) {
        if ((err as { code?: string }).code !== 'EEXIST') throw err;
      }
    }
    return missing[0];
  }

  *rmdir(p: PathLike, options: { recursive?: boolean } = {}): Body<void> {
    if (options.recursive === true) return yield* this.rm(p, { recursive: true });
    const path = this.path(p);
    yield* this.#vfsCall('rmdir', path, (v) => v.rmdir(path));
  }

  /** rm: a file, or with `recursive` a directory and everything in it; `force` ignores a missing path. */
  *rm(p: PathLike, options: { recursive?: boolean; force?: boolean } = {}): Body<void> {
    const path = this.path(p);
    const stat = yield* this.#statOrNothing(path, 'rm', path);
    if (stat === undefined) {
      if (options.force === true) return;
      throw nodeFsError('ENOENT', 'rm', path);
    }
    if (stat.kind !== 'directory') return yield* this.unlink(path);
    if (options.recursive !== true) throw nodeFsError('EISDIR', 'rm', path);
    for (const name of yield* this.#vfsCall('rm', path, (v) => v.readdir(path))) yield* this.rm(posix.join(path, name), { recursive: true });
    yield* this.#vfsCall('rmdir', path, (v) => v.rmdir(path));
  }

  *readdir(p: PathLike, options: { withFileTypes?: boolean } = {}): Body<string[] | SimDirent[]> {
    const path = this.path(p);
    const names = (yield* this.#vfsCall('scandir', path, (v) => v.readdir(path))).sort();
    if (options.withFileTypes !== true) return names;
    const out: SimDirent[] = [];
    for (const name of names) out.push(new SimDirent(name, path, (yield* this.#vfsCall('scandir', path, (v) => v.stat(posix.join(path, name)))).kind));
    return out;
  }

  /** mkdtemp: `prefix` and six characters, made fresh (a counter: every run names them alike). */
  *mkdtemp(prefix: string): Body<string> {
    for (;;) {
      const n = this.#nextTemp++;
      const path = this.path(`${prefix}${n.toString(36).padStart(6, '0')}`);
      try {
        yield* this.#on('mkdtemp', (v) => v.mkdir(path));
        return path;
      } catch (err) {
        if (!isVfsError(err, 'EEXIST')) throw fromVfsError(err, 'mkdtemp', path);
      }
    }
  }

  *utimes(p: PathLike, atime: number | string | Date, mtime: number | string | Date): Body<void> {
    const path = this.path(p);
    const ms = (t: number | string | Date): number => (t instanceof Date ? t.getTime() : typeof t === 'string' ? Number(t) * 1000 : t * 1000);
    yield* this.#vfsCall('utime', path, (v) => v.utimes(path, ms(atime), ms(mtime)));
  }

  /** chmod, chown and the like: the Vfs keeps no permissions; the path must exist. */
  *permissions(p: PathLike, syscall: string): Body<void> {
    yield* this.stat(p, syscall);
  }

  /** The whole file, from a path or a descriptor. */
  *readFile(target: PathLike | number): Body<Buffer> {
    const fd = typeof target === 'number' ? target : yield* this.open(target, 'r');
    try {
      const d = this.#fd(fd, 'read');
      if (d.file === undefined) throw nodeFsError('EISDIR', 'read');
      const size = yield* this.#fileCall('read', d, (x) => x.size());
      return Buffer.from(yield* this.#fileCall('read', d, (x) => x.read(0, size)));
    } finally {
      if (typeof target !== 'number') yield* this.close(fd);
    }
  }

  /** Writes all of `bytes`, looping over short writes as Node's writeFile does; ENOSPC once nothing more lands. */
  *writeAll(fd: number, bytes: Uint8Array): Body<void> {
    let done = 0;
    while (done < bytes.length) done += yield* this.writeBytes(fd, bytes.subarray(done), null);
  }

  /** writeFile / appendFile: to a path (opened with `flag`) or a descriptor. */
  *writeFile(target: PathLike | number, data: Data, flag: string, encoding?: BufferEncoding): Body<void> {
    const bytes = toBytes(data, encoding);
    const fd = typeof target === 'number' ? target : yield* this.open(target, flag);
    try {
      yield* this.writeAll(fd, bytes);
    } finally {
      if (typeof target !== 'number') yield* this.close(fd);
    }
  }

  *copyFile(src: PathLike, dest: PathLike, mode = 0): Body<void> {
    const data = yield* this.readFile(src);
    yield* this.writeFile(dest, data, (mode & 1) !== 0 ? 'wx' : 'w');
  }

  /** The path of an open descriptor (for the file-handle API). */
  pathOf(fd: number): string {
    return this.#fd(fd, 'fstat').path;
  }
}
