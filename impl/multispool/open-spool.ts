/**
 * Opening a spool directory (`docs/multispool-protocol.md`, "Opening"; docs/multispool-protocol.md): check that `S`
 * is a spool, or an empty directory that may become one, and check or create every directory the
 * spool needs. Shared by `Multispool.load` and `Monitor.open`.
 */
import { dirname, isVfsError, join, type Vfs, type VfsStat } from '../io/vfs.ts';
import { SpoolError, toSpoolError, vfsStep } from './errors.ts';
import { CHECKOUT_DIR, DATA_DIR, REGISTRY_DIR, TMP_DIR } from './layout.ts';
import type { MultispoolQuirks } from './quirks.ts';
import type { Spoolable } from './spoolable.ts';
import { fsyncDir } from './steps.ts';

/** How {@link openSpoolDir} treats missing pieces. */
export interface OpenSpoolDirOptions {
  /** Create `S` and every missing directory (fsyncing its parent) instead of failing with `missing`. */
  readonly createIfMissing: boolean;
  /** Quirks; `noDirFsync` and `skipNotEmptyCheck` matter here. */
  readonly quirks?: MultispoolQuirks;
}

/** `stat(path)`, or `undefined` when nothing is there (ENOENT); other failures are `io`. */
async function statOrMissing(vfs: Vfs, path: string): Promise<VfsStat | undefined> {
  try {
    return await vfs.stat(path);
  } catch (err) {
    if (isVfsError(err, 'ENOENT')) return undefined;
    throw toSpoolError(err, 'stat', path, { ENOTDIR: 'notADirectory' });
  }
}

/** The relative paths `load` checks, in order: `.registry`, `.tmp`, `.data`, then each queue and its `.checkout`. */
export function spoolDirs<Q extends string>(spoolable: Pick<Spoolable<Q, unknown, unknown>, 'queues' | 'queueDir'>): string[] {
  return [REGISTRY_DIR, TMP_DIR, DATA_DIR, ...spoolable.queues.flatMap((q) => [spoolable.queueDir(q), join(spoolable.queueDir(q), CHECKOUT_DIR)])];
}

/**
 * Steps 1–4 of "Opening":
 * 1. `stat(S)`: missing → `mkdir(S)` then `fsyncDir` of its parent when `createIfMissing` (its
 *    parent must exist: else `missing`), otherwise `missing`; not a directory → `notADirectory`.
 * 2./3. Unless `S/.registry` and `S/.tmp` are both directories, `S` must be empty (`notEmpty`).
 * 4. Each of {@link spoolDirs}: a directory is fine; anything else → `notADirectory`; missing →
 *    `mkdir` then `fsyncDir` of its parent when `createIfMissing`, otherwise `missing`.
 */
export async function openSpoolDir<Q extends string>(
  vfs: Vfs,
  root: string,
  spoolable: Pick<Spoolable<Q, unknown, unknown>, 'queues' | 'queueDir'>,
  options: OpenSpoolDirOptions,
): Promise<void> {
  // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
  const quirks = options.quirks ?? {};
  const ctx = { vfs, quirks };
  const rootStat = await statOrMissing(vfs, root);
  if (rootStat === undefined) {
    if (!options.createIfMissing) {
      throw new SpoolError('missing', `spool directory ${root} does not exist (and createIfMissing is not set)`, { path: root });
    }
    await vfsStep('create spool directory', root, () => vfs.mkdir(root), { ENOENT: 'missing', ENOTDIR: 'notADirectory' });
    // The spool directory's own name must be durable too, or a power loss takes every entry with it.
    await fsyncDir(ctx, dirname(root));
  } else if (rootStat.kind !== 'directory') {
    throw new SpoolError('notADirectory', `spool directory ${root} is not a directory`, { path: root });
  } else {
    const registry = await statOrMissing(vfs, join(root, REGISTRY_DIR));
    const tmp = await statOrMissing(vfs, join(root, TMP_DIR));
    const looksLikeSpool = registry?.kind === 'directory' && tmp?.kind === 'directory';
    if (!looksLikeSpool) {
      // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      if (options.quirks?.skipNotEmptyCheck !== true) {
        const found = await vfsStep('list', root, () => vfs.readdir(root));
        if (found.length > 0) {
          const names = [...found].sort().join(', ');
          throw new SpoolError(
            'notEmpty',
            `spool directory ${root} is not empty and does not look like a spool (found: ${names}); refusing to create a spool in it`,
            { path: root },
          );
        }
      }
    }
  }
  for (const relative of spoolDirs(spoolable)) {
    const path = join(root, relative);
    const found = await statOrMissing(vfs, path);
    if (found === undefined) {
      if (!options.createIfMissing) {
        throw new SpoolError('missing', `spool directory ${root} is incomplete: ${path} does not exist (and createIfMissing is not set)`, { path });
      }
      await vfsStep('create directory', path, () => vfs.mkdir(path));
      await fsyncDir(ctx, dirname(path));
    } else if (found.kind !== 'directory') {
      throw new SpoolError('notADirectory', `${path} must be a directory of spool ${root} but is a ${found.kind}`, { path });
    }
  }
}
