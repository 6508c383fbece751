/**
 * Test support for the multispool's unit tests (not part of the public API): a Vfs wrapper that
 * records every call (and can fail or delay chosen ones), and the small spool type the tests use.
 */
import { VfsError, type DirWatcher, type OpenFlags, type Vfs, type VfsErrorCode, type VfsFile } from '../io/vfs.ts';
import { jsonCodec, textCodec, type NameGenerator, type Spoolable } from './spoolable.ts';

/** One recorded Vfs call: the method (`fsync`/`close`/`write` for file handles, `drain`/`wait` for watchers) and its path(s). */
export interface VfsCall {
  readonly op: string;
  readonly path: string;
  readonly to?: string;
  readonly flags?: OpenFlags;
}

/** A Vfs that records its calls into `calls`; `failWith` may make a call fail before it runs. */
export interface RecordingVfs extends Vfs {
  readonly calls: VfsCall[];
  /** Return an error code to make the call fail (it is still recorded); `undefined` lets it run. */
  failWith: ((call: VfsCall) => VfsErrorCode | undefined) | undefined;
  /** Runs before the call is forwarded (awaited); lets a test interleave other work. */
  before: ((call: VfsCall) => Promise<void> | void) | undefined;
  /** Runs after the call completed, before its result is returned. */
  after: ((call: VfsCall) => Promise<void> | void) | undefined;
  /** Forgets the recorded calls. */
  reset(): void;
  /** The recorded calls of one op, as paths (`from -> to` for renames). */
  pathsOf(op: string): string[];
}

/** Wraps `inner` into a {@link RecordingVfs}. */
export function recordingVfs(inner: Vfs): RecordingVfs {
  const calls: VfsCall[] = [];
  const rec: RecordingVfs = {
    description: `recording(${inner.description})`,
    calls,
    failWith: undefined,
    before: undefined,
    after: undefined,
    reset: () => {
      calls.length = 0;
    },
    pathsOf: (op) => calls.filter((c) => c.op === op).map((c) => (c.to === undefined ? c.path : `${c.path} -> ${c.to}`)),
    mkdir: (path) => run({ op: 'mkdir', path }, () => inner.mkdir(path)),
    rmdir: (path) => run({ op: 'rmdir', path }, () => inner.rmdir(path)),
    open: async (path, flags) => wrapFile(await run({ op: 'open', path, flags }, () => inner.open(path, flags))),
    rename: (from, to) => run({ op: 'rename', path: from, to }, () => inner.rename(from, to)),
    unlink: (path) => run({ op: 'unlink', path }, () => inner.unlink(path)),
    readdir: (path) => run({ op: 'readdir', path }, () => inner.readdir(path)),
    stat: (path) => run({ op: 'stat', path }, () => inner.stat(path)),
    utimes: (path, a, m) => run({ op: 'utimes', path }, () => inner.utimes(path, a, m)),
    fsyncDir: (path) => run({ op: 'fsyncDir', path }, () => inner.fsyncDir(path)),
    watch: async (path) => wrapWatcher(path, await run({ op: 'watch', path }, () => inner.watch(path))),
  };
  async function run<T>(call: VfsCall, f: () => Promise<T>): Promise<T> {
    calls.push(call);
    await rec.before?.(call);
    const code = rec.failWith?.(call);
    if (code !== undefined) throw new VfsError(code, call.op, call.path, 'injected by the test');
    const result = await f();
    await rec.after?.(call);
    return result;
  }
  function wrapFile(file: VfsFile): VfsFile {
    return {
      path: file.path,
      read: (position, length) => file.read(position, length),
      write: (position, data) => run({ op: 'write', path: file.path }, () => file.write(position, data)),
      size: () => file.size(),
      fsync: () => run({ op: 'fsync', path: file.path }, () => file.fsync()),
      close: () => run({ op: 'close', path: file.path }, () => file.close()),
    };
  }
  function wrapWatcher(path: string, watcher: DirWatcher): DirWatcher {
    return {
      drain: () => {
        calls.push({ op: 'drain', path });
        return watcher.drain();
      },
      wait: async (signal) => {
        const call = { op: 'wait', path };
        calls.push(call);
        await rec.before?.(call);
        return watcher.wait(signal);
      },
      close: () => watcher.close(),
    };
  }
  return rec;
}

/** The queues of the test spool type. */
export type TQ = 'alpha' | 'beta';

/** Metadata of the test spool type. */
export interface TMeta {
  readonly label: string;
  readonly rev: number;
}

/** The test spool type: queues alpha (directory `alpha`) and beta (directory `b`), JSON metadata, text data. */
export const T_SPOOLABLE: Spoolable<TQ, TMeta, string> = {
  queues: ['alpha', 'beta'],
  queueDir: (q) => (q === 'alpha' ? 'alpha' : 'b'),
  metadata: jsonCodec<TMeta>(),
  data: textCodec,
};

/** A generator offering `names` in turn (`next(attempt)` = `names[attempt]`, then `x<attempt>`). */
export function namesFrom(...names: string[]): NameGenerator {
  return { next: (attempt) => names[attempt] ?? `x${attempt}` };
}

/** Lets pending promise callbacks and I/O callbacks run. */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
