/**
 * A generic linearizability checker: given a concurrent history and a sequential model, is there
 * one order of the operations that respects real time (an operation that returned before another
 * was called comes first) and in which the model, stepped op by op, gives every recorded output?
 * The search is Wing and Gong's, with Lowe's memoisation of (set of operations already placed,
 * model state), as in Porcupine: call and return events sit in a doubly linked list sorted by
 * position; the search places any operation whose call comes before the earliest outstanding
 * return, backtracks when that return is reached with its operation still unplaced, and never
 * explores the same (placed set, state) pair twice. A model may split a history into independent
 * sub-histories (for example one per key), each checked alone: a history is linearizable exactly
 * when each part is, provided the parts really are independent (that is the model's promise).
 *
 * Fault contract, in plain words: the checker injects nothing. What it can conclude:
 * - `linearizable` means it FOUND an order, returned as a witness: the verdict is certain (for this
 *   model, this history, and the model's `key` being faithful: two states with the same key must
 *   behave the same for every later input).
 * - `notLinearizable` means it explored every order (up to memoisation) and none works: certain
 *   under the same conditions. The longest prefix and the stuck operations are one dead end of
 *   the search (the one with the most completed operations placed, then the fewest killed or
 *   unanswered ones), given to help a person; other dead ends exist, and the stuck operation is
 *   not necessarily the wrong one (an earlier operation may be the culprit).
 * - `unknown` means the step budget ran out first: NOTHING is concluded. It is never a pass.
 * What it cannot conclude: anything about operations outside the history, or about a history
 * whose positions do not reflect real time. Killed operations and operations still in flight at
 * the end (no return) may take effect at any point after their call, with any output (none was
 * seen), or not at all; an operation that "did not happen" is simply left out of the witness.
 * Operations with equal positions are treated as overlapping (calls sort before returns).
 * The model must be pure: `step` must not change the state it is given (the search backtracks).
 * Cost: the search is exponential in the worst case (the problem is NP-complete). Memoisation
 * makes many concurrent operations cheap when their orders meet again in one state, but every
 * killed or unanswered operation stays a candidate until the end of the history, so k of them can
 * multiply the states by up to 2^k (and by k! on an order-sensitive object like a queue): split
 * the history with `partition` wherever the object allows, and expect `unknown` otherwise.
 * Memory grows with the number of distinct (placed set, state) pairs visited (at most one per
 * step), each kept as a string of n/16 characters plus the model's key.
 */
import { isCompleted, type ConcurrentHistory, type Operation } from './history.ts';

/** A sequential model of the object whose concurrent history is checked. */
export interface LinearizabilityModel<S, I, O> {
  /** The state before any operation. */
  readonly init: S;
  /** Applies one operation; must not modify `state` (the search reuses it when backtracking). */
  step(state: S, input: I): { state: S; output: O };
  /** True if the model's output `a` stands for the recorded output `b`. */
  equalOutput(a: O, b: O): boolean;
  /** A string that identifies the state for memoisation: equal keys must mean equal behaviour. */
  key(state: S): string;
  /**
   * Optional: splits the history into independent sub-histories, checked one by one. Every
   * operation must appear in exactly one part (the checker verifies this).
   */
  partition?(ops: ConcurrentHistory<I, O>): readonly ConcurrentHistory<I, O>[];
}

/** Options of {@link checkLinearizable}. */
export interface CheckOptions {
  /**
   * Budget of search steps across all partitions (one step: one attempt to place an operation,
   * or one backtrack). When it runs out the verdict is `unknown`. `Infinity` means no budget.
   */
  readonly maxSteps: number;
}

/** The verdict of {@link checkLinearizable}. */
export type LinearizabilityResult =
  | {
      readonly kind: 'linearizable';
      /** A witness: the ids of the operations that took effect, in linearization order, partition after partition. */
      readonly order: number[];
      /** Search steps spent. */
      readonly stepsUsed: number;
    }
  | {
      readonly kind: 'notLinearizable';
      /** Index (in the model's partition list; 0 without partitioning) of the part that fails. */
      readonly partition: number;
      /** Ids of the longest linearizable prefix the search found (the dead end with the most completed operations placed). */
      readonly longestPrefix: number[];
      /** Ids of the operations that could come next after that prefix, none of which could be placed. */
      readonly stuckOps: number[];
      /** The dead end in words. */
      readonly explanation: string;
      /** Search steps spent. */
      readonly stepsUsed: number;
    }
  | {
      readonly kind: 'unknown';
      /** Search steps spent: the whole budget. */
      readonly stepsUsed: number;
    };

/**
 * Checks that `history` is linearizable with respect to `model`, within `options.maxSteps`
 * search steps. Partitions (if the model has a `partition`) are checked smallest first; the first
 * one found not linearizable decides the verdict; once the budget runs out in a part, the verdict
 * is `unknown` (larger parts not yet checked are not looked at). Throws on a malformed history (duplicate ids,
 * a return before its call, an operation both killed and returned) or a partition that loses or
 * duplicates operations.
 */
export function checkLinearizable<S, I, O>(history: ConcurrentHistory<I, O>, model: LinearizabilityModel<S, I, O>, options: CheckOptions): LinearizabilityResult {
  validateHistory(history);
  if (!(options.maxSteps >= 0)) throw new Error(`checkLinearizable: maxSteps must be >= 0, got ${options.maxSteps}`);
  const parts = model.partition === undefined ? [history] : model.partition(history);
  if (model.partition !== undefined) validatePartition(history, parts);
  const byIndex = parts.map((part, index) => ({ part, index })).sort((a, b) => a.part.length - b.part.length || a.index - b.index);
  const orders: number[][] = new Array<number[]>(parts.length);
  let used = 0;
  for (const { part, index } of byIndex) {
    const outcome = checkPart(part, model, options.maxSteps - used);
    used += outcome.steps;
    if (outcome.kind === 'budget') return { kind: 'unknown', stepsUsed: used };
    if (outcome.kind === 'fail') {
      return { kind: 'notLinearizable', partition: index, longestPrefix: outcome.prefix, stuckOps: outcome.stuck, explanation: outcome.explanation, stepsUsed: used };
    }
    orders[index] = outcome.order;
  }
  return { kind: 'linearizable', order: orders.flat(), stepsUsed: used };
}

type PartOutcome =
  | { kind: 'ok'; order: number[]; steps: number }
  | { kind: 'fail'; prefix: number[]; stuck: number[]; explanation: string; steps: number }
  | { kind: 'budget'; steps: number };

const NIL = -1;

/** The search on one independent sub-history. */
function checkPart<S, I, O>(ops: ConcurrentHistory<I, O>, model: LinearizabilityModel<S, I, O>, budget: number): PartOutcome {
  const n = ops.length;
  const completed = ops.map((op) => isCompleted(op));
  const totalCompleted = completed.filter((c) => c).length;
  let remaining = totalCompleted;
  if (remaining === 0) return { kind: 'ok', order: [], steps: 0 };

  // Events: one call per operation, one return per completed operation, sorted by position
  // (calls before returns at equal positions, then by operation).
  const events: { pos: number; isCall: boolean; op: number }[] = [];
  ops.forEach((op, i) => {
    events.push({ pos: op.call, isCall: true, op: i });
    if (completed[i] === true) events.push({ pos: op.ret as number, isCall: false, op: i });
  });
  events.sort((a, b) => a.pos - b.pos || Number(b.isCall) - Number(a.isCall) || a.op - b.op);
  const count = events.length;
  const HEAD = count;
  const opOf = new Int32Array(count);
  const isCall = new Uint8Array(count);
  const match = new Int32Array(count).fill(NIL);
  const next = new Int32Array(count + 1);
  const prev = new Int32Array(count + 1);
  const callEntry = new Int32Array(n);
  events.forEach((e, k) => {
    opOf[k] = e.op;
    isCall[k] = e.isCall ? 1 : 0;
    if (e.isCall) callEntry[e.op] = k;
  });
  events.forEach((e, k) => {
    if (!e.isCall) match[callEntry[e.op] as number] = k;
  });
  for (let k = 0; k < count; k++) {
    next[k] = k + 1 < count ? k + 1 : NIL;
    prev[k] = k === 0 ? HEAD : k - 1;
  }
  next[HEAD] = count > 0 ? 0 : NIL;
  prev[HEAD] = NIL;

  const unlink = (k: number): void => {
    const p = prev[k] as number;
    const q = next[k] as number;
    next[p] = q;
    if (q !== NIL) prev[q] = p;
  };
  const relink = (k: number): void => {
    const p = prev[k] as number;
    const q = next[k] as number;
    next[p] = k;
    if (q !== NIL) prev[q] = k;
  };
  /** Removes a call and its return from the list. */
  const lift = (c: number): void => {
    unlink(c);
    const r = match[c] as number;
    if (r !== NIL) unlink(r);
  };
  /** Undoes the last `lift` (dancing links: exact reverse order). */
  const unlift = (c: number): void => {
    const r = match[c] as number;
    if (r !== NIL) relink(r);
    relink(c);
  };

  const words = new Uint16Array(Math.ceil(n / 16));
  const bitsKey = (): string => {
    if (words.length <= 4096) return String.fromCharCode.apply(null, words as unknown as number[]);
    let s = '';
    for (let i = 0; i < words.length; i += 4096) s += String.fromCharCode.apply(null, words.subarray(i, i + 4096) as unknown as number[]);
    return s;
  };
  const flip = (i: number): void => {
    words[i >>> 4] = (words[i >>> 4] as number) ^ (1 << (i & 15));
  };

  const seen = new Set<string>();
  const stackEntry: number[] = [];
  const stackState: S[] = [];
  let state = model.init;
  let entry = next[HEAD] as number;
  let steps = 0;
  let best: { prefix: number[]; placed: number; state: S; deadline: number; candidates: number[] } | undefined;

  while (remaining > 0) {
    if (steps >= budget) return { kind: 'budget', steps };
    steps++;
    if (entry !== NIL && isCall[entry] === 1) {
      const i = opOf[entry] as number;
      const op = ops[i] as Operation<I, O>;
      const result = model.step(state, op.input);
      if (completed[i] !== true || model.equalOutput(result.output, op.output as O)) {
        flip(i);
        const key = bitsKey() + model.key(result.state);
        if (!seen.has(key)) {
          seen.add(key);
          stackEntry.push(entry);
          stackState.push(state);
          state = result.state;
          lift(entry);
          if (completed[i] === true) remaining--;
          entry = next[HEAD] as number;
          continue;
        }
        flip(i);
      }
      entry = next[entry] as number;
    } else {
      // A return whose operation is still unplaced (or the end of the list): dead end.
      // The most telling dead end: most completed operations placed, then fewest unobserved ones.
      const placed = totalCompleted - remaining;
      if (best === undefined || placed > best.placed || (placed === best.placed && stackEntry.length < best.prefix.length)) {
        const candidates: number[] = [];
        for (let k = next[HEAD] as number; k !== entry && k !== NIL; k = next[k] as number) {
          if (isCall[k] === 1) candidates.push(opOf[k] as number);
        }
        best = { prefix: stackEntry.map((k) => opOf[k] as number), placed, state, deadline: entry === NIL ? NIL : (opOf[entry] as number), candidates };
      }
      const back = stackEntry.pop();
      if (back === undefined) {
        const dead = best;
        return {
          kind: 'fail',
          prefix: dead.prefix.map((i) => (ops[i] as Operation<I, O>).id),
          stuck: dead.candidates.map((i) => (ops[i] as Operation<I, O>).id),
          explanation: explain(ops, model, completed, dead),
          steps,
        };
      }
      state = stackState.pop() as S;
      const i = opOf[back] as number;
      flip(i);
      unlift(back);
      if (completed[i] === true) remaining++;
      entry = next[back] as number;
    }
  }
  return { kind: 'ok', order: stackEntry.map((k) => (ops[opOf[k] as number] as Operation<I, O>).id), steps };
}

/** The deepest dead end, in words. */
function explain<S, I, O>(
  ops: ConcurrentHistory<I, O>,
  model: LinearizabilityModel<S, I, O>,
  completed: readonly boolean[],
  dead: { prefix: number[]; state: S; deadline: number; candidates: number[] },
): string {
  const name = (i: number): string => {
    const op = ops[i] as Operation<I, O>;
    return `#${op.id} (${op.process}: ${show(op.input)}${completed[i] === true ? ` -> ${show(op.output)}` : op.killed === true ? ', killed' : ', no return'})`;
  };
  const prefix = dead.prefix.length === 0 ? 'no operation can be placed first' : `after the longest linearizable prefix found (${dead.prefix.length} operation(s): ${dead.prefix.map((i) => `#${(ops[i] as Operation<I, O>).id}`).join(', ')})`;
  const deadline = dead.deadline === NIL ? '' : `, operation ${name(dead.deadline)} must take effect before it returns at position ${String((ops[dead.deadline] as Operation<I, O>).ret)}`;
  const reasons = dead.candidates.map((i) => {
    const op = ops[i] as Operation<I, O>;
    if (completed[i] !== true) return `${name(i)} may take effect here, but every continuation after it fails`;
    const output = model.step(dead.state, op.input).output;
    if (model.equalOutput(output, op.output as O)) return `${name(i)} gives the recorded output here, but every continuation after it fails`;
    return `${name(i)}: the model answers ${show(output)} here, the history recorded ${show(op.output)}`;
  });
  return `not linearizable: ${prefix}${deadline}, and none of the operations that may come next can be placed: ${reasons.join('; ')}.`;
}

/** A short rendering of any value, for explanations. */
function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    const s = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    return s === undefined ? String(value) : s;
  } catch {
    return String(value);
  }
}

function validateHistory<I, O>(history: ConcurrentHistory<I, O>): void {
  const ids = new Set<number>();
  for (const op of history) {
    if (ids.has(op.id)) throw new Error(`checkLinearizable: duplicate operation id ${op.id}`);
    ids.add(op.id);
    if (op.ret !== undefined && op.ret < op.call) throw new Error(`checkLinearizable: operation ${op.id} returns (${op.ret}) before its call (${op.call})`);
    if (op.ret !== undefined && op.killed === true) throw new Error(`checkLinearizable: operation ${op.id} is both killed and returned`);
  }
}

function validatePartition<I, O>(history: ConcurrentHistory<I, O>, parts: readonly ConcurrentHistory<I, O>[]): void {
  const ids = new Set(history.map((op) => op.id));
  const placed = new Set<number>();
  for (const part of parts) {
    for (const op of part) {
      if (!ids.has(op.id)) throw new Error(`checkLinearizable: the partition invents operation ${op.id}`);
      if (placed.has(op.id)) throw new Error(`checkLinearizable: the partition puts operation ${op.id} in two parts`);
      placed.add(op.id);
    }
  }
  if (placed.size !== ids.size) throw new Error(`checkLinearizable: the partition loses ${ids.size - placed.size} operation(s)`);
}
