/**
 * The protocol's shared sub-steps (`docs/multispool-protocol.md`): touch, directory fsync, writing
 * a metadata file through `.tmp`, reading a metadata file, and `renameTouched`. Every Vfs call of
 * these goes through {@link vfsStep}, so failures are SpoolErrors.
 */
import { readWholeFile, writeWholeFile } from '../io/files.ts';
import { dirname, isVfsError, type Vfs } from '../io/vfs.ts';
import type { SpoolContext } from './context.ts';
import { decodeAt, toSpoolError, vfsStep, type VfsCodeKinds } from './errors.ts';
import type { MultispoolQuirks } from './quirks.ts';

/** Sets the atime and mtime of `path` to `clock.now()`. */
export async function touch(ctx: Pick<SpoolContext<string, unknown, unknown>, 'vfs' | 'clock'>, path: string, codes: VfsCodeKinds = {}): Promise<void> {
  const now = ctx.clock.now();
  await vfsStep('touch', path, () => ctx.vfs.utimes(path, now, now), codes);
}

/**
 * Makes the entries of directory `path` durable. The single place of quirk MS-1 (`noDirFsync`):
 * with it, no directory is ever fsynced.
 */
export async function fsyncDir(ctx: { readonly vfs: Vfs; readonly quirks: MultispoolQuirks }, path: string, codes: VfsCodeKinds = {}): Promise<void> {
  // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
  if (ctx.quirks.noDirFsync === true) return;
  await vfsStep('fsync directory', path, () => ctx.vfs.fsyncDir(path), codes);
}

/**
 * Enqueue step 2, also used by both saves: unlink a leftover `S/.tmp/name` (ENOENT is the normal
 * case), write `S/.tmp/name` (create, truncate, write, fsync, close), then touch it. Returns the
 * path written. The unlink matters after a power loss that cut a rename between its link and its
 * unlink (possible where renames are not atomic): the leftover is then a second name of the live
 * metadata file, and truncating and writing it would change that file in place.
 */
export async function stageMetadata<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, name: string, bytes: Uint8Array): Promise<string> {
  const path = ctx.layout.tmpFile(name);
  try {
    await ctx.vfs.unlink(path);
  } catch (err) {
    if (!isVfsError(err, 'ENOENT')) throw toSpoolError(err, 'unlink leftover', path);
  }
  await vfsStep('write metadata', path, () => writeWholeFile(ctx.vfs, path, bytes));
  await touch(ctx, path);
  return path;
}

/** Reads and decodes the metadata file at `path`: ENOENT → `notFound`, undecodable → `corrupt`. */
export async function readMetadata<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, path: string): Promise<M> {
  const bytes = await vfsStep('read metadata', path, () => readWholeFile(ctx.vfs, path), { ENOENT: 'notFound' });
  return decodeAt((b) => ctx.spoolable.metadata.decode(b), bytes, path, 'metadata file');
}

/**
 * The original's `With_touch.rename` of entry `name`: touch `S/.registry/name`, touch `from`,
 * `rename(from, to)`, then fsync the destination directory and the source directory.
 * ENOENT of the registry touch → `noSuchEntry`; ENOENT of any later step → `notFound`.
 */
export async function renameTouched<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, name: string, from: string, to: string): Promise<void> {
  await touch(ctx, ctx.layout.registryFile(name), { ENOENT: 'noSuchEntry' });
  await touch(ctx, from, { ENOENT: 'notFound' });
  await vfsStep(`rename to ${to}:`, from, () => ctx.vfs.rename(from, to), { ENOENT: 'notFound' });
  await fsyncDir(ctx, dirname(to), { ENOENT: 'notFound' });
  await fsyncDir(ctx, dirname(from), { ENOENT: 'notFound' });
}
