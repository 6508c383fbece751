/**
 * What the function given to `withEntry`, `tryWithEntry`, `iter` and `iterAvailable` decides for
 * a checked-out entry, and how the decision is applied.
 */
import type { CheckedOutEntry } from './checked-out-entry.ts';
import type { DataFile } from './data-file.ts';

/** Put the entry into `queue` with new `metadata`, or remove it. */
export type EntryAction<Q extends string, M> =
  | { readonly kind: 'save'; readonly metadata: M; readonly queue: Q }
  | { readonly kind: 'remove' };

/** The decision for an entry and the value to hand back to the caller. */
export interface EntryOutcome<Q extends string, M, R> {
  readonly action: EntryAction<Q, M>;
  readonly result: R;
}

/** Called with a checked-out entry's metadata and data file; may be async. */
export type EntryHandler<Q extends string, M, D, R> = (
  contents: M,
  dataFile: DataFile<D>,
) => EntryOutcome<Q, M, R> | Promise<EntryOutcome<Q, M, R>>;

/**
 * Calls `f` on a checked-out entry and applies its action (save: `update` then `save(queue)`;
 * remove: `remove()`); returns f's result. If `f` throws, nothing is applied: the entry stays
 * checked out and the error propagates.
 */
export async function applyHandler<Q extends string, M, D, R>(entry: CheckedOutEntry<Q, M, D>, f: EntryHandler<Q, M, D, R>): Promise<R> {
  const { action, result } = await f(entry.contents, entry.dataFile);
  if (action.kind === 'save') {
    entry.update(() => action.metadata);
    await entry.save(action.queue);
  } else {
    await entry.remove();
  }
  return result;
}
