/**
 * The synchronous face of a simulated Vfs: the same calls, returning their results instead of
 * promises, for the synchronous node:fs calls (`writeFileSync`, `fsyncSync`, ...) of code run
 * through the node:fs facade. A Vfs has one when every call of it can complete without waiting
 * (the crash Vfs: an in-memory image), and a wrapper has one when what it wraps has one (the
 * fault Vfs). The Vfs interface itself stays asynchronous: this face is the simulation's own.
 *
 * A synchronous call is one step: nothing else runs while it does, as a synchronous system call
 * blocks a Node process's event loop.
 *
 * Fault contract, in plain words: none here; each face injects exactly what its Vfs injects
 * asynchronously, by the same code.
 */
import type { OpenFlags, Vfs, VfsFile, VfsStat } from '../impl/io/vfs.ts';

/** Where a Vfs or a VfsFile keeps its synchronous face. */
const SYNC = Symbol.for('spoolcheck.syncFace');

/** The synchronous face of an open file. */
export interface SyncVfsFile {
  read(position: number, length: number): Uint8Array;
  write(position: number, data: Uint8Array): void;
  size(): number;
  fsync(): void;
  close(): void;
}

/** The synchronous face of a Vfs; `open` gives the ordinary file, which carries its own synchronous face. */
export interface SyncVfs {
  mkdir(path: string): void;
  rmdir(path: string): void;
  open(path: string, flags: OpenFlags): VfsFile;
  rename(from: string, to: string): void;
  unlink(path: string): void;
  readdir(path: string): string[];
  stat(path: string): VfsStat;
  utimes(path: string, atimeMs: number, mtimeMs: number): void;
  fsyncDir(path: string): void;
}

/** The calls of a Vfs besides `watch` and `description`, for {@link asyncFace}. */
type VfsCalls = Omit<Vfs, 'watch' | 'description'>;

/** `vfs`'s synchronous face, or undefined when it has none. */
export function syncFaceOf(vfs: Vfs): SyncVfs | undefined {
  return (vfs as unknown as Record<symbol, SyncVfs | undefined>)[SYNC];
}

/** `file`'s synchronous face, or undefined when it has none. */
export function syncFileOf(file: VfsFile): SyncVfsFile | undefined {
  return (file as unknown as Record<symbol, SyncVfsFile | undefined>)[SYNC];
}

/** The asynchronous VfsFile of a synchronous one (each call a resolved or rejected promise), carrying it as its face. */
export function asyncFile(path: string, sync: SyncVfsFile): VfsFile {
  const file: VfsFile = {
    path,
    read: async (position, length) => sync.read(position, length),
    write: async (position, data) => sync.write(position, data),
    size: async () => sync.size(),
    fsync: async () => sync.fsync(),
    close: async () => sync.close(),
  };
  return withSyncFile(file, sync);
}

/** The asynchronous calls of a synchronous face (each a resolved or rejected promise). */
export function asyncFace(sync: SyncVfs): VfsCalls {
  return {
    mkdir: async (path) => sync.mkdir(path),
    rmdir: async (path) => sync.rmdir(path),
    open: async (path, flags) => sync.open(path, flags),
    rename: async (from, to) => sync.rename(from, to),
    unlink: async (path) => sync.unlink(path),
    readdir: async (path) => sync.readdir(path),
    stat: async (path) => sync.stat(path),
    utimes: async (path, atimeMs, mtimeMs) => sync.utimes(path, atimeMs, mtimeMs),
    fsyncDir: async (path) => sync.fsyncDir(path),
  };
}

/** `file` with `sync` as its synchronous face (returns `file`). */
export function withSyncFile(file: VfsFile, sync: SyncVfsFile): VfsFile {
  Object.defineProperty(file, SYNC, { value: sync });
  return file;
}

/** `vfs` with `sync` as its synchronous face (returns `vfs`). */
export function withSyncFace<T extends Vfs>(vfs: T, sync: SyncVfs): T {
  Object.defineProperty(vfs, SYNC, { value: sync });
  return vfs;
}
