/**
 * `fs.Stats` and `fs.Dirent` as node:fs hands them out, built from a Vfs stat: the type tests
 * (`isFile()`, `isDirectory()`...), size, times as numbers and as Dates, and plausible values for
 * what a Vfs does not keep (mode 0o644 for files and 0o755 for directories, one link, uid and gid
 * of this process, an inode number fixed per path for the life of the facade).
 */
import type { VfsStat } from '../../impl/io/vfs.ts';

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** The type tests node:fs's Stats and Dirent share: a Vfs has files and directories only. */
class TypeTests {
  readonly #kind: VfsStat['kind'];

  constructor(kind: VfsStat['kind']) {
    this.#kind = kind;
  }
  isFile(): boolean {
    return this.#kind === 'file';
  }
  isDirectory(): boolean {
    return this.#kind === 'directory';
  }
  isSymbolicLink(): boolean {
    return false;
  }
  isBlockDevice(): boolean {
    return false;
  }
  isCharacterDevice(): boolean {
    return false;
  }
  isFIFO(): boolean {
    return false;
  }
  isSocket(): boolean {
    return false;
  }
}

/** What node:fs gives for `stat`: the fields and type tests code reads. */
export class SimStats extends TypeTests {
  readonly dev = 1;
  readonly mode: number;
  readonly nlink = 1;
  readonly uid = process.getuid?.() ?? 0;
  readonly gid = process.getgid?.() ?? 0;
  readonly rdev = 0;
  readonly blksize = 4096;
  readonly ino: number;
  readonly size: number;
  readonly blocks: number;
  readonly atimeMs: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly birthtimeMs: number;
  readonly atime: Date;
  readonly mtime: Date;
  readonly ctime: Date;
  readonly birthtime: Date;

  constructor(stat: VfsStat, ino: number) {
    super(stat.kind);
    this.mode = stat.kind === 'directory' ? S_IFDIR | 0o755 : S_IFREG | 0o644;
    this.ino = ino;
    this.size = stat.size;
    this.blocks = Math.ceil(stat.size / 512);
    this.atimeMs = this.mtimeMs = this.ctimeMs = this.birthtimeMs = stat.mtimeMs;
    this.atime = new Date(stat.mtimeMs);
    this.mtime = new Date(stat.mtimeMs);
    this.ctime = new Date(stat.mtimeMs);
    this.birthtime = new Date(stat.mtimeMs);
  }

}

/** What node:fs gives for `readdir(..., { withFileTypes: true })`. */
export class SimDirent extends TypeTests {
  constructor(
    readonly name: string,
    readonly parentPath: string,
    kind: VfsStat['kind'],
  ) {
    super(kind);
  }

  /** Node 20's older name of `parentPath`. */
  get path(): string {
    return this.parentPath;
  }
}
