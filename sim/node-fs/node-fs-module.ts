/**
 * The node:fs module a routed package gets instead of Node's: every name node:fs exports, each
 * calling into the simulated file system of the simulated process it is called from
 * (`currentFs()`), or into Node's real node:fs when no simulated process is running (a package
 * reading its own files while it loads, say). Both faces: callbacks (with util.promisify's
 * custom forms of read, write and exists, as Node has), `promises` (with file handles) and the
 * synchronous calls (on a simulated disk with a synchronous face: the crash and fault Vfs), all
 * running the same logic (`fs-over-vfs.ts`). File streams are Node's own, doing their calls
 * through the simulated process's file system.
 *
 * Fault contract, in plain words: nothing is injected here; faults come from the Vfs beneath
 * (`fs-over-vfs.ts` says how they show). Inside a simulated process, a call this facade does not
 * simulate (watch, links, statfs, opendir, cp, readv, and their *Sync forms) fails with
 * ENOSYS naming the call, so a package that needs one is seen to need it, never silently served
 * by the real disk.
 */
import * as realFs from 'node:fs';
import { promisify } from 'node:util';
import { currentFs } from './context.ts';
import { FsOverVfs, runAsync, runSync, toBytes, type Body, type Data, type PathLike } from './fs-over-vfs.ts';
import { notSimulated } from './node-errors.ts';

type AnyFn = (...args: unknown[]) => unknown;

/** The encoding an options argument names (a string is an encoding). */
function encodingOf(options: unknown): BufferEncoding | undefined {
  if (typeof options === 'string') return options as BufferEncoding;
  if (typeof options === 'object' && options !== null && typeof (options as { encoding?: unknown }).encoding === 'string') return (options as { encoding: BufferEncoding }).encoding;
  return undefined;
}

function flagOf(options: unknown, fallback: string): string {
  if (typeof options === 'object' && options !== null && (options as { flag?: unknown }).flag !== undefined) return String((options as { flag: unknown }).flag);
  return fallback;
}

/** The calls every face shares, on one FsOverVfs, with Node's argument forms; each body gives the callback's values. */
function buildCalls(fs: FsOverVfs): Record<string, (...args: unknown[]) => Body<unknown[]>> {
  function* one(p: Body<unknown>): Body<unknown[]> {
    return [yield* p];
  }
  function* none(p: Body<unknown>): Body<unknown[]> {
    yield* p;
    return [];
  }
  return {
    open: (path, flags, _mode) => one(fs.open(path as PathLike, (flags ?? 'r') as string | number)),
    close: (fd) => none(fs.close(fd as number)),
    *read(fd, a, b, c, d) {
      let buffer: ArrayBufferView;
      let offset: number;
      let length: number;
      let position: number | null;
      if (a === undefined || (typeof a === 'object' && a !== null && !ArrayBuffer.isView(a))) {
        const o = (a ?? {}) as { buffer?: ArrayBufferView; offset?: number; length?: number; position?: number | null };
        buffer = o.buffer ?? Buffer.alloc(16384);
        offset = o.offset ?? 0;
        length = o.length ?? buffer.byteLength - offset;
        position = o.position ?? null;
      } else if (typeof b === 'object' && b !== null) {
        const o = b as { offset?: number; length?: number; position?: number | null };
        buffer = a as ArrayBufferView;
        offset = o.offset ?? 0;
        length = o.length ?? buffer.byteLength - offset;
        position = o.position ?? null;
      } else {
        buffer = a as ArrayBufferView;
        offset = (b as number | undefined) ?? 0;
        length = (c as number | undefined) ?? buffer.byteLength - offset;
        position = (d as number | null | undefined) ?? null;
      }
      return [yield* fs.read(fd as number, buffer, offset, length, position), buffer];
    },
    *write(fd, data, a, b, c) {
      if (typeof data === 'string') {
        const position = typeof a === 'number' ? a : null;
        const encoding = (typeof b === 'string' ? b : typeof a === 'string' ? a : 'utf8') as BufferEncoding;
        return [yield* fs.writeBytes(fd as number, toBytes(data, encoding), position), data];
      }
      const view = data as ArrayBufferView;
      const bytes = toBytes(view);
      let offset = 0;
      let length = bytes.length;
      let position: number | null = null;
      if (typeof a === 'object' && a !== null) {
        const o = a as { offset?: number; length?: number; position?: number | null };
        offset = o.offset ?? 0;
        length = o.length ?? bytes.length - offset;
        position = o.position ?? null;
      } else {
        offset = (a as number | undefined) ?? 0;
        length = (b as number | undefined) ?? bytes.length - offset;
        position = typeof c === 'number' ? c : null;
      }
      return [yield* fs.writeBytes(fd as number, bytes.subarray(offset, offset + length), position), data];
    },
    *writev(fd, buffers, position) {
      return [yield* fs.writev(fd as number, buffers as ArrayBufferView[], (position ?? null) as number | null), buffers];
    },
    fsync: (fd) => none(fs.fsync(fd as number)),
    fdatasync: (fd) => none(fs.fsync(fd as number)),
    fstat: (fd) => one(fs.fstat(fd as number)),
    ftruncate: (fd, len) => none(fs.ftruncate(fd as number, (len ?? 0) as number)),
    *truncate(path, len) {
      const fd = yield* fs.open(path as PathLike, 'r+');
      try {
        yield* fs.ftruncate(fd, (len ?? 0) as number);
      } finally {
        yield* fs.close(fd);
      }
      return [];
    },
    *readFile(target, options) {
      const data = yield* fs.readFile(target as PathLike | number);
      const encoding = encodingOf(options);
      return [encoding === undefined ? data : data.toString(encoding)];
    },
    writeFile: (target, data, options) => none(fs.writeFile(target as PathLike | number, data as Data, flagOf(options, 'w'), encodingOf(options))),
    appendFile: (target, data, options) => none(fs.writeFile(target as PathLike | number, data as Data, flagOf(options, 'a'), encodingOf(options))),
    rename: (a, b) => none(fs.rename(a as PathLike, b as PathLike)),
    unlink: (p) => none(fs.unlink(p as PathLike)),
    rmdir: (p, o) => none(fs.rmdir(p as PathLike, (o ?? {}) as { recursive?: boolean })),
    rm: (p, o) => none(fs.rm(p as PathLike, (o ?? {}) as { recursive?: boolean; force?: boolean })),
    mkdir: (p, o) => one(fs.mkdir(p as PathLike, (o ?? {}) as { recursive?: boolean })),
    readdir: (p, o) => one(fs.readdir(p as PathLike, (typeof o === 'object' && o !== null ? o : {}) as { withFileTypes?: boolean })),
    stat: (p) => one(fs.stat(p as PathLike)),
    lstat: (p) => one(fs.stat(p as PathLike, 'lstat')),
    access: (p) => none(fs.access(p as PathLike)),
    realpath: (p) => one(fs.realpath(p as PathLike)),
    mkdtemp: (prefix) => one(fs.mkdtemp(String(prefix))),
    utimes: (p, a, m) => none(fs.utimes(p as PathLike, a as number, m as number)),
    lutimes: (p, a, m) => none(fs.utimes(p as PathLike, a as number, m as number)),
    futimes: (fd, a, m) => none(fs.utimes(fs.pathOf(fd as number), a as number, m as number)),
    chmod: (p) => none(fs.permissions(p as PathLike, 'chmod')),
    lchmod: (p) => none(fs.permissions(p as PathLike, 'lchmod')),
    chown: (p) => none(fs.permissions(p as PathLike, 'chown')),
    lchown: (p) => none(fs.permissions(p as PathLike, 'lchown')),
    fchmod: (fd) => none(fs.permissions(fs.pathOf(fd as number), 'fchmod')),
    fchown: (fd) => none(fs.permissions(fs.pathOf(fd as number), 'fchown')),
    copyFile: (a, b, mode) => none(fs.copyFile(a as PathLike, b as PathLike, (mode ?? 0) as number)),
  };
}

const built = new WeakMap<FsOverVfs, ReturnType<typeof buildCalls>>();

/** The calls on `fs`, made once per simulated file system (not on every call). */
function calls(fs: FsOverVfs): ReturnType<typeof buildCalls> {
  let c = built.get(fs);
  if (c === undefined) {
    c = buildCalls(fs);
    built.set(fs, c);
  }
  return c;
}

/** The simulated file system of the calling simulated process, or undefined outside one. */
function simulated(): FsOverVfs | undefined {
  return currentFs();
}

const real = realFs as unknown as Record<string, unknown>;
const realPromises = realFs.promises as unknown as Record<string, unknown>;

/** Runs the simulated call `name` on `fs` with Node's callback convention (the callback last in `args`). */
function callbackOn(fs: FsOverVfs, name: string, args: unknown[]): undefined {
  const cb = args.pop();
  if (typeof cb !== 'function') throw Object.assign(new TypeError(`The "cb" argument must be of type function. Received ${typeof cb}`), { code: 'ERR_INVALID_ARG_TYPE' });
  const call = calls(fs)[name];
  const run = call === undefined ? Promise.reject(notSimulated(name)) : runAsync(call(...args));
  run.then(
    (values) => (cb as AnyFn)(null, ...values),
    (err: unknown) => (cb as AnyFn)(err),
  );
  return undefined;
}

/** The callback form of `name`: the simulated call inside a simulated process, Node's outside. */
function callbackForm(name: string): AnyFn {
  const f = function (this: unknown, ...args: unknown[]): unknown {
    const fs = simulated();
    if (fs === undefined) return (real[name] as AnyFn).apply(realFs, args);
    return callbackOn(fs, name, args);
  };
  if (name === 'read' || name === 'write') {
    const key = name === 'read' ? 'bytesRead' : 'bytesWritten';
    Object.defineProperty(f, promisify.custom, {
      value: (...args: unknown[]) =>
        new Promise((resolve, reject) => f(...args, (err: unknown, n: number, b: unknown) => (err === null ? resolve({ [key]: n, buffer: b }) : reject(err)))),
    });
  }
  return f;
}

/** `exists(path, cb)`: the one callback without an error argument. */
function existsForm(path: unknown, cb: unknown): void {
  const fs = simulated();
  if (fs === undefined) {
    // Node's own, for a package outside a simulated process (deprecated, still exported).
    (real['exists'] as AnyFn)(path, cb);
    return;
  }
  void runAsync(fs.exists(path as PathLike)).then((e) => (cb as AnyFn)(e));
}
Object.defineProperty(existsForm, promisify.custom, { value: (path: unknown) => new Promise((resolve) => existsForm(path, resolve)) });

/** A file handle of the promises face. */
class SimFileHandle {
  constructor(
    readonly fd: number,
    readonly fs: FsOverVfs,
  ) {}
  async read(...args: unknown[]): Promise<{ bytesRead: number; buffer: unknown }> {
    const [bytesRead, buffer] = (await runAsync((calls(this.fs)['read'] as (...a: unknown[]) => Body<unknown[]>)(this.fd, ...args))) as [number, unknown];
    return { bytesRead, buffer };
  }
  async write(...args: unknown[]): Promise<{ bytesWritten: number; buffer: unknown }> {
    const [bytesWritten, buffer] = (await runAsync((calls(this.fs)['write'] as (...a: unknown[]) => Body<unknown[]>)(this.fd, ...args))) as [number, unknown];
    return { bytesWritten, buffer };
  }
  async writev(buffers: ArrayBufferView[], position?: number): Promise<{ bytesWritten: number; buffers: unknown }> {
    return { bytesWritten: await runAsync(this.fs.writev(this.fd, buffers, position ?? null)), buffers };
  }
  async readFile(options?: unknown): Promise<unknown> {
    const [data] = await runAsync((calls(this.fs)['readFile'] as (...a: unknown[]) => Body<unknown[]>)(this.fd, options));
    return data;
  }
  writeFile(data: Data, options?: unknown): Promise<void> {
    return runAsync(this.fs.writeFile(this.fd, data, 'w', encodingOf(options)));
  }
  appendFile(data: Data, options?: unknown): Promise<void> {
    return runAsync(this.fs.writeFile(this.fd, data, 'a', encodingOf(options)));
  }
  stat(): Promise<unknown> {
    return runAsync(this.fs.fstat(this.fd));
  }
  sync(): Promise<void> {
    return runAsync(this.fs.fsync(this.fd));
  }
  datasync(): Promise<void> {
    return runAsync(this.fs.fsync(this.fd));
  }
  truncate(len = 0): Promise<void> {
    return runAsync(this.fs.ftruncate(this.fd, len));
  }
  chmod(): Promise<void> {
    return runAsync(this.fs.permissions(this.fs.pathOf(this.fd), 'fchmod'));
  }
  chown(): Promise<void> {
    return runAsync(this.fs.permissions(this.fs.pathOf(this.fd), 'fchown'));
  }
  utimes(a: number, m: number): Promise<void> {
    return runAsync(this.fs.utimes(this.fs.pathOf(this.fd), a, m));
  }
  close(): Promise<void> {
    return runAsync(this.fs.close(this.fd));
  }
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** The promise form of `name`. */
function promiseForm(name: string): AnyFn {
  return (...args: unknown[]) => {
    const fs = simulated();
    if (fs === undefined) return (realPromises[name] as AnyFn)(...args);
    if (name === 'open') return runAsync(fs.open(args[0] as PathLike, (args[1] ?? 'r') as string | number)).then((fd) => new SimFileHandle(fd, fs));
    const call = calls(fs)[name];
    if (call === undefined) return Promise.reject(notSimulated(name));
    return runAsync(call(...args)).then((values) => values[0]);
  };
}

/** The calls a file stream makes (Node's `fs` option of createReadStream and createWriteStream), bound to `fs`. */
function streamCalls(fs: FsOverVfs): Record<string, AnyFn> {
  const bound: Record<string, AnyFn> = {};
  for (const name of ['open', 'close', 'read', 'write', 'writev', 'fsync']) bound[name] = (...args: unknown[]) => callbackOn(fs, name, args);
  return bound;
}

/**
 * `createReadStream` or `createWriteStream`: Node's own stream class, doing its file calls
 * through the simulated file system of the process that made the stream (Node's `fs` option),
 * so buffering, high-water marks, `end` and `close` behave exactly as Node's; outside a simulated
 * process, Node's stream on the real disk.
 */
function streamForm(name: 'createReadStream' | 'createWriteStream'): AnyFn {
  return (path: unknown, options?: unknown) => {
    const fs = simulated();
    if (fs === undefined) return (real[name] as AnyFn)(path, options);
    const o = typeof options === 'string' ? { encoding: options } : ((options ?? {}) as Record<string, unknown>);
    return (real[name] as AnyFn)(path, { ...o, fs: streamCalls(fs) });
  };
}

/**
 * The synchronous form of `name` (`readFileSync` for `readFile`): the same body run at once on
 * the simulated disk's synchronous face (nothing else runs meanwhile, as a synchronous call
 * blocks Node's event loop), giving what Node's returns (the callback's first value); Node's
 * own outside a simulated process. A disk without a synchronous face (the racing processes'
 * views) fails it with ENOSYS saying so.
 */
function syncForm(name: string, base: string): AnyFn {
  return function (this: unknown, ...args: unknown[]): unknown {
    const fs = simulated();
    if (fs === undefined) return (real[name] as AnyFn).apply(realFs, args);
    if (base === 'exists') return runSync(fs.exists(args[0] as PathLike));
    return runSync((calls(fs)[base] as (...a: unknown[]) => Body<unknown[]>)(...args))[0];
  };
}

/** An unsimulated call `name`: Node's outside a simulated process, ENOSYS inside. */
function realOnly(name: string): AnyFn {
  return function (this: unknown, ...args: unknown[]): unknown {
    if (simulated() !== undefined) throw notSimulated(name);
    return (real[name] as AnyFn).apply(realFs, args);
  };
}

/** The names of node:fs that are values, not calls (classes, constants): passed through. */
const PASS_THROUGH = new Set(['constants', 'F_OK', 'R_OK', 'W_OK', 'X_OK', 'Dirent', 'Stats', 'ReadStream', 'WriteStream', 'FileReadStream', 'FileWriteStream', 'Dir', '_toUnixTimestamp']);

/** The whole node:fs module of the facade (also what `graceful-fs` is routed to). */
export function facadeModule(): Record<string, unknown> {
  // The names only: the calls are built on a file system never used.
  const simulatedNames = new Set(Object.keys(buildCalls(new FsOverVfs({} as never))));
  const mod: Record<string, unknown> = {};
  for (const name of Object.keys(realFs)) {
    if (name === 'promises') continue;
    if (PASS_THROUGH.has(name)) mod[name] = real[name];
    else if (name === 'exists') mod[name] = existsForm;
    else if (name === 'createReadStream' || name === 'createWriteStream') mod[name] = streamForm(name);
    else if (simulatedNames.has(name)) mod[name] = callbackForm(name);
    else if (name.endsWith('Sync') && (simulatedNames.has(name.slice(0, -4)) || name === 'existsSync')) mod[name] = syncForm(name, name.slice(0, -4));
    else mod[name] = realOnly(name);
  }
  const promises: Record<string, unknown> = {};
  for (const name of Object.keys(realFs.promises)) promises[name] = name === 'constants' ? realPromises[name] : promiseForm(name);
  mod['promises'] = promises;
  Object.defineProperty(mod['realpath'], 'native', { value: mod['realpath'] });
  Object.defineProperty(mod['realpathSync'], 'native', { value: mod['realpathSync'] });
  // graceful-fs's own additions, for packages routed to the facade through `graceful-fs`.
  mod['gracefulify'] = (fs: unknown) => fs;
  return mod;
}
