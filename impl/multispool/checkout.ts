/**
 * Checking an entry out (SPEC 1.5): move `S/q/name` into `S/q/.checkout/name` and read it, so
 * that exactly one holder owns the entry.
 */
import { CheckedOutEntry } from './checked-out-entry.ts';
import type { SpoolContext } from './context.ts';
import type { Entry } from './entry.ts';
import { isSpoolError } from './errors.ts';
import { readMetadata, renameTouched } from './steps.ts';

/** What `tryCheckout` gives: the checked-out entry, or `notFound` when another holder won the race. */
export type TryCheckoutResult<Q extends string, M, D> =
  | { readonly kind: 'checkedOut'; readonly entry: CheckedOutEntry<Q, M, D> }
  | { readonly kind: 'notFound' };

/**
 * The original's `checkout'`: renameTouched(`S/q/name`, `S/q/.checkout/name`); ENOENT from any of
 * its steps → `notFound` (if only the queue file was missing, the registry mtime did change).
 * Then the checkout file is read and decoded (`corrupt`: the entry stays checked out).
 */
export async function tryCheckoutEntry<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, entry: Entry<Q>): Promise<TryCheckoutResult<Q, M, D>> {
  const from = ctx.layout.queueFile(entry.queue, entry.name);
  const to = ctx.layout.checkoutFile(entry.queue, entry.name);
  try {
    await renameTouched(ctx, entry.name, from, to);
  } catch (err) {
    if (isSpoolError(err, 'notFound') || isSpoolError(err, 'noSuchEntry')) return { kind: 'notFound' };
    throw err;
  }
  const contents = await readMetadata(ctx, to);
  return { kind: 'checkedOut', entry: new CheckedOutEntry(ctx, entry.queue, entry.name, contents) };
}
