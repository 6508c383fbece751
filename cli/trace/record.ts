/**
 * Recording a program for `spoolcheck trace`: it runs under strace on a fresh, empty temporary
 * directory, which it is given as the environment variable `SPOOLCHECK_DIR` (and wherever an
 * argument is exactly `{dir}`), in the caller's working directory, its standard output going to
 * a file (so strace names it, and its writes become the trace's marks) and
 * `UV_USE_IO_URING=0` (so a Node program's file calls are system calls strace sees). The saved
 * trace is self-contained: strace's whole output and the setting, so it can be explored again
 * without the program (`--replay`), anywhere.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeVfs } from '../../impl/io/node-vfs.ts';
import { applyStep, emptyImage, listTree, ROOT, type DiskImage } from '../../sim/crash/disk-image.ts';
import { imageFromVfs } from '../../sim/crash/image-from-vfs.ts';
import type { TraceSetting } from '../../sim/trace/replay.ts';

/** The format tag of a saved trace (bump when its shape changes). */
export const TRACE_FORMAT = 'spoolcheck-trace/1';

/** One file or directory of the directory as the program found it (a `--dir` trace), for the baseline. */
export interface BaselineEntry {
  /** Path below the directory, starting with `/`. */
  readonly path: string;
  readonly kind: 'file' | 'dir';
  /** The file's bytes, base64. */
  readonly data?: string;
}

/** A recorded run: everything exploring it needs. */
export interface SavedTrace extends TraceSetting {
  readonly format: typeof TRACE_FORMAT;
  /** The program and its arguments as run (`{dir}` replaced). */
  readonly program: readonly string[];
  readonly exitCode: number | null;
  /** What the program wrote to its standard output (all of it). */
  readonly stdout: string;
  /** What it wrote to its standard error (the first 64 KB). */
  readonly stderr: string;
  /** strace's output. */
  readonly strace: string;
  /** What the directory held when the program started (absent: it was fresh and empty). */
  readonly baseline?: readonly BaselineEntry[];
}

/** The baseline of `saved` as a disk image (undefined for a fresh directory). */
export function baselineImage(saved: SavedTrace): DiskImage | undefined {
  if (saved.baseline === undefined) return undefined;
  const image = emptyImage(0);
  const kinds = new Map<number, 'file' | 'dir'>([[ROOT, 'dir']]);
  const inodes = new Map<string, number>([['/', ROOT]]);
  let next = ROOT + 1;
  for (const entry of saved.baseline) {
    const slash = entry.path.lastIndexOf('/');
    const parent = inodes.get(slash === 0 ? '/' : entry.path.slice(0, slash));
    if (parent === undefined) throw new RecordError(`the saved trace's baseline lists ${entry.path} before its directory`);
    const ino = next++;
    kinds.set(ino, entry.kind);
    inodes.set(entry.path, ino);
    applyStep(image, { kind: 'link', dir: parent, name: entry.path.slice(slash + 1), inode: ino, at: 0 }, kinds);
    if (entry.kind === 'file' && entry.data !== undefined && entry.data !== '') applyStep(image, { kind: 'write', inode: ino, offset: 0, data: new Uint8Array(Buffer.from(entry.data, 'base64')), at: 0 }, kinds);
  }
  return image;
}

/** What `dir` holds now, as baseline entries (special files left out). */
async function snapshot(dir: string): Promise<BaselineEntry[]> {
  return listTree(await imageFromVfs(nodeVfs(dir))).map((e) => (e.kind === 'dir' ? { path: e.path, kind: 'dir' } : { path: e.path, kind: 'file', data: Buffer.from(e.data ?? new Uint8Array(0)).toString('base64') }));
}

/** The system calls strace is asked to show: every one that can change a directory or its files, and the ones that carry descriptors. */
export const TRACED_CALLS = [
  'open', 'openat', 'openat2', 'creat', 'close', 'write', 'pwrite64', 'writev', 'pwritev', 'pwritev2', 'lseek', 'ftruncate', 'truncate',
  'fsync', 'fdatasync', 'sync', 'syncfs', 'sync_file_range', 'rename', 'renameat', 'renameat2', 'unlink', 'unlinkat', 'mkdir', 'mkdirat', 'rmdir',
  'link', 'linkat', 'symlink', 'symlinkat', 'mmap', 'fallocate', 'copy_file_range', 'sendfile', 'splice', 'clone', 'clone3', 'fork', 'vfork',
  'chdir', 'fchdir', 'dup', 'dup2', 'dup3', 'fcntl', 'io_uring_setup',
];

/** Why recording could not start (strace missing, say): a usage-level problem with a clear message. */
export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordError';
  }
}

/**
 * Runs `program` with `args` under strace (see the module comment); `timeoutMs` ends a program
 * that hangs. With `dir`, the program works on that existing directory instead of a fresh one
 * (for programs whose directory is fixed, such as a mail queue in /var/spool): what it holds
 * first is the durable baseline, and the program changes it for real.
 */
export async function recordTrace(program: string, args: readonly string[], options: { readonly timeoutMs?: number; readonly env?: NodeJS.ProcessEnv; readonly cwd?: string; readonly dir?: string } = {}): Promise<SavedTrace> {
  const base = await mkdtemp(join(tmpdir(), 'spoolcheck-trace-'));
  try {
    const dir = options.dir ?? join(base, 'dir');
    let baseline: BaselineEntry[] | undefined;
    if (options.dir === undefined) await mkdir(dir);
    else {
      const st = await stat(dir).catch(() => undefined);
      if (st?.isDirectory() !== true) throw new RecordError(`--dir ${dir} is not a directory`);
      baseline = await snapshot(dir);
    }
    const stdoutPath = join(base, 'stdout');
    const stracePath = join(base, 'strace.txt');
    const out = await open(stdoutPath, 'w');
    const argv = args.map((a) => (a === '{dir}' ? dir : a));
    const straceArgs = ['-f', '-qq', '-y', '-xx', '-s', String(1 << 20), '-e', `trace=${TRACED_CALLS.join(',')}`, '-o', stracePath, '--', program, ...argv];
    let stderr = '';
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('strace', straceArgs, { cwd: options.cwd ?? process.cwd(), env: { ...(options.env ?? process.env), SPOOLCHECK_DIR: dir, UV_USE_IO_URING: '0' }, stdio: ['ignore', out.fd, 'pipe'] });
      const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
      child.stderr?.on('data', (b: Buffer) => {
        if (stderr.length < 65536) stderr += b.toString('utf8');
      });
      child.on('error', (err: NodeJS.ErrnoException) => {
        if (timer !== undefined) clearTimeout(timer);
        reject(err.code === 'ENOENT' ? new RecordError('strace is not installed (Debian: apt-get install strace)') : err);
      });
      child.on('close', (code) => {
        if (timer !== undefined) clearTimeout(timer);
        resolve(code);
      });
    });
    await out.close();
    const strace = await readFile(stracePath, 'utf8').catch(() => '');
    if (strace === '' && /ptrace|Operation not permitted|Can't stat|No such file/.test(stderr)) throw new RecordError(`strace could not run ${program}: ${stderr.trim().split('\n').slice(-2).join(' ')}`);
    return { format: TRACE_FORMAT, program: [program, ...argv], dir, stdoutPath, cwd: options.cwd ?? process.cwd(), exitCode, stdout: await readFile(stdoutPath, 'utf8'), stderr, strace, ...(baseline === undefined ? {} : { baseline }) };
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

/** Checks that `value` (read from a file) is a saved trace; throws a clear error otherwise. */
export function asSavedTrace(value: unknown, where: string): SavedTrace {
  const t = value as Partial<SavedTrace> | null;
  if (typeof t !== 'object' || t === null || t.format !== TRACE_FORMAT) throw new RecordError(`${where} is not a spoolcheck trace (format ${TRACE_FORMAT}): save one with 'spoolcheck trace --save FILE ...'`);
  for (const k of ['dir', 'stdoutPath', 'cwd', 'strace', 'stdout'] as const) if (typeof t[k] !== 'string') throw new RecordError(`${where}: the saved trace has no '${k}'`);
  if (!Array.isArray(t.program)) throw new RecordError(`${where}: the saved trace has no 'program'`);
  return t as SavedTrace;
}
