/**
 * The protocol's `remove(dir, name)`, used by `direct.remove` and by a checked-out entry's
 * `remove`: metadata first, registry last, so every crash state is complete or reported by the
 * Monitor (after the metadata unlink the registry name sits in no queue: `orphaned(registry)`).
 */
import { isVfsError, join } from '../io/vfs.ts';
import type { SpoolContext } from './context.ts';
import { toSpoolError, vfsStep } from './errors.ts';
import { fsyncDir, touch } from './steps.ts';

/** Unlinks the data file, ignoring ENOENT (an interrupted remove may have done it), then fsyncs `.data`. */
async function unlinkData<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, name: string): Promise<void> {
  const path = ctx.layout.dataFile(name);
  try {
    await ctx.vfs.unlink(path);
  } catch (err) {
    if (!isVfsError(err, 'ENOENT')) throw toSpoolError(err, 'unlink data', path);
  }
  await fsyncDir(ctx, ctx.layout.dataDir);
}

/** Unlinks `dir/name` (ENOENT → `notFound`), then fsyncs `dir`. */
async function unlinkMetadata<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, dir: string, name: string): Promise<void> {
  const path = join(dir, name);
  await vfsStep('unlink metadata', path, () => ctx.vfs.unlink(path), { ENOENT: 'notFound' });
  await fsyncDir(ctx, dir);
}

/**
 * Removes entry `name` whose metadata file is in directory `dir` (`S/q` or `S/q/.checkout`):
 * 1. touch `S/.registry/name` (ENOENT → `noSuchEntry`, nothing changed);
 * 2. unlink `dir/name` (ENOENT → `notFound`), `fsyncDir(dir)`;
 * 3. unlink `S/.data/name` ignoring ENOENT, `fsyncDir(S/.data)`;
 * 4. unlink `S/.registry/name` (ENOENT → `noSuchEntry`), `fsyncDir(S/.registry)`.
 * The single place of quirk MS-2 (`removeDataFirst`): with it, step 3 runs before step 2, as in
 * the original, so a crash between them leaves a queued entry without data.
 */
export async function removeEntry<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, dir: string, name: string): Promise<void> {
  const registryFile = ctx.layout.registryFile(name);
  await touch(ctx, registryFile, { ENOENT: 'noSuchEntry' });
  // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
  if (ctx.quirks.removeDataFirst === true) {
    await unlinkData(ctx, name);
    await unlinkMetadata(ctx, dir, name);
  } else {
    await unlinkMetadata(ctx, dir, name);
    await unlinkData(ctx, name);
  }
  await vfsStep('unlink registry file', registryFile, () => ctx.vfs.unlink(registryFile), { ENOENT: 'noSuchEntry' });
  await fsyncDir(ctx, ctx.layout.registryDir);
}
