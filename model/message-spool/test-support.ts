/**
 * Helpers for the message-spool model's unit tests: envelopes, running a list of operations,
 * and a plain snapshot of a state (Maps as sorted arrays) to check that `step` changes nothing
 * it was given. Not part of the model's API.
 */
import type { ModelState } from './state.ts';
import { step } from './step.ts';
import type { AttemptOutcome, Envelope, IdResult, ModelOp, ModelResult } from './types.ts';

/** An envelope with `recipients` (default one), a body naming `tag`, and optional own retry intervals. */
export function envelope(tag: string, recipients: readonly string[] = [`${tag}@to.example`], retryIntervals?: readonly number[]): Envelope {
  return retryIntervals === undefined
    ? { sender: `${tag}@from.example`, recipients, body: `body of ${tag}` }
    : { sender: `${tag}@from.example`, recipients, body: `body of ${tag}`, retryIntervals };
}

/** The add op of one envelope per id. */
export function addOp(ids: readonly string[], initialStatus: 'sendNow' | 'frozen' = 'sendNow', retryIntervals?: readonly number[]): ModelOp {
  return { kind: 'add', ids, envelopes: ids.map((id) => envelope(id, undefined, retryIntervals)), initialStatus, parentId: 'parent' };
}

/** Applies every op in order; returns the final state. */
export function run(state: ModelState, ...ops: readonly ModelOp[]): ModelState {
  return ops.reduce((s, op) => step(s, op).state, state);
}

/** The resolve op ending the attempt of `id` with presend sendNow and sender answer `send`. */
export function sent(id: string, send: 'done' | 'tryLater' | 'failPermanently'): ModelOp {
  return { kind: 'resolve', id, outcome: { presend: { kind: 'sendNow' }, send } };
}

/** The resolve op ending the attempt of `id` with presend decision `presend`. */
export function presend(id: string, decision: AttemptOutcome['presend']): ModelOp {
  return { kind: 'resolve', id, outcome: { presend: decision } };
}

/** The per-id answers of a result; throws when it is not a perId result. */
export function perId(result: ModelResult): readonly IdResult[] {
  if (result.kind !== 'perId') throw new Error(`expected perId, got ${JSON.stringify(result)}`);
  return result.results;
}

/** A plain, deep copy of a state: Maps become arrays of [key, value] sorted by key. */
export function snapshot(state: ModelState): unknown {
  const sorted = <V>(m: ReadonlyMap<string, V>): [string, V][] => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return structuredClone({ ...state, disk: sorted(state.disk), memory: sorted(state.memory), due: sorted(state.due) });
}
