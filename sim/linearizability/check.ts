/**
 * A generic linearizability checker: given a concurrent history and a sequential model, is there
 * one order of the operations that respects real time (an operation that returned before another
 * was called comes first) and in which the model, stepped op by op, gives every recorded output?
 * The search is Wing and Gong's, with Lowe's memoisation of (set of operations already placed,
 * model state), as in Porcupine: call and return events sit in a doubly linked list sorted by
 * position; the search places an operation whose call comes before the earliest outstanding
 * return (the deadline), backtracks when that return is reached with its operation still
 * unplaced, and never explores a (placed set, state) pair twice. Beyond Porcupine: unobserved
 * operations (killed or unanswered) are deferred (tried only after the completed candidates, and
 * first those that let a blocked completed candidate give its output), an unobserved operation
 * that changes nothing is never placed, the memo compares the unobserved operations placed by
 * inclusion (a visit with fewer of them placed covers one with more), and the placed set is keyed
 * by its run of full words plus the few words after it, so a key costs the concurrency, not the
 * history's length. A model may split a history into independent
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
 * The model must be pure: `step` must not change the state it is given (the search backtracks);
 * a step that returns the very state object it was given is taken to have changed nothing.
 * Cost: the search is exponential in the worst case (the problem is NP-complete). Memoisation
 * makes many concurrent operations cheap when their orders meet again in one state; a wrong
 * order of two operations found out only much later (two overlapping writes to one key of a map,
 * read long after) costs the whole search in between, once per such order open at a time: split
 * the history with `partition` wherever the object allows. Every unobserved operation stays a
 * candidate to the end of the history: deferred, it costs a look at each dead end while it is
 * not needed, but a refutation must still try it everywhere, so k of them can multiply a
 * refutation by up to 2^k (and by k! on an order-sensitive object like a queue): expect
 * `unknown` for a refutation of a long whole history with many killed operations.
 * Memory grows with the number of distinct (placed set, state) visits (at most one per step):
 * a short key each, a number per distinct state key, and for each visit the set of unobserved
 * operations placed.
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
/** The first pass over the candidates at a point of the search: completed operations only. */
const PASS_COMPLETED = 0;
/** The second: unobserved (killed or unanswered) operations after which a blocked completed candidate (one whose output does not fit yet) gives its output. */
const PASS_ENABLING = 1;
/** The third: the other unobserved operations (each one spends one of the search's spares). */
const PASS_SPARE = 2;

/**
 * The search on one independent sub-history. Unobserved operations may take effect at any point
 * after their call, or never, so each one stays a candidate to the end: tried eagerly, k of them
 * multiply the search by up to 2^k. So the search is run with a limit on "spare" placements (an
 * unobserved operation placed where it does not directly let a blocked completed operation give its
 * output), first none, then more, doubling: a history whose lost operations are each explained
 * where they are needed is found at once, and a refutation counts only from a run in which the
 * limit never cut anything off.
 */
function checkPart<S, I, O>(ops: ConcurrentHistory<I, O>, model: LinearizabilityModel<S, I, O>, budget: number): PartOutcome {
  const completed = ops.map((op) => isCompleted(op));
  if (!completed.includes(true)) return { kind: 'ok', order: [], steps: 0 };
  const unobserved = completed.filter((c) => !c).length;
  let steps = 0;
  for (let spares = 0; ; spares = spares * 2 + 1) {
    const limit = spares >= unobserved ? Infinity : spares;
    const run = searchPart(ops, completed, model, budget - steps, limit);
    steps += run.outcome.steps;
    if (run.outcome.kind !== 'fail' || !run.limitHit) return { ...run.outcome, steps };
  }
}

/** One run of the search, with at most `spareLimit` spare placements on any path. */
function searchPart<S, I, O>(
  ops: ConcurrentHistory<I, O>,
  completed: readonly boolean[],
  model: LinearizabilityModel<S, I, O>,
  budget: number,
  spareLimit: number,
  captureAt = -1,
): { outcome: PartOutcome; limitHit: boolean } {
  const n = ops.length;
  const totalCompleted = completed.filter((c) => c).length;
  let remaining = totalCompleted;

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

  // The placed set, as two bitsets: completed operations (part of the memo key) and unobserved
  // ones (compared by inclusion, see visitFirst). Completed operations take their bits in call
  // order, so the placed ones are a run of full words (everything called long ago) and a few
  // words after it (the operations in flight): the key names the run by its length.
  const slot = new Int32Array(n);
  let completedSlots = 0;
  let unobservedSlots = 0;
  const byCall = ops.map((_, i) => i).sort((a, b) => (ops[a] as Operation<I, O>).call - (ops[b] as Operation<I, O>).call || a - b);
  for (const i of byCall) slot[i] = completed[i] === true ? completedSlots++ : unobservedSlots++;
  const placedDone = new Uint16Array(Math.ceil(completedSlots / 16));
  const placedOpen = new Uint16Array(Math.ceil(unobservedSlots / 16));
  /** Words of placedDone before this index are full. */
  let fullWords = 0;
  /** Completed operations placed. */
  let donePlaced = 0;
  const doneKey = (): string => {
    let rest = donePlaced - 16 * fullWords;
    let end = fullWords;
    while (rest > 0) rest -= popcount16(placedDone[end++] as number);
    return String.fromCharCode(fullWords & 0xffff, fullWords >>> 16, end - fullWords) + String.fromCharCode.apply(null, placedDone.subarray(fullWords, end) as unknown as number[]);
  };
  const flip = (i: number): void => {
    const k = slot[i] as number;
    const w = k >>> 4;
    if (completed[i] !== true) {
      placedOpen[w] = (placedOpen[w] as number) ^ (1 << (k & 15));
      return;
    }
    const word = (placedDone[w] as number) ^ (1 << (k & 15));
    placedDone[w] = word;
    if ((word & (1 << (k & 15))) !== 0) {
      donePlaced++;
      while (fullWords < placedDone.length && placedDone[fullWords] === 0xffff) fullWords++;
    } else {
      donePlaced--;
      if (w < fullWords) fullWords = w;
    }
  };
  /** True if every bit of `a` is set in `b`. */
  const within = (a: Uint16Array, b: Uint16Array): boolean => {
    for (let w = 0; w < a.length; w++) if (((a[w] as number) & ~(b[w] as number)) !== 0) return false;
    return true;
  };
  // Memo: for each (completed operations placed, state), the visits made, each with its set of
  // unobserved operations placed and its spares spent. A visit is new unless an earlier one had a
  // subset of those operations placed and no more spares spent: an unobserved operation not yet
  // placed can still be placed later, or never, so the earlier visit could reach all this one can.
  interface Visit {
    readonly open: Uint16Array;
    readonly spent: number;
  }
  // Each distinct state key gets a number once (its long string hashed once), so a memo key is
  // the short placed-set key plus two characters. With no unobserved operation a visit is new
  // exactly when its key is.
  const stateIds = new Map<string, number>();
  const stateId = (key: string): string => {
    let id = stateIds.get(key);
    if (id === undefined) {
      id = stateIds.size;
      stateIds.set(key, id);
    }
    return String.fromCharCode(id & 0xffff, id >>> 16);
  };
  const seenPlain = new Set<string>();
  const seen = new Map<string, Visit[]>();
  const visitFirst = (done: string, stateKeyAfter: string, spent: number): boolean => {
    const key = done + stateId(stateKeyAfter);
    if (unobservedSlots === 0) {
      if (seenPlain.has(key)) return false;
      seenPlain.add(key);
      return true;
    }
    const visits = seen.get(key);
    if (visits === undefined) {
      seen.set(key, [{ open: placedOpen.slice(), spent }]);
      return true;
    }
    if (visits.some((v) => v.spent <= spent && within(v.open, placedOpen))) return false;
    const kept = visits.filter((v) => !(spent <= v.spent && within(placedOpen, v.open)));
    kept.push({ open: placedOpen.slice(), spent });
    seen.set(key, kept);
    return true;
  };

  // Three passes over the operations that may come next (before the earliest outstanding
  // return, the deadline): completed ones first (each must be placed before its return anyway),
  // then unobserved ones after which a blocked completed candidate gives its output, then the other
  // unobserved ones, each a spare, within the limit.
  const stackEntry: number[] = [];
  const stackState: S[] = [];
  const stackStateKey: string[] = [];
  const stackPass: number[] = [];
  let state = model.init;
  let stateKey = model.key(state);
  let entry = next[HEAD] as number;
  let pass = PASS_COMPLETED;
  let spent = 0;
  let limitHit = false;
  let steps = 0;
  // The most telling dead end (most completed operations placed, then fewest unobserved ones) is
  // remembered by its number only: copying the search's stack at each new best would cost the
  // stack's depth every time. A refuted search is run again to that dead end, to describe it.
  let deadEnds = 0;
  let bestPlaced = -1;
  let bestDepth = 0;
  let bestOrdinal = -1;
  const budgetOut = (): { outcome: PartOutcome; limitHit: boolean } => ({ outcome: { kind: 'budget', steps }, limitHit });
  /** True if the list holds an unobserved operation's call before entry `end`. */
  const unobservedBefore = (end: number): boolean => {
    for (let k = next[HEAD] as number; k !== end && k !== NIL; k = next[k] as number) if (isCall[k] === 1 && completed[opOf[k] as number] !== true) return true;
    return false;
  };
  /** True if completed operation `i` gives its recorded output in state `s`. */
  const fitsIn = (s: S, i: number): boolean => model.equalOutput(model.step(s, (ops[i] as Operation<I, O>).input).output, (ops[i] as Operation<I, O>).output as O);
  // The completed candidates whose output does not fit in the current state, found when the
  // search turns to unobserved operations at a point (and again on coming back to it).
  let blocked: number[] = [];
  const findBlocked = (): void => {
    blocked = [];
    for (let k = next[HEAD] as number; k !== NIL && isCall[k] === 1; k = next[k] as number) {
      const c = opOf[k] as number;
      if (completed[c] === true && !fitsIn(state, c)) blocked.push(c);
    }
  };
  /** True if, in `after`, some blocked completed candidate gives its output. */
  const unblocks = (after: S): boolean => blocked.some((c) => fitsIn(after, c));

  while (remaining > 0) {
    if (entry !== NIL && isCall[entry] === 1) {
      const i = opOf[entry] as number;
      const done = completed[i] === true;
      if (done !== (pass === PASS_COMPLETED)) {
        entry = next[entry] as number;
        continue;
      }
      if (steps >= budget) return budgetOut();
      steps++;
      const op = ops[i] as Operation<I, O>;
      const result = model.step(state, op.input);
      // An unobserved operation that changes nothing here need not be placed here: leaving it for
      // later (or never) keeps every order that placing it now would allow. (A step that returns
      // the very state it was given, a read say, changed nothing and keeps its key.)
      const fits = done ? model.equalOutput(result.output, op.output as O) : result.state !== state && pass === PASS_ENABLING === unblocks(result.state);
      const nextKey = !fits ? '' : result.state === state ? stateKey : model.key(result.state);
      if (fits && (done || nextKey !== stateKey)) {
        const spare = pass === PASS_SPARE ? 1 : 0;
        flip(i);
        if (visitFirst(doneKey(), nextKey, spent + spare)) {
          stackEntry.push(entry);
          stackState.push(state);
          stackStateKey.push(stateKey);
          stackPass.push(pass);
          state = result.state;
          stateKey = nextKey;
          spent += spare;
          lift(entry);
          if (done) remaining--;
          entry = next[HEAD] as number;
          pass = PASS_COMPLETED;
          continue;
        }
        flip(i);
      }
      entry = next[entry] as number;
    } else if (pass === PASS_COMPLETED && unobservedSlots > 0) {
      // The completed candidates are done: the unobserved ones that unblock one come next.
      findBlocked();
      pass = PASS_ENABLING;
      // With no blocked candidate, no unobserved operation can unblock one: the pass is empty.
      // (`entry` is the deadline's return, where an empty pass ends at once.)
      if (blocked.length > 0) entry = next[HEAD] as number;
    } else if (pass === PASS_ENABLING && spent < spareLimit) {
      // Then the other unobserved ones, each a spare, while the limit allows.
      pass = PASS_SPARE;
      entry = next[HEAD] as number;
    } else {
      // With no spare left, any unobserved candidate is a placement the limit cut off.
      if (pass === PASS_ENABLING && !limitHit) limitHit = unobservedBefore(entry);
      if (steps >= budget) return budgetOut();
      steps++;
      // A return whose operation is still unplaced: dead end. (The end of the list is never
      // reached while a completed operation is unplaced: its return is still in the list.)
      const placed = totalCompleted - remaining;
      const ordinal = deadEnds++;
      if (ordinal === captureAt) {
        const candidates: number[] = [];
        for (let k = next[HEAD] as number; k !== entry && k !== NIL; k = next[k] as number) {
          if (isCall[k] === 1) candidates.push(opOf[k] as number);
        }
        const dead = { prefix: stackEntry.map((k) => opOf[k] as number), state, deadline: opOf[entry] as number, candidates };
        const outcome: PartOutcome = {
          kind: 'fail',
          prefix: dead.prefix.map((j) => (ops[j] as Operation<I, O>).id),
          stuck: dead.candidates.map((j) => (ops[j] as Operation<I, O>).id),
          explanation: explain(ops, model, completed, dead),
          steps,
        };
        return { outcome, limitHit };
      }
      if (placed > bestPlaced || (placed === bestPlaced && stackEntry.length < bestDepth)) {
        bestPlaced = placed;
        bestDepth = stackEntry.length;
        bestOrdinal = ordinal;
      }
      const back = stackEntry.pop();
      if (back === undefined) {
        const described = searchPart(ops, completed, model, Infinity, spareLimit, bestOrdinal).outcome;
        if (described.kind !== 'fail') throw new Error(`checkLinearizable: internal error: the search run again to dead end ${bestOrdinal} ended ${described.kind}`);
        return { outcome: { ...described, steps }, limitHit };
      }
      state = stackState.pop() as S;
      stateKey = stackStateKey.pop() as string;
      pass = stackPass.pop() as number;
      if (pass === PASS_SPARE) spent--;
      const i = opOf[back] as number;
      flip(i);
      unlift(back);
      if (completed[i] === true) remaining++;
      if (pass !== PASS_COMPLETED) findBlocked();
      entry = next[back] as number;
    }
  }
  return { outcome: { kind: 'ok', order: stackEntry.map((k) => (ops[opOf[k] as number] as Operation<I, O>).id), steps }, limitHit };
}

/** The number of bits set in a 16-bit word. */
function popcount16(word: number): number {
  let x = word - ((word >>> 1) & 0x5555);
  x = (x & 0x3333) + ((x >>> 2) & 0x3333);
  x = (x + (x >>> 4)) & 0x0f0f;
  return (x + (x >>> 8)) & 0x1f;
}

/** The deepest dead end, in words. */
function explain<S, I, O>(
  ops: ConcurrentHistory<I, O>,
  model: LinearizabilityModel<S, I, O>,
  completed: readonly boolean[],
  dead: { readonly prefix: number[]; readonly state: S; readonly deadline: number; readonly candidates: number[] },
): string {
  const name = (i: number): string => {
    const op = ops[i] as Operation<I, O>;
    return `#${op.id} (${op.process}: ${show(op.input)}${completed[i] === true ? ` -> ${show(op.output)}` : op.killed === true ? ', killed' : ', no return'})`;
  };
  const prefix = dead.prefix.length === 0 ? 'no operation can be placed first' : `after the longest linearizable prefix found (${dead.prefix.length} operation(s): ${dead.prefix.map((i) => `#${(ops[i] as Operation<I, O>).id}`).join(', ')})`;
  const deadline = `, operation ${name(dead.deadline)} must take effect before it returns at position ${String((ops[dead.deadline] as Operation<I, O>).ret)}`;
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
