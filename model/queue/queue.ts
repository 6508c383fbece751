/**
 * The model of a multispool-like queue as the `QueueAdapter` contract describes it: a set of
 * items, each with its data, each either available or checked out. Ids are chosen by the
 * implementation, so an enqueue takes the id it was given as input; the model only says whether
 * that id was fresh.
 *
 * An id must be unique among the items stored at one time; the id of a removed item may be
 * handed out again (our multispool does, as the original does: a name is free again once its
 * entry is gone). A reopen is the recovery after a restart: every checked-out item becomes
 * available again.
 */

/** One stored item. */
export interface QueueItem {
  readonly data: string;
  readonly checkedOut: boolean;
}

/** The queue: every stored item by id. Never mutated; `step` returns a new one. */
export interface QueueState {
  readonly items: ReadonlyMap<string, QueueItem>;
  /** Every id ever handed out by an enqueue (removed ones too). */
  readonly everIssued: ReadonlySet<string>;
}

/** An operation on the queue, as the model sees it. */
export type QueueOp =
  | { readonly kind: 'enqueue'; readonly id: string; readonly data: string }
  | { readonly kind: 'list' }
  | { readonly kind: 'checkout'; readonly id: string }
  | { readonly kind: 'release'; readonly id: string }
  | { readonly kind: 'remove'; readonly id: string }
  | { readonly kind: 'reopen' };

/** What an operation answers in the model. */
export type QueueResult =
  | { readonly kind: 'ok' }
  /** enqueue: the implementation gave the id of an item still stored. */
  | { readonly kind: 'idInUse' }
  /** list: the available ids, in code-unit order. */
  | { readonly kind: 'ids'; readonly ids: readonly string[] }
  /** checkout: the item's data, or undefined when it is not available. */
  | { readonly kind: 'data'; readonly data: string | undefined }
  /** release, remove: the id is not checked out (the caller broke the contract). */
  | { readonly kind: 'notCheckedOut' };

/** The empty queue. */
export const EMPTY_QUEUE: QueueState = { items: new Map(), everIssued: new Set() };

/** The ids of the available items, in code-unit order. */
export function availableIds(state: QueueState): string[] {
  return [...state.items].filter(([, item]) => !item.checkedOut).map(([id]) => id).sort();
}

/** The ids of the checked-out items, in code-unit order. */
export function checkedOutIds(state: QueueState): string[] {
  return [...state.items].filter(([, item]) => item.checkedOut).map(([id]) => id).sort();
}

/** Applies `op` to `state`. */
export function step(state: QueueState, op: QueueOp): { state: QueueState; result: QueueResult } {
  const items = new Map(state.items);
  switch (op.kind) {
    case 'enqueue': {
      if (state.items.has(op.id)) return { state, result: { kind: 'idInUse' } };
      items.set(op.id, { data: op.data, checkedOut: false });
      return { state: { items, everIssued: new Set([...state.everIssued, op.id]) }, result: { kind: 'ok' } };
    }
    case 'list':
      return { state, result: { kind: 'ids', ids: availableIds(state) } };
    case 'checkout': {
      const item = state.items.get(op.id);
      if (item === undefined || item.checkedOut) return { state, result: { kind: 'data', data: undefined } };
      items.set(op.id, { data: item.data, checkedOut: true });
      return { state: { ...state, items }, result: { kind: 'data', data: item.data } };
    }
    case 'release':
    case 'remove': {
      const item = state.items.get(op.id);
      if (item === undefined || !item.checkedOut) return { state, result: { kind: 'notCheckedOut' } };
      if (op.kind === 'release') items.set(op.id, { data: item.data, checkedOut: false });
      else items.delete(op.id);
      return { state: { ...state, items }, result: { kind: 'ok' } };
    }
    case 'reopen': {
      for (const [id, item] of state.items) if (item.checkedOut) items.set(id, { data: item.data, checkedOut: false });
      return { state: { ...state, items }, result: { kind: 'ok' } };
    }
  }
}
