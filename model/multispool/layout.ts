/**
 * Opening a spool (`load` / `create`), as a function of an abstract directory tree: which paths
 * `load` creates, or which error it reports and where. Follows the "Opening" section of
 * `docs/multispool-protocol.md`; the parent of `S` is assumed to exist.
 *
 * Paths are relative to `S` and use `/`; `''` is `S` itself.
 */
import type { ErrorKind } from './result.ts';

/** A node of a directory tree: a directory with named entries, a regular file, or anything else. */
export type Tree =
  | { readonly kind: 'dir'; readonly entries: ReadonlyMap<string, Tree> }
  | { readonly kind: 'file' }
  | { readonly kind: 'other' };

/** What opening does: the directories it created (in creation order), or the first error and its path. */
export type OpenOutcome =
  | { readonly kind: 'ok'; readonly created: readonly string[] }
  | { readonly kind: 'error'; readonly error: ErrorKind; readonly path: string };

/** The directories every spool has besides its queues, in the order they are checked. */
export const SPOOL_DIRS: readonly string[] = ['.registry', '.tmp', '.data'];

/**
 * The paths `load` checks, in order: `.registry`, `.tmp`, `.data`, then for each queue `q` and
 * `q/.checkout`.
 */
export function spoolPaths(queues: readonly string[]): string[] {
  return [...SPOOL_DIRS, ...queues.flatMap((q) => [q, `${q}/.checkout`])];
}

/**
 * `load(S, {createIfMissing})` on the tree `tree` (`undefined`: `S` does not exist):
 * 1. `S` missing → created (`''`) when `createIfMissing`, else `missing`; not a directory →
 *    `notADirectory`.
 * 2. `S` looks like a spool when `.registry` and `.tmp` are both directories; otherwise it must be
 *    empty (`notEmpty`).
 * 3. Each of {@link spoolPaths}: a directory is fine; anything else → `notADirectory`; missing →
 *    created when `createIfMissing`, else `missing`. Extra names in `S` are ignored.
 */
export function openSpool(tree: Tree | undefined, queues: readonly string[], createIfMissing: boolean): OpenOutcome {
  const created: string[] = [];
  if (tree === undefined) {
    if (!createIfMissing) return { kind: 'error', error: 'missing', path: '' };
    created.push('');
  } else if (tree.kind !== 'dir') {
    return { kind: 'error', error: 'notADirectory', path: '' };
  } else if (!looksLikeSpool(tree) && tree.entries.size > 0) {
    return { kind: 'error', error: 'notEmpty', path: '' };
  }
  for (const path of spoolPaths(queues)) {
    // A directory created just now has no entries, and neither has its (absent) original.
    const node = lookup(tree, path);
    if (node === undefined) {
      if (!createIfMissing) return { kind: 'error', error: 'missing', path };
      created.push(path);
    } else if (node.kind !== 'dir') {
      return { kind: 'error', error: 'notADirectory', path };
    }
  }
  return { kind: 'ok', created };
}

/** A directory looks like a spool when its `.registry` and `.tmp` are directories. */
export function looksLikeSpool(tree: Tree): boolean {
  return tree.kind === 'dir' && tree.entries.get('.registry')?.kind === 'dir' && tree.entries.get('.tmp')?.kind === 'dir';
}

/** The node at relative `path` in `tree`, `undefined` if any component is missing. */
function lookup(tree: Tree | undefined, path: string): Tree | undefined {
  let node = tree;
  for (const part of path.split('/')) {
    if (node === undefined || node.kind !== 'dir') return undefined;
    node = node.entries.get(part);
  }
  return node;
}
