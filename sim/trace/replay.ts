/**
 * A traced program's file-system calls on its directory, replayed on the crash-simulating Vfs:
 * what `spoolcheck trace` explores. The directory of the trace is the root of the crash Vfs
 * (holding at the start what the program found there, durable: nothing for a fresh directory); every call that changed something inside it is
 * applied, in the order the calls completed, so the crash Vfs records the same logical steps as
 * for an in-process workload and the same profiles, explorer and reports apply. The program's
 * standard output is cut into workload marks (one per write to it), so a crash state knows what
 * the program had said before it.
 *
 * What is replayed: open/openat/creat (O_CREAT, O_EXCL, O_TRUNC, O_APPEND, directories),
 * write/pwrite64/writev/pwritev/pwritev2 (the bytes the call reported written), lseek, truncate
 * and ftruncate, fsync and fdatasync (of files and of directories), sync and syncfs (every file
 * and directory), rename/renameat/renameat2, link/linkat (hard links), unlink/unlinkat, mkdir/mkdirat, rmdir, close,
 * dup/dup2/dup3/fcntl(F_DUPFD), descriptors shared by threads and copied by fork, chdir. Calls
 * that failed are skipped (they changed nothing).
 *
 * Fault contract, in plain words: nothing is injected here. What cannot be replayed faithfully
 * is reported in `unsupported`, never silently ignored: writes through a shared writable mmap
 * (strace cannot see them), symbolic links, RENAME_EXCHANGE, files moved in from outside
 * the directory whose content the trace does not show, fallocate, copy_file_range, sendfile and splice into the directory, O_TMPFILE,
 * and writes on a descriptor whose opening was not seen. A file moved in from outside the
 * directory is replayed when the trace showed all of its content (it made or truncated the file):
 * its writes are followed, and it is staged in a hidden directory of the crash Vfs
 * ({@link OUTSIDE_DIR}) that no checker sees. A trace that used io_uring is refused
 * (its file operations bypass system calls strace sees). Modification times are not replayed.
 */
import { crashVfs, type CrashVfs } from '../crash-vfs.ts';
import { listTree, type DiskImage } from '../crash/disk-image.ts';
import { syncFaceOf, syncFileOf, type SyncVfs, type SyncVfsFile } from '../sync-face.ts';
import type { VfsFile } from '../../impl/io/vfs.ts';
import { decodePath, decodeString, fdArg, type TraceEvent } from './strace-parse.ts';

/** What the trace is about. */
export interface TraceSetting {
  /** The program's directory, absolute, as the trace shows it. */
  readonly dir: string;
  /** The file the program's standard output went to, absolute (its writes are the marks). */
  readonly stdoutPath: string;
  /** The program's working directory at the start. */
  readonly cwd: string;
}

/** The replayed trace. */
export interface ReplayedTrace {
  /** The crash Vfs holding the history (recording from the empty directory). */
  readonly crash: CrashVfs;
  /** For each recorded call id, the traced call that made it. */
  readonly sources: ReadonlyMap<number, TraceEvent>;
  /** The text of every mark (a write to standard output), in order. */
  readonly output: readonly string[];
  /** What could not be replayed faithfully, one line each (with the strace line). */
  readonly unsupported: readonly string[];
  /** Calls replayed (that changed the directory). */
  readonly replayed: number;
}

/** A trace that cannot be explored at all. */
export class TraceRefused extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'TraceRefused';
  }
}

/** One open file description. */
interface Description {
  /** The path inside the crash Vfs (or, for a file outside the directory, its absolute path). */
  readonly path: string;
  readonly file: SyncVfsFile | undefined;
  readonly handle: VfsFile | undefined;
  readonly append: boolean;
  position: number;
  /** For a file outside the directory opened for writing: what is known of it (see `Outside`). */
  readonly outside?: Outside;
}

/**
 * A file outside the directory that may be moved into it (a temporary file made elsewhere, say):
 * its bytes as the trace wrote them (known only for a file the trace created or truncated), and
 * whether an fsync followed its last write.
 */
interface Outside {
  bytes: Uint8Array;
  known: boolean;
  synced: boolean;
}

/** Where files moved in from outside the directory are staged on the crash Vfs; never shown to a checker. */
export const OUTSIDE_DIR = '/.spoolcheck-outside';

type FdTable = Map<number, Description>;

const AT_FDCWD = -100;

/** Replays `events` (see the module comment) from `baseline` (what the directory held when the program started, durable; default: empty). */
export function replayTrace(events: readonly TraceEvent[], setting: TraceSetting, baseline?: DiskImage): ReplayedTrace {
  const crash = crashVfs({ description: `trace of ${setting.dir}`, ...(baseline === undefined ? {} : { image: baseline }) });
  const vfs = syncFaceOf(crash) as SyncVfs;
  crash.startRecording();
  const sources = new Map<number, TraceEvent>();
  const output: string[] = [];
  const unsupported: string[] = [];
  const tables = new Map<number, FdTable>();
  const cwds = new Map<number, string>();
  const outsideFiles = new Map<string, Outside>();
  let staged = 0;
  let replayed = 0;

  const tableOf = (pid: number): FdTable => {
    let t = tables.get(pid);
    if (t === undefined) {
      t = new Map();
      tables.set(pid, t);
    }
    return t;
  };
  const cwdOf = (pid: number): string => cwds.get(pid) ?? setting.cwd;
  /** The absolute path of a path argument relative to a directory descriptor argument (or the cwd). */
  const absolute = (pid: number, dirfd: string | undefined, pathArg: string): string => {
    const p = decodePath(pathArg);
    if (p.startsWith('/')) return normalise(p);
    const base = dirfd === undefined ? cwdOf(pid) : (fdArg(dirfd).path ?? (fdArg(dirfd).fd === AT_FDCWD ? cwdOf(pid) : undefined));
    if (base === undefined) throw new Error(`a relative path ${JSON.stringify(p)} against a descriptor of unknown path`);
    return normalise(`${base}/${p}`);
  };
  /** The crash Vfs path of an absolute path, or undefined when it is outside the directory. */
  const inside = (abs: string): string | undefined => {
    if (abs === setting.dir) return '/';
    if (abs.startsWith(`${setting.dir}/`)) return abs.slice(setting.dir.length);
    return undefined;
  };
  const note = (e: TraceEvent, why: string): void => {
    unsupported.push(`line ${e.line}: ${why}: ${shorten(e.text)}`);
  };
  const isDir = (path: string): boolean => {
    try {
      return vfs.stat(path).kind === 'directory';
    } catch {
      return false;
    }
  };
  /** The description of fd argument `raw` if it is in the directory (undefined: outside, not ours). */
  const described = (e: TraceEvent, raw: string): Description | undefined => {
    const { fd, path } = fdArg(raw);
    const d = tableOf(e.pid).get(fd);
    if (d !== undefined) return d;
    if (path !== undefined && inside(path) !== undefined) note(e, 'a call on a descriptor of the directory whose opening the trace did not show');
    return undefined;
  };
  for (const e of events) {
    if (e.name === 'io_uring_setup' || e.name === 'io_uring_enter') throw new TraceRefused(`the program used io_uring (strace line ${e.line}): its file operations bypass the system calls strace sees (for Node, set UV_USE_IO_URING=0)`);
    if (!e.result.ok) continue;
    const first = crash.lastCallId();
    const stdoutWrite = writesToStdout(e, setting.stdoutPath);
    if (stdoutWrite !== undefined) {
      output.push(stdoutWrite);
      crash.mark(`output: ${JSON.stringify(stdoutWrite.length > 60 ? `${stdoutWrite.slice(0, 57)}...` : stdoutWrite)}`);
      continue;
    }
    try {
      replayOne(e);
    } catch (err) {
      if (err instanceof TraceRefused) throw err;
      throw new TraceRefused(`replaying strace line ${e.line} failed (${err instanceof Error ? err.message : String(err)}): ${shorten(e.text)}`);
    }
    const last = crash.lastCallId();
    for (let id = first + 1; id <= last; id++) sources.set(id, e);
    if (last > first) replayed++;
  }
  return { crash, sources, output, unsupported, replayed };

  /** Starts following a file outside the directory opened for writing (it may be moved in later). */
  function trackOutside(e: TraceEvent, abs: string, flags: string, fd: number): void {
    const parts = flags.split('|');
    if (!parts.includes('O_WRONLY') && !parts.includes('O_RDWR')) return;
    let known = outsideFiles.get(abs);
    const fresh = parts.includes('O_TRUNC') || (parts.includes('O_CREAT') && parts.includes('O_EXCL'));
    if (known === undefined || fresh) {
      known = { bytes: new Uint8Array(0), known: fresh, synced: false };
      outsideFiles.set(abs, known);
    }
    tableOf(e.pid).set(fd, { path: abs, file: undefined, handle: undefined, append: parts.includes('O_APPEND'), position: 0, outside: known });
  }

  /** A write of `data` (at `explicit`, or the descriptor's position) to a followed file outside the directory: its bytes are kept. */
  function writeOutside(d: Description, data: Uint8Array, explicit: number | undefined): void {
    const o = d.outside as Outside;
    const at = explicit ?? (d.append ? o.bytes.length : d.position);
    if (at + data.length > o.bytes.length) {
      const grown = new Uint8Array(at + data.length);
      grown.set(o.bytes);
      o.bytes = grown;
    }
    o.bytes.set(data, at);
    o.synced = false;
    if (explicit === undefined) d.position = at + data.length;
  }

  /**
   * A file moved into the directory from outside it: staged (created, written, fsynced if the
   * program had fsynced it) in {@link OUTSIDE_DIR}, then renamed into place, so the rename keeps
   * its atomicity and the data its durability under each profile.
   */
  function moveIn(e: TraceEvent, from: string, to: string): void {
    const o = outsideFiles.get(from);
    outsideFiles.delete(from);
    if (o === undefined || !o.known) {
      note(e, 'a file moved into the directory from outside it, whose content the trace does not show');
      return;
    }
    if (!isDir(OUTSIDE_DIR)) vfs.mkdir(OUTSIDE_DIR);
    const stage = `${OUTSIDE_DIR}/${staged++}`;
    const h = vfs.open(stage, { write: true, create: true, exclusive: true });
    const f = syncFileOf(h) as SyncVfsFile;
    if (o.bytes.length > 0) f.write(0, o.bytes);
    if (o.synced) f.fsync();
    f.close();
    vfs.rename(stage, to);
  }

  function replayOne(e: TraceEvent): void {
    const a = e.args;
    const value = e.result.ok ? e.result.value : -1;
    switch (e.name) {
      case 'open':
      case 'creat':
      case 'openat':
      case 'openat2': {
        const at = e.name === 'openat' || e.name === 'openat2';
        const abs = absolute(e.pid, at ? a[0] : undefined, (at ? a[1] : a[0]) as string);
        const path = inside(abs);
        const flags = e.name === 'creat' ? 'O_WRONLY|O_CREAT|O_TRUNC' : e.name === 'openat2' ? (/flags=([A-Z_|0-9]+)/.exec(a[2] ?? '')?.[1] ?? '') : ((at ? a[2] : a[1]) ?? 'O_RDONLY');
        if (path === undefined) {
          trackOutside(e, abs, flags, value);
          return;
        }
        if (flags.includes('O_TMPFILE')) {
          note(e, 'O_TMPFILE (an unnamed file) is not replayed');
          return;
        }
        const has = (f: string): boolean => flags.split('|').includes(f);
        let handle: VfsFile | undefined;
        if (!(has('O_DIRECTORY') || isDir(path))) {
          handle = vfs.open(path, { write: has('O_WRONLY') || has('O_RDWR'), create: has('O_CREAT'), exclusive: has('O_EXCL'), truncate: has('O_TRUNC') });
        }
        const file = handle === undefined ? undefined : syncFileOf(handle);
        tableOf(e.pid).set(value, { path, file, handle, append: has('O_APPEND'), position: 0 });
        return;
      }
      case 'write':
      case 'pwrite64':
      case 'writev':
      case 'pwritev':
      case 'pwritev2': {
        const d = described(e, a[0] as string);
        if (d === undefined || (d.file === undefined && d.outside === undefined)) return;
        const { data, explicit } = written(e);
        if (data.length < value) {
          note(e, `strace printed ${data.length} of the ${value} bytes written (raise its -s)`);
          return;
        }
        if (d.outside !== undefined) {
          writeOutside(d, data, explicit);
          return;
        }
        if (d.file === undefined) return;
        const at = explicit ?? (d.append ? d.file.size() : d.position);
        if (data.length > 0) d.file.write(at, data);
        if (explicit === undefined) d.position = at + data.length;
        return;
      }
      case 'lseek': {
        const d = described(e, a[0] as string);
        if (d !== undefined) d.position = value;
        return;
      }
      case 'ftruncate': {
        const d = described(e, a[0] as string);
        if (d?.outside !== undefined) d.outside.bytes = d.outside.bytes.slice(0, Number(a[1]));
        else if (d !== undefined && d.file !== undefined) crash.setSize(d.path, Number(a[1]));
        return;
      }
      case 'truncate': {
        const path = inside(absolute(e.pid, undefined, a[0] as string));
        if (path !== undefined) crash.setSize(path, Number(a[1]));
        return;
      }
      case 'fsync':
      case 'fdatasync': {
        const d = described(e, a[0] as string);
        if (d === undefined) return;
        if (d.outside !== undefined) d.outside.synced = true;
        else if (d.file === undefined) vfs.fsyncDir(d.path);
        else d.file.fsync();
        return;
      }
      case 'sync':
      case 'syncfs': {
        for (const entry of listTree(crash.liveImage())) {
          if (entry.kind === 'dir') vfs.fsyncDir(entry.path);
          else {
            const h = vfs.open(entry.path, {});
            syncFileOf(h)?.fsync();
            syncFileOf(h)?.close();
          }
        }
        vfs.fsyncDir('/');
        return;
      }
      case 'close': {
        const { fd } = fdArg(a[0] as string);
        const t = tableOf(e.pid);
        const d = t.get(fd);
        t.delete(fd);
        if (d?.file !== undefined && ![...t.values()].includes(d)) d.file.close();
        return;
      }
      case 'dup':
      case 'dup2':
      case 'dup3':
      case 'fcntl':
      case 'fcntl64': {
        if ((e.name === 'fcntl' || e.name === 'fcntl64') && !/^F_DUPFD/.test(a[1] ?? '')) return;
        const d = tableOf(e.pid).get(fdArg(a[0] as string).fd);
        if (d !== undefined) tableOf(e.pid).set(value, d);
        return;
      }
      case 'rename':
      case 'renameat':
      case 'renameat2': {
        const at = e.name !== 'rename';
        const from = absolute(e.pid, at ? a[0] : undefined, (at ? a[1] : a[0]) as string);
        const to = absolute(e.pid, at ? a[2] : undefined, (at ? a[3] : a[1]) as string);
        const f = inside(from);
        const t = inside(to);
        if (f === undefined && t === undefined) {
          const moved = outsideFiles.get(from);
          outsideFiles.delete(from);
          if (moved !== undefined) outsideFiles.set(to, moved);
          return;
        }
        if (e.name === 'renameat2' && (a[4] ?? '').includes('RENAME_EXCHANGE')) {
          note(e, 'RENAME_EXCHANGE is not replayed');
          return;
        }
        if (f === undefined && t !== undefined) {
          moveIn(e, from, t);
          return;
        }
        if (f === undefined || t === undefined) {
          note(e, 'a file moved out of the directory (replayed as a removal)');
          if (f !== undefined) (isDir(f) ? vfs.rmdir : vfs.unlink)(f);
          return;
        }
        vfs.rename(f, t);
        return;
      }
      case 'unlink':
      case 'unlinkat': {
        const at = e.name === 'unlinkat';
        const path = inside(absolute(e.pid, at ? a[0] : undefined, (at ? a[1] : a[0]) as string));
        if (path === undefined) return;
        if (at && (a[2] ?? '').includes('AT_REMOVEDIR')) vfs.rmdir(path);
        else vfs.unlink(path);
        return;
      }
      case 'mkdir':
      case 'mkdirat': {
        const at = e.name === 'mkdirat';
        const path = inside(absolute(e.pid, at ? a[0] : undefined, (at ? a[1] : a[0]) as string));
        if (path !== undefined && path !== '/') vfs.mkdir(path);
        return;
      }
      case 'rmdir': {
        const path = inside(absolute(e.pid, undefined, a[0] as string));
        if (path !== undefined) vfs.rmdir(path);
        return;
      }
      case 'link':
      case 'linkat': {
        const at = e.name === 'linkat';
        const from = inside(absolute(e.pid, at ? a[0] : undefined, (at ? a[1] : a[0]) as string));
        const to = inside(absolute(e.pid, at ? a[2] : undefined, (at ? a[3] : a[1]) as string));
        if (from === undefined && to === undefined) return;
        if (from === undefined || to === undefined) {
          note(e, from === undefined ? 'a file linked into the directory from outside it (its content is unknown)' : 'a link out of the directory (not replayed)');
          return;
        }
        crash.link(from, to);
        return;
      }
      case 'symlink':
      case 'symlinkat': {
        const paths = a.filter((x) => x.startsWith('"')).map((x) => inside(absolute(e.pid, undefined, x)));
        if (paths.some((p) => p !== undefined)) note(e, `${e.name} is not replayed (the simulated disk has no symbolic links)`);
        return;
      }
      case 'mmap':
      case 'mmap2': {
        if (!(a[2] ?? '').includes('PROT_WRITE') || !(a[3] ?? '').includes('MAP_SHARED')) return;
        const { path } = fdArg(a[4] as string);
        if (path !== undefined && inside(path) !== undefined) note(e, 'a shared writable mmap of a file in the directory: its writes are invisible to strace');
        return;
      }
      case 'fallocate':
      case 'copy_file_range':
      case 'sendfile':
      case 'sendfile64':
      case 'splice': {
        const target = e.name === 'fallocate' ? a[0] : e.name === 'copy_file_range' || e.name === 'splice' ? a[2] : a[0];
        const { path } = fdArg(target as string);
        if (path !== undefined && inside(path) !== undefined) note(e, `${e.name} into the directory is not replayed`);
        return;
      }
      case 'clone':
      case 'clone3':
      case 'fork':
      case 'vfork': {
        const shares = /CLONE_FILES/.test(a.join(','));
        const parent = tableOf(e.pid);
        tables.set(value, shares ? parent : new Map(parent));
        cwds.set(value, cwdOf(e.pid));
        return;
      }
      case 'chdir': {
        cwds.set(e.pid, absolute(e.pid, undefined, a[0] as string));
        return;
      }
      case 'fchdir': {
        const { path } = fdArg(a[0] as string);
        if (path !== undefined) cwds.set(e.pid, path);
        return;
      }
      default:
        return;
    }
  }
}

/** The text a call wrote to the program's standard output, or undefined if it is not such a write. */
function writesToStdout(e: TraceEvent, stdoutPath: string): string | undefined {
  if (e.name !== 'write' && e.name !== 'writev') return undefined;
  const { path } = fdArg(e.args[0] as string);
  if (path !== stdoutPath) return undefined;
  return new TextDecoder().decode(written(e).data);
}

/** The bytes a write-family call reported written (its result), and its explicit file offset (pwrite*, pwritev*). */
function written(e: TraceEvent): { data: Uint8Array; explicit: number | undefined } {
  const value = e.result.ok ? e.result.value : 0;
  const data = (e.name.includes('writev') ? iovecBytes(e.args[1] as string) : decodeString(e.args[1] as string)).subarray(0, value);
  const explicit = e.name === 'pwrite64' || e.name === 'pwritev' || e.name === 'pwritev2' ? Number(e.args[3]) : undefined;
  return { data, explicit };
}

/** The bytes of an iovec array argument (`[{iov_base="...", iov_len=N}, ...]`), in order. */
function iovecBytes(raw: string): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const m of raw.matchAll(/iov_base=("(?:[^"\\]|\\.)*")/g)) parts.push(decodeString(m[1] as string));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `/a/./b/../c` → `/a/c`. */
function normalise(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
