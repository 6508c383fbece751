/**
 * The linearizability checker on a register, a FIFO queue and a per-key register map: classic
 * hand-written histories both ways, killed and unanswered operations, partitioning, the step
 * budget, and properties over histories generated from a real sequential queue.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLinearizable, type LinearizabilityModel, type LinearizabilityResult } from './check.ts';
import { describeHistory, describeResult } from './describe.ts';
import { historyRecorder, type ConcurrentHistory, type Operation } from './history.ts';

// ---------------------------------------------------------------------------------------------
// Models

type RegIn = { readonly kind: 'write'; readonly value: number } | { readonly kind: 'read' };
type RegOut = number | 'ok';

const register: LinearizabilityModel<number, RegIn, RegOut> = {
  init: 0,
  step: (state, input) => (input.kind === 'write' ? { state: input.value, output: 'ok' } : { state, output: state }),
  equalOutput: (a, b) => a === b,
  key: (state) => String(state),
};
const w = (value: number): RegIn => ({ kind: 'write', value });
const r: RegIn = { kind: 'read' };
const showReg = (i: RegIn): string => (i.kind === 'write' ? `write ${i.value}` : 'read');

type QIn = { readonly kind: 'enqueue'; readonly value: number } | { readonly kind: 'dequeue' };
type QOut = number | 'ok' | 'empty';

const queue: LinearizabilityModel<readonly number[], QIn, QOut> = {
  init: [],
  step: (state, input) => {
    if (input.kind === 'enqueue') return { state: [...state, input.value], output: 'ok' };
    const head = state[0];
    return head === undefined ? { state, output: 'empty' } : { state: state.slice(1), output: head };
  },
  equalOutput: (a, b) => a === b,
  key: (state) => state.join(','),
};
const enq = (value: number): QIn => ({ kind: 'enqueue', value });
const deq: QIn = { kind: 'dequeue' };

interface KvIn {
  readonly key: string;
  readonly op: RegIn;
}
type KvState = ReadonlyMap<string, number>;

/** A map of registers, one per key (missing keys read 0); checked whole unless `partitioned`. */
function kvModel(partitioned: boolean): LinearizabilityModel<KvState, KvIn, RegOut> {
  return {
    init: new Map(),
    step: (state, input) => {
      if (input.op.kind === 'read') return { state, output: state.get(input.key) ?? 0 };
      const nextState = new Map(state);
      nextState.set(input.key, input.op.value);
      return { state: nextState, output: 'ok' };
    },
    equalOutput: (a, b) => a === b,
    key: (state) => [...state.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join(';'),
    ...(partitioned
      ? {
          partition: (ops: ConcurrentHistory<KvIn, RegOut>) => {
            const parts = new Map<string, Operation<KvIn, RegOut>[]>();
            for (const op of ops) {
              const list = parts.get(op.input.key);
              if (list === undefined) parts.set(op.input.key, [op]);
              else list.push(op);
            }
            return [...parts.keys()].sort().map((k) => parts.get(k) as Operation<KvIn, RegOut>[]);
          },
        }
      : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Hand-written histories

let nextId = 0;
/** A completed operation. */
function done<I, O>(process: string, input: I, output: O, call: number, ret: number): Operation<I, O> {
  return { id: nextId++, process, input, output, call, ret };
}
/** A killed operation (no return). */
function killed<I, O>(process: string, input: I, call: number): Operation<I, O> {
  return { id: nextId++, process, input, output: undefined, call, ret: undefined, killed: true };
}
/** An operation still in flight when the history ended (not killed, no return). */
function pending<I, O>(process: string, input: I, call: number): Operation<I, O> {
  return { id: nextId++, process, input, output: undefined, call, ret: undefined };
}

/** Builders of operations with the types of one model. */
function builders<I, O>() {
  return { done: done<I, O>, killed: killed<I, O>, pending: pending<I, O> };
}
const R = builders<RegIn, RegOut>();
const Q = builders<QIn, QOut>();
const K = builders<KvIn, RegOut>();

const BIG = { maxSteps: 1_000_000 };
const verdict = (res: LinearizabilityResult): string => res.kind;

/** Checks that a witness order is real: respects real time and reproduces every completed output. */
function assertWitness<S, I, O>(history: ConcurrentHistory<I, O>, model: LinearizabilityModel<S, I, O>, res: LinearizabilityResult): void {
  if (res.kind !== 'linearizable') throw new Error(`expected linearizable, got ${res.kind}`);
  const byId = new Map(history.map((op) => [op.id, op]));
  expect(new Set(res.order).size).toBe(res.order.length);
  for (const op of history) if (op.ret !== undefined && op.killed !== true) expect(res.order).toContain(op.id);
  if (model.partition !== undefined) return; // order is per partition: real time holds only within each part
  let state = model.init;
  res.order.forEach((id, k) => {
    const op = byId.get(id) as Operation<I, O>;
    const out = model.step(state, op.input);
    state = out.state;
    if (op.ret !== undefined && op.killed !== true) expect(model.equalOutput(out.output, op.output as O)).toBe(true);
    // nothing placed later returned before this one was called
    for (const later of res.order.slice(k + 1)) {
      const l = byId.get(later) as Operation<I, O>;
      if (l.ret !== undefined) expect(l.ret).toBeGreaterThanOrEqual(op.call);
    }
  });
}

describe('register', () => {
  it('a sequential history is linearizable, with the obvious witness', () => {
    const h = [R.done('a', w(1), 'ok', 0, 1), R.done('b', r, 1, 2, 3), R.done('a', w(2), 'ok', 4, 5), R.done('b', r, 2, 6, 7)];
    const res = checkLinearizable(h, register, BIG);
    assertWitness(h, register, res);
    expect(res.kind === 'linearizable' && res.order).toEqual(h.map((o) => o.id));
  });

  it('a read overlapping a write may see the old or the new value', () => {
    for (const seen of [0, 1]) {
      const h = [R.done('a', w(1), 'ok', 0, 3), R.done('b', r, seen, 1, 2)];
      assertWitness(h, register, checkLinearizable(h, register, BIG));
    }
    const bad = [R.done('a', w(1), 'ok', 0, 3), R.done('b', r, 7, 1, 2)];
    expect(checkLinearizable(bad, register, BIG).kind).toBe('notLinearizable');
  });

  it('two concurrent writes, then two reads that see them in an impossible order', () => {
    const h = [R.done('a', w(1), 'ok', 0, 3), R.done('b', w(2), 'ok', 1, 2), R.done('c', r, 1, 4, 5), R.done('c', r, 2, 6, 7)];
    const res = checkLinearizable(h, register, BIG);
    expect(res.kind).toBe('notLinearizable');
    if (res.kind !== 'notLinearizable') return;
    expect(res.partition).toBe(0);
    // w1 w2? then read 1 fails; w2 w1 read 1 works, then read 2 is stuck: prefix of 3.
    expect(res.longestPrefix).toEqual([h[1]?.id, h[0]?.id, h[2]?.id]);
    expect(res.stuckOps).toEqual([h[3]?.id]);
    expect(res.explanation).toContain('the model answers 1 here, the history recorded 2');
    // the same writes with reads seeing a possible order: linearizable
    const ok = [h[0], h[1], R.done('c', r, 2, 4, 5), R.done('c', r, 2, 6, 7)] as Operation<RegIn, RegOut>[];
    assertWitness(ok, register, checkLinearizable(ok, register, BIG));
  });

  it('a stale read after a completed write is caught', () => {
    const h = [R.done('a', w(1), 'ok', 0, 1), R.done('a', w(2), 'ok', 2, 3), R.done('b', r, 1, 4, 5)];
    const res = checkLinearizable(h, register, BIG);
    expect(res.kind).toBe('notLinearizable');
    if (res.kind === 'notLinearizable') {
      expect(res.longestPrefix).toEqual([h[0]?.id, h[1]?.id]);
      expect(res.stuckOps).toEqual([h[2]?.id]);
    }
  });

  it('a killed write may have taken effect, in between two reads, but never be undone', () => {
    const tookEffect = [R.killed('a', w(1), 0), R.done('b', r, 0, 1, 2), R.done('b', r, 1, 3, 4)];
    assertWitness(tookEffect, register, checkLinearizable(tookEffect, register, BIG));
    const didNot = [R.killed('a', w(1), 0), R.done('b', r, 0, 1, 2), R.done('b', r, 0, 3, 4)];
    const res = checkLinearizable(didNot, register, BIG);
    assertWitness(didNot, register, res);
    expect(res.kind === 'linearizable' && res.order).not.toContain(didNot[0]?.id);
    const undone = [R.killed('a', w(1), 0), R.done('b', r, 1, 1, 2), R.done('b', r, 0, 3, 4)];
    expect(checkLinearizable(undone, register, BIG).kind).toBe('notLinearizable');
  });

  it('the reported dead end places as many completed operations and as few killed ones as possible', () => {
    const h = [R.done('a', w(1), 'ok', 0, 3), R.done('b', w(2), 'ok', 1, 2), R.done('c', r, 1, 4, 5), R.done('c', r, 2, 6, 7), R.killed('d', w(3), 6)];
    const res = checkLinearizable(h, register, BIG);
    expect(res.kind).toBe('notLinearizable');
    if (res.kind !== 'notLinearizable') return;
    expect(res.longestPrefix).toEqual([h[1]?.id, h[0]?.id, h[2]?.id]);
    expect(res.stuckOps).toEqual([h[3]?.id, h[4]?.id]);
    expect(res.explanation).toContain('the model answers 1 here, the history recorded 2');
    expect(res.explanation).toContain('may take effect here, but every continuation after it fails');
  });

  it('a killed write cannot take effect before its call', () => {
    const h = [R.done('b', r, 1, 0, 1), R.killed('a', w(1), 2)];
    expect(checkLinearizable(h, register, BIG).kind).toBe('notLinearizable');
  });

  it('an unanswered operation (not killed) is treated like a killed one', () => {
    const h = [R.pending('a', w(5), 0), R.done('b', r, 5, 1, 2), R.done('b', r, 5, 3, 4)];
    assertWitness(h, register, checkLinearizable(h, register, BIG));
    const h2 = [R.pending('a', w(5), 0), R.done('b', r, 0, 1, 2)];
    assertWitness(h2, register, checkLinearizable(h2, register, BIG));
    const bad = [R.pending('a', w(5), 0), R.done('b', r, 6, 1, 2)];
    expect(checkLinearizable(bad, register, BIG).kind).toBe('notLinearizable');
  });

  it('operations whose positions touch are treated as overlapping', () => {
    const h = [R.done('a', w(1), 'ok', 0, 1), R.done('b', r, 0, 1, 2)];
    assertWitness(h, register, checkLinearizable(h, register, BIG));
    const apart = [R.done('a', w(1), 'ok', 0, 1), R.done('b', r, 0, 2, 3)];
    expect(checkLinearizable(apart, register, BIG).kind).toBe('notLinearizable');
  });

  it('rejects malformed histories', () => {
    expect(() => checkLinearizable([R.done('a', r, 0, 5, 4)], register, BIG)).toThrow(/before its call/);
    const o = R.done('a', r, 0, 0, 1);
    expect(() => checkLinearizable([o, o], register, BIG)).toThrow(/duplicate/);
    expect(() => checkLinearizable([{ ...o, killed: true }], register, BIG)).toThrow(/killed and returned/);
  });

  it('the empty history and a history of killed operations only are linearizable', () => {
    expect(checkLinearizable([], register, { maxSteps: 0 })).toEqual({ kind: 'linearizable', order: [], stepsUsed: 0 });
    expect(checkLinearizable([R.killed('a', w(1), 0)], register, { maxSteps: 0 }).kind).toBe('linearizable');
  });
});

describe('queue', () => {
  it('FIFO order of concurrent enqueues is whichever order the dequeues show', () => {
    for (const [first, second] of [
      [1, 2],
      [2, 1],
    ] as const) {
      const h = [Q.done('a', enq(1), 'ok', 0, 2), Q.done('b', enq(2), 'ok', 1, 3), Q.done('c', deq, first, 4, 5), Q.done('c', deq, second, 6, 7), Q.done('c', deq, 'empty', 8, 9)];
      assertWitness(h, queue, checkLinearizable(h, queue, BIG));
    }
  });

  it('a dequeue returning a value before it was enqueued', () => {
    const h = [Q.done('b', deq, 5, 0, 1), Q.done('a', enq(5), 'ok', 2, 3)];
    const res = checkLinearizable(h, queue, BIG);
    expect(res.kind).toBe('notLinearizable');
    if (res.kind === 'notLinearizable') {
      expect(res.longestPrefix).toEqual([]);
      expect(res.stuckOps).toEqual([h[0]?.id]);
      expect(res.explanation).toContain('no operation can be placed first');
    }
    // overlapping, it is fine
    const overlap = [Q.done('a', enq(5), 'ok', 0, 3), Q.done('b', deq, 5, 1, 2)];
    assertWitness(overlap, queue, checkLinearizable(overlap, queue, BIG));
  });

  it('sequential enqueues dequeued out of order', () => {
    const h = [Q.done('a', enq(1), 'ok', 0, 1), Q.done('a', enq(2), 'ok', 2, 3), Q.done('b', deq, 2, 4, 5)];
    expect(checkLinearizable(h, queue, BIG).kind).toBe('notLinearizable');
  });

  it('empty while a completed enqueue was never dequeued', () => {
    const h = [Q.done('a', enq(1), 'ok', 0, 1), Q.done('b', deq, 'empty', 2, 3)];
    expect(checkLinearizable(h, queue, BIG).kind).toBe('notLinearizable');
  });

  it('a killed enqueue: seen by a dequeue, or never seen, both fine', () => {
    const seen = [Q.killed('a', enq(1), 0), Q.done('b', deq, 1, 1, 2), Q.done('b', deq, 'empty', 3, 4)];
    assertWitness(seen, queue, checkLinearizable(seen, queue, BIG));
    const unseen = [Q.killed('a', enq(1), 0), Q.done('b', deq, 'empty', 1, 2)];
    assertWitness(unseen, queue, checkLinearizable(unseen, queue, BIG));
    // a killed dequeue may have consumed the item
    const consumed = [Q.done('a', enq(1), 'ok', 0, 1), Q.killed('c', deq, 2), Q.done('b', deq, 'empty', 3, 4)];
    assertWitness(consumed, queue, checkLinearizable(consumed, queue, BIG));
    // but not twice
    const twice = [Q.done('a', enq(1), 'ok', 0, 1), Q.killed('c', deq, 2), Q.done('b', deq, 1, 3, 4), Q.done('b', deq, 1, 5, 6)];
    expect(checkLinearizable(twice, queue, BIG).kind).toBe('notLinearizable');
  });
});

describe('budget', () => {
  /** n concurrent writes of 1..n, then a read of a value nobody wrote: every order must be tried. */
  const hard = (n: number): Operation<RegIn, RegOut>[] => [...Array.from({ length: n }, (_, k) => R.done(`p${k}`, w(k + 1), 'ok', k, n + k)), R.done('r', r, 99, 2 * n, 2 * n + 1)];

  it('runs out on a hard history and says unknown, never a pass', () => {
    const res = checkLinearizable(hard(14), register, { maxSteps: 50 });
    expect(res).toEqual({ kind: 'unknown', stepsUsed: 50 });
  });

  it('with enough budget the same kind of history is refuted, and the steps used are reported', () => {
    const res = checkLinearizable(hard(8), register, { maxSteps: 1_000_000 });
    expect(res.kind).toBe('notLinearizable');
    expect(res.stepsUsed).toBeGreaterThan(8 * 2 ** 7);
    // memoisation: every (set of writes placed, last value) pair is explored once, not every one
    // of the 8! orders (without it this history takes about 260,000 steps)
    expect(res.stepsUsed).toBeLessThan(5_000);
    const exact = res.stepsUsed;
    expect(checkLinearizable(hard(8), register, { maxSteps: exact }).kind).toBe('notLinearizable');
    expect(checkLinearizable(hard(8), register, { maxSteps: exact - 1 }).kind).toBe('unknown');
  });
});

describe('partitioning', () => {
  const kv = (key: string, op: RegIn): KvIn => ({ key, op });

  it('reports the failing part and throws on a partition that loses operations', () => {
    const h = [K.done('a', kv('x', w(1)), 'ok', 0, 1), K.done('b', kv('y', w(2)), 'ok', 2, 3), K.done('a', kv('x', r), 1, 4, 5), K.done('b', kv('y', r), 0, 6, 7)];
    const res = checkLinearizable(h, kvModel(true), BIG);
    expect(res.kind).toBe('notLinearizable');
    if (res.kind === 'notLinearizable') {
      expect(res.partition).toBe(1);
      expect(res.stuckOps).toEqual([h[3]?.id]);
    }
    expect(checkLinearizable(h, kvModel(false), BIG).kind).toBe('notLinearizable');
    const lossy = { ...kvModel(false), partition: (ops: ConcurrentHistory<KvIn, RegOut>) => [ops.slice(1)] };
    expect(() => checkLinearizable(h, lossy, BIG)).toThrow(/loses/);
  });

  it('checks the smallest parts first, so a cheap refutation is not hidden behind an expensive part', () => {
    const hardPart = [...Array.from({ length: 12 }, (_, k) => K.done(`p${k}`, kv('a', w(k + 1)), 'ok', k, 12 + k)), K.done('r', kv('a', r), 99, 24, 25)];
    const smallPart = [K.done('s', kv('b', w(1)), 'ok', 26, 27), K.done('s', kv('b', r), 0, 28, 29)];
    const res = checkLinearizable([...hardPart, ...smallPart], kvModel(true), { maxSteps: 10_000 });
    expect(res.kind).toBe('notLinearizable');
    if (res.kind === 'notLinearizable') expect(res.partition).toBe(1);
    expect(checkLinearizable(hardPart, kvModel(true), { maxSteps: 10_000 }).kind).toBe('unknown');
  });

  it('per key gives the same verdict as the whole map (random small histories, some corrupted)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ proc: fc.nat(2), key: fc.constantFrom('x', 'y', 'z'), write: fc.boolean() }), { maxLength: 14 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
        fc.option(fc.nat(), { nil: undefined }),
        (plan, schedule, corrupt) => {
          const h = simulate<Map<string, number>, KvIn, RegOut>(
            3,
            plan.map((p, k) => ({ proc: p.proc, input: kv(p.key, p.write ? w(k + 1) : r) })),
            schedule,
            (state, input) => {
              if (input.op.kind === 'read') return state.get(input.key) ?? 0;
              state.set(input.key, input.op.value);
              return 'ok';
            },
            new Map(),
          );
          const history = corrupt === undefined ? h : corruptOutput(h, corrupt, (o) => (o === 'ok' ? 'ok' : o + 1));
          const whole = checkLinearizable(history, kvModel(false), BIG);
          const split = checkLinearizable(history, kvModel(true), BIG);
          expect(verdict(split)).toBe(verdict(whole));
          if (corrupt === undefined) expect(whole.kind).toBe('linearizable');
        },
      ),
      { numRuns: 150 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Against brute force: every order of every admissible subset, on small random histories

type CtrIn = { readonly kind: 'add'; readonly by: number } | { readonly kind: 'read' };

/** A counter: unlike a register, two lost additions compose, so a lost one may matter only with another. */
const counter: LinearizabilityModel<number, CtrIn, RegOut> = {
  init: 0,
  step: (state, input) => (input.kind === 'add' ? { state: state + input.by, output: 'ok' } : { state, output: state }),
  equalOutput: (a, b) => a === b,
  key: (state) => String(state),
};
const C = builders<CtrIn, RegOut>();

/**
 * The definition, by brute force: some order of all completed operations and any subset of the
 * unobserved ones, respecting real time, gives every completed output.
 */
function bruteForce<S, I, O>(history: ConcurrentHistory<I, O>, model: LinearizabilityModel<S, I, O>): boolean {
  const isDone = (op: Operation<I, O>): boolean => op.ret !== undefined && op.killed !== true;
  const search = (state: S, left: readonly Operation<I, O>[]): boolean => {
    if (!left.some(isDone)) return true;
    return left.some((op, k) => {
      // op may come next only if nothing left returned before op was called
      if (left.some((other) => other !== op && isDone(other) && (other.ret as number) < op.call)) return false;
      const out = model.step(state, op.input);
      const rest = left.filter((_, j) => j !== k);
      if (isDone(op)) return model.equalOutput(out.output, op.output as O) && search(out.state, rest);
      // an unobserved operation: placed here, or dropped for good
      return search(out.state, rest) || search(state, rest);
    });
  };
  return search(model.init, history);
}

/** Random small histories: intervals anywhere, some killed or unanswered, outputs from a small domain. */
function smallHistories<I>(input: fc.Arbitrary<I>): fc.Arbitrary<Operation<I, RegOut>[]> {
  return fc
    .array(
      fc.record({
        input,
        call: fc.nat(12),
        length: fc.nat(6),
        end: fc.constantFrom('done', 'done', 'done', 'killed', 'pending'),
        read: fc.nat(4),
      }),
      { maxLength: 7 },
    )
    .map((items) =>
      items.map((it, k): Operation<I, RegOut> => {
        const isRead = (it.input as { kind: string }).kind === 'read';
        const output: RegOut = isRead ? it.read : 'ok';
        if (it.end === 'done') return { id: k, process: `p${k}`, input: it.input, output, call: it.call, ret: it.call + it.length };
        return { id: k, process: `p${k}`, input: it.input, output: undefined, call: it.call, ret: undefined, ...(it.end === 'killed' ? { killed: true } : {}) };
      }),
    );
}

describe('against brute force', () => {
  const registerIn: fc.Arbitrary<RegIn> = fc.oneof(fc.constant(r), fc.integer({ min: 1, max: 3 }).map(w));
  const counterIn: fc.Arbitrary<CtrIn> = fc.oneof(fc.constant<CtrIn>({ kind: 'read' }), fc.integer({ min: 1, max: 2 }).map((by): CtrIn => ({ kind: 'add', by })));

  /** The checker's verdict equals brute force's on random small histories of `inputs` for `model`, and every witness checks. */
  const agreesWithBruteForce = <S, I>(model: LinearizabilityModel<S, I, RegOut>, inputs: fc.Arbitrary<I>): void =>
    fc.assert(
      fc.property(smallHistories(inputs), (h) => {
        const res = checkLinearizable(h, model, BIG);
        expect(res.kind).toBe(bruteForce(h, model) ? 'linearizable' : 'notLinearizable');
        if (res.kind === 'linearizable') assertWitness(h, model, res);
      }),
      { numRuns: 400 },
    );

  it('a register: the same verdict as the definition, and a witness that checks', () => agreesWithBruteForce(register, registerIn));

  it('a counter (lost additions that matter only together): the same verdict as the definition', () => agreesWithBruteForce(counter, counterIn));

  it('two lost additions explain a read only together (the search spends spares), three cannot explain more', () => {
    const h = [C.killed('a', { kind: 'add', by: 1 }, 0), C.killed('b', { kind: 'add', by: 1 }, 0), C.done('c', { kind: 'read' }, 2, 1, 2)];
    assertWitness(h, counter, checkLinearizable(h, counter, BIG));
    const tooMuch = [...h.slice(0, 2), C.done('c', { kind: 'read' }, 3, 1, 2)];
    expect(checkLinearizable(tooMuch, counter, BIG).kind).toBe('notLinearizable');
  });

  it('a state reached once with a lost operation placed does not stand for the same state reached without it', () => {
    // Linearizable as w2, r -> 2, w1, r -> 1, r -> 1. A memo keyed by the completed operations
    // placed and the state alone prunes the only way on (the brute-force property found this).
    const h = [R.pending('a', w(1), 0), R.killed('b', w(2), 0), R.done('c', r, 1, 0, 0), R.done('d', r, 2, 0, 0), R.done('e', r, 1, 1, 1)];
    assertWitness(h, register, checkLinearizable(h, register, BIG));
  });

  it('a lost write seen after a later completed write overwrote the old value is placed after it', () => {
    const h = [R.killed('a', w(1), 0), R.done('b', w(2), 'ok', 1, 2), R.done('c', r, 2, 3, 4), R.done('c', r, 1, 5, 6)];
    assertWitness(h, register, checkLinearizable(h, register, BIG));
  });
});

// ---------------------------------------------------------------------------------------------
// Generated histories: a real sequential object run by racing processes

/**
 * Runs `plan` (each item an operation of process `proc`) on a real sequential object with a
 * recorder: at each event the schedule picks a process, which invokes its next operation, or
 * executes it on the object (the real linearization point, strictly between call and return),
 * or returns. A schedule value of 10 modulo 11 kills the picked process if it has an operation in
 * flight (before or after its execution); it then goes on with its plan. The run stops when the
 * plan is done or after `maxEvents` events; what is in flight then stays unanswered.
 */
function simulate<S, I, O>(
  procs: number,
  plan: readonly { proc: number; input: I }[],
  schedule: readonly number[],
  apply: (state: S, input: I) => O,
  init: S,
  maxEvents = 4 * plan.length + 4,
): Operation<I, O>[] {
  const rec = historyRecorder<I, O>();
  const todo: I[][] = Array.from({ length: procs }, () => []);
  for (const p of plan) todo[p.proc % procs]?.push(p.input);
  type Flight = { id: number; input: I; output?: { value: O } };
  const flight: (Flight | undefined)[] = new Array<Flight | undefined>(procs).fill(undefined);
  const state = init;
  let k = 0;
  for (let events = 0; events < maxEvents; events++) {
    const active = [...Array(procs).keys()].filter((p) => flight[p] !== undefined || (todo[p]?.length ?? 0) > 0);
    if (active.length === 0) break;
    const choice = schedule[k++ % schedule.length] as number;
    const p = active[choice % active.length] as number;
    const f = flight[p];
    if (f !== undefined && choice % 11 === 10) {
      rec.kill(`p${p}`);
      flight[p] = undefined;
    } else if (f === undefined) {
      const input = todo[p]?.shift() as I;
      flight[p] = { id: rec.invoke(`p${p}`, input), input };
    } else if (f.output === undefined) {
      f.output = { value: apply(state, f.input) };
    } else {
      rec.respond(f.id, f.output.value);
      flight[p] = undefined;
    }
  }
  return [...rec.operations()];
}

/** Replaces the output of the `pick`-th completed operation (mod their number) by `change(output)`. */
function corruptOutput<I, O>(h: readonly Operation<I, O>[], pick: number, change: (o: O) => O): Operation<I, O>[] {
  const completed = h.filter((op) => op.ret !== undefined && op.killed !== true);
  const victim = completed[pick % Math.max(1, completed.length)];
  return h.map((op) => (op === victim ? { ...op, output: change(op.output as O) } : op));
}

const queueRun = fc.record({
  procs: fc.integer({ min: 1, max: 4 }),
  plan: fc.array(fc.record({ proc: fc.nat(3), enqueue: fc.boolean() }), { maxLength: 24, size: 'medium' }),
  schedule: fc.array(fc.nat(), { minLength: 1, maxLength: 100 }),
  stopAfter: fc.option(fc.nat(60), { nil: undefined }),
});

function runQueue(run: { procs: number; plan: { proc: number; enqueue: boolean }[]; schedule: number[]; stopAfter: number | undefined }): Operation<QIn, QOut>[] {
  return simulate<number[], QIn, QOut>(
    run.procs,
    run.plan.map((p, k) => ({ proc: p.proc, input: p.enqueue ? enq(k + 1) : deq })),
    run.schedule,
    (items, input) => {
      if (input.kind === 'enqueue') {
        items.push(input.value);
        return 'ok';
      }
      return items.shift() ?? 'empty';
    },
    [],
    run.stopAfter,
  );
}

describe('generated queue histories', () => {
  it('a real queue with overlapping intervals around its execution points is always linearizable', () => {
    fc.assert(
      fc.property(queueRun, (run) => {
        const h = runQueue(run);
        assertWitness(h, queue, checkLinearizable(h, queue, BIG));
      }),
      { numRuns: 200 },
    );
  });

  it('a dequeue of a value never enqueued, or of a value already dequeued, is never linearizable', () => {
    // Killed enqueues may take effect at any later point or never, so a refutation must try them
    // everywhere: with many of them the budget may run out (unknown), but never to a pass.
    let refuted = 0;
    let unknown = 0;
    fc.assert(
      fc.property(queueRun, fc.nat(), fc.boolean(), (run, pick, duplicate) => {
        const h = runQueue(run);
        const dequeued = h.filter((op) => op.input.kind === 'dequeue' && op.ret !== undefined && op.killed !== true && typeof op.output === 'number');
        fc.pre(dequeued.length >= (duplicate ? 2 : 1));
        const victim = dequeued[pick % dequeued.length] as Operation<QIn, QOut>;
        const other = dequeued.find((op) => op !== victim) as Operation<QIn, QOut>;
        const impossible = duplicate ? other.output : 1_000_000;
        const bad = h.map((op) => (op === victim ? { ...op, output: impossible } : op));
        const res = checkLinearizable(bad, queue, { maxSteps: 50_000 });
        expect(res.kind).not.toBe('linearizable');
        if (res.kind === 'notLinearizable') refuted++;
        else unknown++;
      }),
      { numRuns: 200 },
    );
    expect(refuted).toBeGreaterThan(0.9 * (refuted + unknown));
  });

  it('one corrupted output is almost always caught', () => {
    const runs = fc.sample(fc.tuple(queueRun, fc.nat()), { numRuns: 300, seed: 42 });
    let tried = 0;
    let caught = 0;
    for (const [run, pick] of runs) {
      const h = runQueue(run);
      if (!h.some((op) => op.ret !== undefined)) continue;
      // enqueue 'ok' -> 'empty'; a value -> the next value; 'empty' -> the first value enqueued
      const bad = corruptOutput(h, pick, (o) => (o === 'ok' ? 'empty' : o === 'empty' ? 1 : o + 1));
      tried++;
      const res = checkLinearizable(bad, queue, BIG);
      expect(res.kind).not.toBe('unknown');
      if (res.kind === 'notLinearizable') caught++;
    }
    expect(tried).toBeGreaterThan(150);
    expect(caught / tried).toBeGreaterThan(0.8);
  });
});

describe('recorder and descriptions', () => {
  it('records positions in event order and kills only the in-flight operations of a process', () => {
    const rec = historyRecorder<QIn, QOut>();
    const a = rec.invoke('a', enq(1));
    const b = rec.invoke('b', deq);
    rec.respond(a, 'ok');
    const c = rec.invoke('a', deq);
    const before = rec.operations();
    rec.kill('a');
    expect(() => rec.respond(c, 1)).toThrow(/killed/);
    expect(() => rec.respond(a, 'ok')).toThrow(/already/);
    expect(() => rec.respond(99, 'ok')).toThrow(/no operation/);
    const ops = rec.operations();
    expect(ops.map((o) => [o.id, o.call, o.ret, o.killed === true])).toEqual([
      [a, 0, 2, false],
      [b, 1, undefined, false],
      [c, 3, undefined, true],
    ]);
    expect(before[2]?.killed).toBeUndefined();
  });

  it('describes a history per process and a failure in words', () => {
    const h = [R.done('a', w(1), 'ok', 0, 1), R.done('a', w(2), 'ok', 2, 3), R.done('b', r, 1, 4, 5), R.killed('b', w(3), 6)];
    const text = describeHistory(h, showReg, String);
    expect(text.split('\n')).toEqual([`a | #${h[0]?.id} [0..1] write 1 -> ok   #${h[1]?.id} [2..3] write 2 -> ok`, `b | #${h[2]?.id} [4..5] read -> 1   #${h[3]?.id} [6..killed] write 3`]);
    const res = checkLinearizable(h, register, BIG);
    const withModel = describeResult(res, h, showReg, String, register);
    expect(withModel).toContain('NOT LINEARIZABLE');
    expect(withModel).toContain('the model answers 2 here, but 1 was recorded');
    expect(describeResult(res, h, showReg, String)).toContain('Checker: not linearizable');
    expect(describeResult({ kind: 'unknown', stepsUsed: 7 }, h, showReg, String)).toContain('not a pass');
    const ok = h.slice(0, 2);
    expect(describeResult(checkLinearizable(ok, register, BIG), ok, showReg, String)).toContain('1. a: #');
  });
});
