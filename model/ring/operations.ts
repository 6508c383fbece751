/**
 * The operations of the block-ring model, as plain data, and `step(state, op)`, which applies one
 * of them following docs/ring-protocol.md call by call.
 *
 * Conventions of this model:
 * - No I/O fails and the control sectors are always valid, so the model never returns `corrupt`
 *   nor `io`; reads and flushes have no visible effect and are not modelled.
 * - An unsuccessful result can still come with a changed state exactly where the protocol has
 *   already written something: the producer's suspend check writes `A := S` whenever they
 *   differ, even if the call then returns `suspended`, `retry` or `tooLarge`.
 * - Generator bugs throw an Error instead of returning a result: a call on a handle that was never
 *   attached, attaching a second handle while one is attached (one producer, one consumer), and a
 *   consumer `pop`, `fold` or `advance` at a position between `C` and `P` that is not an item
 *   boundary (the implementation cannot tell boundaries apart, so its behaviour there is
 *   unspecified; generators pick positions from `itemBoundaries`).
 * - Handles' own copies of `P`, `C`, `S`, `A` always equal the ring's: each is written by one end
 *   only, and there is one handle per end.
 */
import { itemBoundaries, type HandleStatus, type RingModelState, type StreamItem } from './state.ts';
import {
  geometryProblem,
  itemSize,
  MAX_ITEM_LENGTH,
  RETRY,
  ringError,
  ringOk,
  SUSPENDED,
  type Popped,
  type RingResult,
  type RingState,
} from './types.ts';

/** One call on the ring. The producer ops act on the producer handle, the consumer ops on the consumer handle. */
export type Op =
  | { readonly kind: 'create' }
  | { readonly kind: 'producerAttach' }
  | { readonly kind: 'push'; readonly item: Uint8Array }
  | { readonly kind: 'producerAdvance'; readonly position: number }
  | { readonly kind: 'producerState' }
  | { readonly kind: 'producerDetach' }
  | { readonly kind: 'consumerAttach' }
  | { readonly kind: 'pop'; readonly from?: number }
  | { readonly kind: 'fold'; readonly from?: number }
  | { readonly kind: 'consumerAdvance'; readonly position: number }
  | { readonly kind: 'suspend' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'consumerState' }
  | { readonly kind: 'consumerDetach' };

/** The kinds of operation. */
export type OpKind = Op['kind'];

/** The operation of one kind. */
export type OpOf<K extends OpKind> = Extract<Op, { readonly kind: K }>;

/** What `fold` returns when the implementation's fold is called with `f` = collect the items. */
export interface Folded {
  /** The position after the last item folded (`from` if none). */
  readonly position: number;
  /** The items popped, in stream order. */
  readonly items: readonly Uint8Array[];
}

/** The value of a successful operation, per kind. */
export interface OpValues {
  create: undefined;
  /** The implementation returns the handle; the model has nothing to compare with it. */
  producerAttach: undefined;
  /** The position after the pushed item, to pass to `producerAdvance`. */
  push: number;
  producerAdvance: undefined;
  producerState: RingState;
  /** The implementation's detach returns nothing and never fails; the model says `ok`. */
  producerDetach: undefined;
  /** The implementation returns the handle; the model has nothing to compare with it. */
  consumerAttach: undefined;
  pop: Popped;
  fold: Folded;
  consumerAdvance: undefined;
  suspend: undefined;
  resume: undefined;
  consumerState: RingState;
  /** The implementation's detach returns nothing and never fails; the model says `ok`. */
  consumerDetach: undefined;
}

/** The state after an operation, and what the operation returned. */
export interface StepOutcome<V> {
  readonly state: RingModelState;
  readonly result: RingResult<V>;
}

/** Applies `op` to `state`. The result's value type follows the op's kind. */
export function step<O extends Op>(state: RingModelState, op: O): StepOutcome<OpValues[O['kind']]> {
  return dispatch(state, op as Op) as StepOutcome<OpValues[O['kind']]>;
}

function dispatch(state: RingModelState, op: Op): StepOutcome<unknown> {
  switch (op.kind) {
    case 'create':
      return create(state);
    case 'producerAttach':
      return producerAttach(state);
    case 'push':
      return push(state, op.item);
    case 'producerAdvance':
      return producerAdvance(state, op.position);
    case 'producerState':
      return producerState(state);
    case 'producerDetach':
      return producerDetach(state);
    case 'consumerAttach':
      return consumerAttach(state);
    case 'pop':
      return { state, result: pop(state, op.from ?? state.C) };
    case 'fold':
      return { state, result: fold(state, op.from ?? state.C) };
    case 'consumerAdvance':
      return consumerAdvance(state, op.position);
    case 'suspend':
      return request(state, 'suspend', true);
    case 'resume':
      return request(state, 'resume', false);
    case 'consumerState':
      return consumerState(state);
    case 'consumerDetach':
      return consumerDetach(state);
  }
}

const unchanged = <V>(state: RingModelState, result: RingResult<V>): StepOutcome<V> => ({ state, result });

/** create: geometry; nothing if the signature is there; else both control sectors (P = C = 0, flags false), then the signature. */
function create(state: RingModelState): StepOutcome<undefined> {
  const bad = geometryProblem(state.geometry);
  if (bad !== undefined) return unchanged(state, ringError('geometry', bad));
  if (state.created) return unchanged(state, ringOk(undefined));
  return { state: { ...state, created: true, P: 0, C: 0, S: false, A: false, items: [] }, result: ringOk(undefined) };
}

/** The check both attaches start with: geometry, then the signature. */
function attachProblem(state: RingModelState): RingResult<never> | undefined {
  const bad = geometryProblem(state.geometry);
  if (bad !== undefined) return ringError('geometry', bad);
  if (!state.created) return ringError('notInitialised', 'no signature');
  return undefined;
}

/**
 * The producer's suspend check: read sector 2; if `S` differs from `A`, write sector 1 with the
 * same `P` and `A := S`. Suspended iff `S`.
 */
function suspendCheck(state: RingModelState): { readonly state: RingModelState; readonly suspended: boolean } {
  return { state: state.A === state.S ? state : { ...state, A: state.S }, suspended: state.S };
}

/** Throws unless a handle of `status` was attached once; returns `detached` for a detached handle. */
function handleProblem(status: HandleStatus, end: string, call: string): RingResult<never> | undefined {
  if (status === 'absent') throw new Error(`ring model: ${end} ${call} on a handle that was never attached (generator bug)`);
  return status === 'detached' ? ringError('detached', `${end} ${call} after detach`) : undefined;
}

/**
 * producer attach: geometry, signature, then the suspend check; suspended → `suspended` (the
 * ack is written but no handle is made); else a handle with nothing pending.
 */
function producerAttach(state: RingModelState): StepOutcome<undefined> {
  if (state.producer.status === 'attached') throw new Error('ring model: producer attach while a producer is attached (generator bug)');
  const problem = attachProblem(state);
  if (problem !== undefined) return unchanged(state, problem);
  const checked = suspendCheck(state);
  if (checked.suspended) return unchanged(checked.state, SUSPENDED);
  return { state: { ...checked.state, producer: { status: 'attached', pending: undefined } }, result: ringOk(undefined) };
}

/**
 * push: detached; `L >= 2^31` → `tooLarge`; suspend check (suspended → `suspended`);
 * `needed > T` → `tooLarge`; `T - (P - C) < needed` → `retry`; else write the item at `P`
 * (replacing an unpublished one) and return `P + needed`, which becomes `pending`.
 */
function push(state: RingModelState, item: Uint8Array): StepOutcome<number> {
  const problem = handleProblem(state.producer.status, 'producer', 'push');
  if (problem !== undefined) return unchanged(state, problem);
  if (item.length > MAX_ITEM_LENGTH) return unchanged(state, ringError('tooLarge', `length ${item.length} >= 2^31`));
  const checked = suspendCheck(state);
  const s = checked.state;
  if (checked.suspended) return unchanged(s, SUSPENDED);
  const needed = itemSize(item.length);
  if (needed > s.T) return unchanged(s, ringError('tooLarge', `needs ${needed} > T = ${s.T}`));
  if (s.T - (s.P - s.C) < needed) return unchanged(s, RETRY);
  const written: StreamItem = { at: s.P, item: item.slice() };
  const pending = s.P + needed;
  const items = [...s.items.filter((i) => i.at < s.P), written];
  return { state: { ...s, items, producer: { status: 'attached', pending } }, result: ringOk(pending) };
}

/**
 * producer advance: detached; `position === P` → `ok`, nothing written (no suspend check);
 * `position !== pending` → `badPosition`; suspend check (suspended → `suspended`, nothing
 * published, `pending` kept); else `P := position`, nothing pending.
 */
function producerAdvance(state: RingModelState, position: number): StepOutcome<undefined> {
  const problem = handleProblem(state.producer.status, 'producer', 'advance');
  if (problem !== undefined) return unchanged(state, problem);
  if (position === state.P) return unchanged(state, ringOk(undefined));
  if (position !== state.producer.pending) {
    return unchanged(state, ringError('badPosition', `advance to ${position}: pending ${state.producer.pending ?? 'none'}, P = ${state.P}`));
  }
  const checked = suspendCheck(state);
  if (checked.suspended) return unchanged(checked.state, SUSPENDED);
  return { state: { ...checked.state, P: position, producer: { status: 'attached', pending: undefined } }, result: ringOk(undefined) };
}

/** producer state: detached; suspend check; `suspended` iff `S`. */
function producerState(state: RingModelState): StepOutcome<RingState> {
  const problem = handleProblem(state.producer.status, 'producer', 'state');
  if (problem !== undefined) return unchanged(state, problem);
  const checked = suspendCheck(state);
  return unchanged(checked.state, ringOk(checked.suspended ? 'suspended' : 'running'));
}

/** producer detach: the handle refuses every later call; detaching twice is harmless. The ring is untouched. */
function producerDetach(state: RingModelState): StepOutcome<undefined> {
  handleProblem(state.producer.status, 'producer', 'detach');
  return { state: { ...state, producer: { status: 'detached', pending: undefined } }, result: ringOk(undefined) };
}

/** consumer attach: geometry, signature; a handle. */
function consumerAttach(state: RingModelState): StepOutcome<undefined> {
  if (state.consumer === 'attached') throw new Error('ring model: consumer attach while a consumer is attached (generator bug)');
  const problem = attachProblem(state);
  if (problem !== undefined) return unchanged(state, problem);
  return { state: { ...state, consumer: 'attached' }, result: ringOk(undefined) };
}

/** Whether `position` is a multiple of 4 with `C <= position <= P` (the protocol's check). */
function allowed(state: RingModelState, position: number): boolean {
  return Number.isInteger(position) && position % 4 === 0 && state.C <= position && position <= state.P;
}

/** Throws when an allowed `position` is not an item boundary (unspecified for the implementation). */
function requireBoundary(state: RingModelState, call: string, position: number): void {
  if (!itemBoundaries(state).includes(position)) {
    throw new Error(
      `ring model: consumer ${call} at ${position}, which is not an item boundary (${itemBoundaries(state).join(', ')}): unspecified, use itemBoundaries (generator bug)`,
    );
  }
}

/**
 * pop: detached; `from` must be a multiple of 4 with `C <= from <= P`, else `badPosition`;
 * `from === P` → `retry`; else the item at `from` and the position after it. Changes nothing.
 */
function pop(state: RingModelState, from: number): RingResult<Popped> {
  const problem = handleProblem(state.consumer, 'consumer', 'pop');
  if (problem !== undefined) return problem;
  if (!allowed(state, from)) return ringError('badPosition', `pop at ${from}: C = ${state.C}, P = ${state.P}`);
  if (from === state.P) return RETRY;
  requireBoundary(state, 'pop', from);
  const found = state.items.find((i) => i.at === from);
  if (found === undefined) throw new Error(`ring model: no item at boundary ${from} (model bug)`);
  return ringOk({ next: from + itemSize(found.item.length), item: found.item.slice() });
}

/** fold: pops from `from` until `retry`; `{ position, items }`; any other outcome of a pop is returned as is. */
function fold(state: RingModelState, from: number): RingResult<Folded> {
  let position = from;
  const items: Uint8Array[] = [];
  for (;;) {
    const popped = pop(state, position);
    if (popped.kind === 'retry') return ringOk({ position, items });
    if (popped.kind !== 'ok') return popped;
    items.push(popped.value.item);
    position = popped.value.next;
  }
}

/**
 * consumer advance: detached; `position` must be a multiple of 4 with `C <= position <= P`, else
 * `badPosition`; `C := position` (the items before it are gone from the stream).
 */
function consumerAdvance(state: RingModelState, position: number): StepOutcome<undefined> {
  const problem = handleProblem(state.consumer, 'consumer', 'advance');
  if (problem !== undefined) return unchanged(state, problem);
  if (!allowed(state, position)) return unchanged(state, ringError('badPosition', `advance to ${position}: C = ${state.C}, P = ${state.P}`));
  requireBoundary(state, 'advance', position);
  return { state: { ...state, C: position, items: state.items.filter((i) => i.at >= position) }, result: ringOk(undefined) };
}

/** suspend / resume: detached; `A !== S` → `retry` (the last request is not acknowledged); else `S := flag`. */
function request(state: RingModelState, call: string, flag: boolean): StepOutcome<undefined> {
  const problem = handleProblem(state.consumer, 'consumer', call);
  if (problem !== undefined) return unchanged(state, problem);
  if (state.A !== state.S) return unchanged(state, RETRY);
  return { state: { ...state, S: flag }, result: ringOk(undefined) };
}

/** consumer state: detached; `suspended` iff the producer has acknowledged (`A`). */
function consumerState(state: RingModelState): StepOutcome<RingState> {
  const problem = handleProblem(state.consumer, 'consumer', 'state');
  if (problem !== undefined) return unchanged(state, problem);
  return unchanged(state, ringOk(state.A ? 'suspended' : 'running'));
}

/** consumer detach: the handle refuses every later call; detaching twice is harmless. */
function consumerDetach(state: RingModelState): StepOutcome<undefined> {
  handleProblem(state.consumer, 'consumer', 'detach');
  return { state: { ...state, consumer: 'detached' }, result: ringOk(undefined) };
}
