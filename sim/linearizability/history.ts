/**
 * Concurrent histories for the linearizability checker: what each process asked for (its input),
 * when it asked (the call), what it was told (its output) and when (the return). Positions are
 * places in one global order of events (a counter that goes up by one per event), not wall time:
 * an operation A precedes B in real time exactly when A's return comes before B's call.
 *
 * Fault contract, in plain words: a history injects nothing; it only records. An operation whose
 * process was killed (kill -9) before it returned is marked `killed`: it may have taken effect or
 * not, and if it did, its output was never seen. An operation that was never answered and not
 * marked killed (the history simply ended first) is treated exactly like a killed one by the
 * checker. The recorder does not require a process to have at most one operation in flight at a
 * time; the checker does not need it either.
 */

/** One operation of a concurrent history. */
export interface Operation<I, O> {
  /** Identifies the operation in verdicts and descriptions; unique within a history. */
  readonly id: number;
  /** The process (or thread) that issued the operation: only used to describe the history. */
  readonly process: string;
  /** What was asked. */
  readonly input: I;
  /** What was answered; meaningless (and ignored) while `ret` is undefined. */
  readonly output: O | undefined;
  /** Position of the call in the global event order. */
  readonly call: number;
  /** Position of the return in the global event order; undefined if the operation never returned. */
  readonly ret: number | undefined;
  /** True if the process died while the operation was in flight: it may or may not have taken effect. */
  readonly killed?: boolean;
}

/** A concurrent history: operations in any order (the checker sorts by position). */
export type ConcurrentHistory<I, O> = readonly Operation<I, O>[];

/** True if the operation returned (its output must be explained by the model). */
export function isCompleted<I, O>(op: Operation<I, O>): boolean {
  return op.ret !== undefined && op.killed !== true;
}

/** Records a concurrent history as it happens; see {@link historyRecorder}. */
export interface HistoryRecorder<I, O> {
  /** Records a call by `process` and returns the new operation's id (0, 1, 2... in call order). */
  invoke(process: string, input: I): number;
  /** Records the return of operation `id` with its output; throws if it already returned or was killed. */
  respond(id: number, output: O): void;
  /** Marks every operation of `process` still in flight as killed (it may or may not have taken effect). */
  kill(process: string): void;
  /** A snapshot of the history so far (copies: later events do not change it). */
  operations(): readonly Operation<I, O>[];
}

interface MutableOperation<I, O> {
  id: number;
  process: string;
  input: I;
  output: O | undefined;
  call: number;
  ret: number | undefined;
  killed?: boolean;
}

/**
 * Creates a recorder. Every `invoke` and `respond` takes the next position of the global event
 * order; `kill` takes none (a killed operation has no return).
 */
export function historyRecorder<I, O>(): HistoryRecorder<I, O> {
  const ops: MutableOperation<I, O>[] = [];
  let clock = 0;
  const find = (id: number): MutableOperation<I, O> => {
    const op = ops[id];
    if (op === undefined) throw new Error(`historyRecorder: no operation ${id}`);
    return op;
  };
  return {
    invoke(process, input) {
      const id = ops.length;
      ops.push({ id, process, input, output: undefined, call: clock++, ret: undefined });
      return id;
    },
    respond(id, output) {
      const op = find(id);
      if (op.killed === true) throw new Error(`historyRecorder: operation ${id} of ${op.process} was killed and cannot return`);
      if (op.ret !== undefined) throw new Error(`historyRecorder: operation ${id} of ${op.process} already returned`);
      op.output = output;
      op.ret = clock++;
    },
    kill(process) {
      for (const op of ops) {
        if (op.process === process && op.ret === undefined) op.killed = true;
      }
    },
    operations() {
      return ops.map((op) => ({ ...op }));
    },
  };
}
