/**
 * Checking an entry out (docs/multispool-protocol.md): move `S/q/name` into `S/q/.checkout/name` and read it, so
 * that exactly one holder owns the entry.
 */
import { CheckedOutEntry } from './checked-out-entry.ts';
import type { SpoolContext } from './context.ts';
import type { Entry } from './entry.ts';
import { readWholeFile, writeWholeFile } from '../io/files.ts';
import { isVfsError } from '../io/vfs.ts';
import { isSpoolError, vfsStep } from './errors.ts';
import { readMetadata, renameTouched } from './steps.ts';

/** What `tryCheckout` gives: the checked-out entry, or `notFound` when another holder won the race. */
export type TryCheckoutResult<Q extends string, M, D> =
  | { readonly kind: 'checkedOut'; readonly entry: CheckedOutEntry<Q, M, D> }
  | { readonly kind: 'notFound' };

/**
 * The original's `checkout'`: renameTouched(`S/q/name`, `S/q/.checkout/name`); ENOENT from any of
 * its steps → `notFound` (if only the queue file was missing, the registry mtime did change).
 * Then the checkout file is read and decoded (`corrupt`: the entry stays checked out).
 * The single place of quirk RC-1 (`checkoutByCopy`): read the queue file, write the checkout
 * file, unlink the queue file (ENOENT ignored): no longer one atomic step, so racing holders can
 * both win.
 */
export async function tryCheckoutEntry<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, entry: Entry<Q>): Promise<TryCheckoutResult<Q, M, D>> {
  const from = ctx.layout.queueFile(entry.queue, entry.name);
  const to = ctx.layout.checkoutFile(entry.queue, entry.name);
  try {
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    if (ctx.quirks.checkoutByCopy === true) await copyThenUnlink(ctx, from, to);
    else await renameTouched(ctx, entry.name, from, to);
  } catch (err) {
    if (isSpoolError(err, 'notFound') || isSpoolError(err, 'noSuchEntry')) return { kind: 'notFound' };
    throw err;
  }
  const contents = await readMetadata(ctx, to);
  return { kind: 'checkedOut', entry: new CheckedOutEntry(ctx, entry.queue, entry.name, contents) };
}

/** Quirk RC-1: checkout as read + write + unlink instead of one rename. */
// Stryker disable all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
async function copyThenUnlink<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, from: string, to: string): Promise<void> {
  const bytes = await vfsStep('read queue file', from, () => readWholeFile(ctx.vfs, from), { ENOENT: 'notFound' });
  await vfsStep('write checkout file', to, () => writeWholeFile(ctx.vfs, to, bytes));
  try {
    await ctx.vfs.unlink(from);
  } catch (err) {
    if (!isVfsError(err, 'ENOENT')) throw err;
  }
}
// Stryker restore all
