/**
 * The model of a single-producer single-consumer ring as the `RingAdapter` contract describes
 * it: the published items not yet consumed, in push order, and how many of them the consumer
 * handle has popped. Advancing consumes the popped ones; reattaching (a restart) forgets the
 * handle's pops, so they come back.
 *
 * After a crash the consumer must find exactly the acknowledged items, except what the operation
 * in flight may or may not have done: a push in flight may have appended its item (last, whole),
 * an advance in flight may have consumed the popped ones.
 */

/** The ring. Never mutated; the functions return a new one. */
export interface FifoState {
  /** Published, not consumed, oldest first. */
  readonly items: readonly Uint8Array[];
  /** How many of `items` the consumer handle has popped. */
  readonly popped: number;
}

/** The empty ring. */
export const EMPTY_FIFO: FifoState = { items: [], popped: 0 };

/** A push that returned `'ok'`. */
export function pushed(state: FifoState, item: Uint8Array): FifoState {
  return { items: [...state.items, item], popped: state.popped };
}

/** A pop: the item it must give (undefined when everything published has been popped). */
export function pop(state: FifoState): { state: FifoState; item: Uint8Array | undefined } {
  const item = state.items[state.popped];
  return item === undefined ? { state, item } : { state: { items: state.items, popped: state.popped + 1 }, item };
}

/** An advance: the popped items are consumed. */
export function advanced(state: FifoState): FifoState {
  return { items: state.items.slice(state.popped), popped: 0 };
}

/** A reattach (restart without a crash): the pops are forgotten. */
export function reattached(state: FifoState): FifoState {
  return { items: state.items, popped: 0 };
}

/** The operation running when the power went. */
export type FifoInFlight = { readonly kind: 'push'; readonly item: Uint8Array } | { readonly kind: 'pop' | 'advance' };

/** Whether two items hold the same bytes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * What is wrong with `drained` (every item a fresh consumer popped after the crash, in order),
 * given the acknowledged state and the operation in flight; empty when it is allowed.
 */
export function judgeDrained(acked: FifoState, inFlight: FifoInFlight | undefined, drained: readonly Uint8Array[]): string[] {
  const candidates: (readonly Uint8Array[])[] = [acked.items];
  if (inFlight?.kind === 'advance' && acked.popped > 0) candidates.push(advanced(acked).items);
  if (inFlight?.kind === 'push') candidates.push([...acked.items, inFlight.item]);
  const matches = (want: readonly Uint8Array[]): boolean => want.length === drained.length && want.every((w, i) => sameBytes(w, drained[i] as Uint8Array));
  if (candidates.some(matches)) return [];
  const problems: string[] = [];
  const want = acked.items;
  const size = (b: Uint8Array | undefined): string => (b === undefined ? 'nothing' : `${b.length} bytes`);
  const first = want.findIndex((w, i) => drained[i] === undefined || !sameBytes(w, drained[i] as Uint8Array));
  if (first >= 0) {
    const skipped = inFlight?.kind === 'advance' ? ` (or, the advance in flight having landed, from item ${acked.popped + 1})` : '';
    problems.push(`item ${first + 1} of the ${want.length} acknowledged (${size(want[first])}) came back as ${size(drained[first])}${drained[first] === undefined ? '' : ' of other bytes'}: expected the acknowledged items in order from the first${skipped}`);
  }
  const extra = drained.length - want.length;
  if (extra > 0) {
    const what = inFlight?.kind === 'push' ? `; only the push in flight (${inFlight.item.length} bytes) may appear, last and whole` : '';
    problems.push(`${extra} item(s) came back that were never published (first: ${size(drained[want.length])})${what}`);
  }
  if (problems.length === 0) problems.push(`the ${drained.length} item(s) that came back are not the ${want.length} acknowledged ones`);
  return problems;
}
