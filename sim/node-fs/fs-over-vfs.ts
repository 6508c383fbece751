/**
 * node:fs semantics over a Vfs, as promise-returning calls: file descriptors with positions and
 * append mode, open flags as strings or numbers, directory descriptors (so `fsync` of an opened
 * directory makes its entries durable, as on Linux), whole-file helpers that loop over short
 * writes as Node's do, recursive mkdir and rm, readdir with file types, Node's error shapes.
 * `callback-api.ts` and `promises-api.ts` give it node:fs's two faces.
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

/** Options of {@link FsOverVfs}. */
export interface FsOverVfsOptions {
  /** Where relative paths start. Default `/`. */
  readonly cwd?: string;
}

/** node:fs calls over one Vfs, each returning a promise. */
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

  /** Runs a Vfs call, turning its errors into node:fs errors of `syscall`. */
  async #vfsCall<T>(syscall: string, path: string, f: () => Promise<T>, dest?: string): Promise<T> {
    try {
      return await f();
    } catch (err) {
      throw fromVfsError(err, syscall, path, dest);
    }
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

  async open(p: PathLike, flags: string | number = 'r'): Promise<number> {
    const path = this.path(p);
    const parsed = parseFlags(flags, path);
    let file: VfsFile | undefined;
    try {
      file = await this.#vfs.open(path, parsed.vfs);
    } catch (err) {
      // A directory opened for reading is a descriptor fsync can make durable (the Linux idiom).
      if (!(isVfsError(err, 'EISDIR') && !parsed.writable)) throw fromVfsError(err, 'open', path);
    }
    const fd = this.#nextFd++;
    const position = file !== undefined && parsed.append ? await file.size() : 0;
    this.#fds.set(fd, { path, file, readable: parsed.readable, writable: parsed.writable, append: parsed.append, sync: parsed.sync, position });
    return fd;
  }

  async close(fd: number): Promise<void> {
    const d = this.#fd(fd, 'close');
    this.#fds.delete(fd);
    if (d.file !== undefined) await this.#vfsCall('close', d.path, () => (d.file as VfsFile).close());
  }

  /** Reads into `buffer` at `offset`, `length` bytes from `position` (null: the descriptor's position, which advances). */
  async read(fd: number, buffer: ArrayBufferView, offset = 0, length = buffer.byteLength - offset, position: number | bigint | null = null): Promise<number> {
    const d = this.#fd(fd, 'read');
    if (d.file === undefined) throw nodeFsError('EISDIR', 'read');
    if (!d.readable) throw nodeFsError('EBADF', 'read');
    const at = position === null || position === -1 || position === undefined ? d.position : Number(position);
    const bytes = await this.#vfsCall('read', d.path, () => (d.file as VfsFile).read(at, length));
    new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).set(bytes, offset);
    if (position === null || position === -1 || position === undefined) d.position += bytes.length;
    return bytes.length;
  }

  /**
   * Writes `bytes` at `position` (null: the descriptor's position, which advances; append mode:
   * the end). Returns how many bytes landed: fewer than asked only when the disk filled up part
   * way (a short write, as POSIX write gives); an ENOSPC with nothing written is an error.
   */
  async writeBytes(fd: number, bytes: Uint8Array, position: number | null): Promise<number> {
    const d = this.#fd(fd, 'write');
    if (d.file === undefined) throw nodeFsError('EISDIR', 'write');
    if (!d.writable) throw nodeFsError('EBADF', 'write');
    const file = d.file;
    const at = d.append ? await this.#vfsCall('write', d.path, () => file.size()) : position ?? d.position;
    let written = bytes.length;
    try {
      await file.write(at, bytes);
    } catch (err) {
      const landed = err instanceof VfsError ? (err as VfsError & { written?: number }).written : undefined;
      if (!isVfsError(err, 'ENOSPC') || landed === undefined || landed <= 0) throw fromVfsError(err, 'write', d.path);
      written = landed;
    }
    if (position === null || d.append) d.position = at + written;
    if (d.sync) await this.#vfsCall('fsync', d.path, () => file.fsync());
    return written;
  }

  /** Writes every buffer in order (one call of the Vfs each); returns the bytes that landed. */
  async writev(fd: number, buffers: readonly ArrayBufferView[], position: number | null = null): Promise<number> {
    let total = 0;
    for (const b of buffers) {
      const bytes = toBytes(b);
      const n = await this.writeBytes(fd, bytes, position === null ? null : position + total);
      total += n;
      if (n < bytes.length) break;
    }
    return total;
  }

  async fsync(fd: number): Promise<void> {
    const d = this.#fd(fd, 'fsync');
    if (d.file === undefined) await this.#vfsCall('fsync', d.path, () => this.#vfs.fsyncDir(d.path));
    else await this.#vfsCall('fsync', d.path, () => (d.file as VfsFile).fsync());
  }

  async fstat(fd: number): Promise<SimStats> {
    const d = this.#fd(fd, 'fstat');
    return this.stat(d.path);
  }

  async ftruncate(fd: number, length = 0): Promise<void> {
    const d = this.#fd(fd, 'ftruncate');
    const size = d.file === undefined ? 0 : await this.#vfsCall('ftruncate', d.path, () => (d.file as VfsFile).size());
    if (length !== size) throw notSimulated('ftruncate', d.path);
  }

  async stat(p: PathLike, syscall = 'stat'): Promise<SimStats> {
    const path = this.path(p);
    return this.#stats(await this.#vfsCall(syscall, path, () => this.#vfs.stat(path)), path);
  }

  async access(p: PathLike): Promise<void> {
    await this.stat(p, 'access');
  }

  async exists(p: PathLike): Promise<boolean> {
    return this.stat(p).then(
      () => true,
      () => false,
    );
  }

  /** The path itself, once it exists (the Vfs has no symbolic links). */
  async realpath(p: PathLike): Promise<string> {
    const path = this.path(p);
    await this.stat(path, 'realpath');
    return path;
  }

  async rename(from: PathLike, to: PathLike): Promise<void> {
    const a = this.path(from);
    const b = this.path(to);
    await this.#vfsCall('rename', a, () => this.#vfs.rename(a, b), b);
  }

  async unlink(p: PathLike): Promise<void> {
    const path = this.path(p);
    await this.#vfsCall('unlink', path, () => this.#vfs.unlink(path));
  }

  /** mkdir; with `recursive`, every missing ancestor too, returning the first one made (undefined if none was). */
  async mkdir(p: PathLike, options: { recursive?: boolean } | number = {}): Promise<string | undefined> {
    const path = this.path(p);
    const recursive = typeof options === 'object' && options.recursive === true;
    if (!recursive) {
      await this.#vfsCall('mkdir', path, () => this.#vfs.mkdir(path));
      return undefined;
    }
    const missing: string[] = [];
    for (let at = path; ; at = posix.dirname(at)) {
      const stat = await this.#vfs.stat(at).catch((err: unknown) => {
        if (isVfsError(err, 'ENOENT')) return undefined;
        throw fromVfsError(err, 'mkdir', path);
      });
      if (stat !== undefined) {
        if (stat.kind !== 'directory') throw nodeFsError(at === path ? 'EEXIST' : 'ENOTDIR', 'mkdir', path);
        break;
      }
      missing.unshift(at);
      if (at === '/') break;
    }
    for (const dir of missing) {
      await this.#vfsCall('mkdir', path, () => this.#vfs.mkdir(dir)).catch((err: unknown) => {
        if ((err as { code?: string }).code !== 'EEXIST') throw err;
      });
    }
    return missing[0];
  }

  async rmdir(p: PathLike, options: { recursive?: boolean } = {}): Promise<void> {
    if (options.recursive === true) return this.rm(p, { recursive: true });
    const path = this.path(p);
    await this.#vfsCall('rmdir', path, () => this.#vfs.rmdir(path));
  }

  /** rm: a file, or with `recursive` a directory and everything in it; `force` ignores a missing path. */
  async rm(p: PathLike, options: { recursive?: boolean; force?: boolean } = {}): Promise<void> {
    const path = this.path(p);
    let stat: VfsStat;
    try {
      stat = await this.#vfs.stat(path);
    } catch (err) {
      if (isVfsError(err, 'ENOENT') && options.force === true) return;
      throw fromVfsError(err, 'rm', path);
    }
    if (stat.kind !== 'directory') return this.unlink(path);
    if (options.recursive !== true) throw nodeFsError('EISDIR', 'rm', path);
    for (const name of await this.#vfsCall('rm', path, () => this.#vfs.readdir(path))) await this.rm(posix.join(path, name), { recursive: true });
    await this.#vfsCall('rmdir', path, () => this.#vfs.rmdir(path));
  }

  async readdir(p: PathLike, options: { withFileTypes?: boolean } = {}): Promise<string[] | SimDirent[]> {
    const path = this.path(p);
    const names = (await this.#vfsCall('scandir', path, () => this.#vfs.readdir(path))).sort();
    if (options.withFileTypes !== true) return names;
    const out: SimDirent[] = [];
    for (const name of names) out.push(new SimDirent(name, path, (await this.#vfsCall('scandir', path, () => this.#vfs.stat(posix.join(path, name)))).kind));
    return out;
  }

  /** mkdtemp: `prefix` and six characters, made fresh (a counter: every run names them alike). */
  async mkdtemp(prefix: string): Promise<string> {
    for (;;) {
      const n = this.#nextTemp++;
      const path = this.path(`${prefix}${n.toString(36).padStart(6, '0')}`);
      try {
        await this.#vfs.mkdir(path);
        return path;
      } catch (err) {
        if (!isVfsError(err, 'EEXIST')) throw fromVfsError(err, 'mkdtemp', path);
      }
    }
  }

  async utimes(p: PathLike, atime: number | string | Date, mtime: number | string | Date): Promise<void> {
    const path = this.path(p);
    const ms = (t: number | string | Date): number => (t instanceof Date ? t.getTime() : typeof t === 'string' ? Number(t) * 1000 : t * 1000);
    await this.#vfsCall('utime', path, () => this.#vfs.utimes(path, ms(atime), ms(mtime)));
  }

  /** chmod, chown and the like: the Vfs keeps no permissions; the path must exist. */
  async permissions(p: PathLike, syscall: string): Promise<void> {
    await this.stat(p, syscall);
  }

  /** The whole file, from a path or a descriptor. */
  async readFile(target: PathLike | number): Promise<Buffer> {
    const fd = typeof target === 'number' ? target : await this.open(target, 'r');
    try {
      const d = this.#fd(fd, 'read');
      if (d.file === undefined) throw nodeFsError('EISDIR', 'read');
      const file = d.file;
      const size = await this.#vfsCall('read', d.path, () => file.size());
      return Buffer.from(await this.#vfsCall('read', d.path, () => file.read(0, size)));
    } finally {
      if (typeof target !== 'number') await this.close(fd);
    }
  }

  /** Writes all of `bytes`, looping over short writes as Node's writeFile does; ENOSPC once nothing more lands. */
  async writeAll(fd: number, bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) done += await this.writeBytes(fd, bytes.subarray(done), null);
  }

  /** writeFile / appendFile: to a path (opened with `flag`) or a descriptor. */
  async writeFile(target: PathLike | number, data: Data, flag: string, encoding?: BufferEncoding): Promise<void> {
    const bytes = toBytes(data, encoding);
    const fd = typeof target === 'number' ? target : await this.open(target, flag);
    try {
      await this.writeAll(fd, bytes);
    } finally {
      if (typeof target !== 'number') await this.close(fd);
    }
  }

  async copyFile(src: PathLike, dest: PathLike, mode = 0): Promise<void> {
    const data = await this.readFile(src);
    await this.writeFile(dest, data, (mode & 1) !== 0 ? 'wx' : 'w');
  }

  /** The path of an open descriptor (for the file-handle API). */
  pathOf(fd: number): string {
    return this.#fd(fd, 'fstat').path;
  }
}
