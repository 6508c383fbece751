import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, fsck, locationsOf } from './fsck.ts';
import { checkCheckoutRegistered, checkInvariants, checkNoReuse, checkQuiescent } from './invariants.ts';
import type { NameSource } from './names.ts';
import { initialWorld, type HandleState, type ModelWorld, type Op } from './operations.ts';
import type { SpoolState } from './state.ts';
import { step } from './step.ts';

type Files = Record<string, number>;
const files = (r: Files | undefined) => new Map(Object.entries(r ?? {}).map(([n, t]) => [n, { metadata: 'm', mtimeMs: t }] as const));
function spoolOf(parts: { registry?: string[]; tmp?: Files; data?: string[]; alpha?: Files; alphaCheckout?: Files; beta?: Files }): SpoolState<string, string> {
  return {
    registry: new Map((parts.registry ?? []).map((n) => [n, 0] as const)),
    tmp: files(parts.tmp),
    data: new Map((parts.data ?? []).map((n) => [n, 'd'] as const)),
    queues: new Map([
      ['alpha', { queued: files(parts.alpha), checkedOut: files(parts.alphaCheckout) }],
      ['beta', { queued: files(parts.beta), checkedOut: new Map() }],
    ]),
  };
}

describe('checkInvariants', () => {
  it('is empty for a consistent spool', () => {
    expect(checkInvariants(spoolOf({ registry: ['a', 'b', 'r'], data: ['a', 'b'], alpha: { a: 1 }, alphaCheckout: { b: 1 } }))).toEqual([]);
  });

  it('A1: names in a queue, a checkout or .data without a registry file', () => {
    const v = checkInvariants(spoolOf({ data: ['d'], alpha: { q: 1 }, alphaCheckout: { c: 1 }, tmp: { t: 1 } }));
    expect(v).toEqual([
      'A1: "q" is in queue alpha but not in the registry',
      'A1: "c" is in checkout alpha but not in the registry',
      'A1: "d" is in .data but not in the registry',
    ]);
  });

  it('A2: a name in two queue/checkout directories', () => {
    const v = checkInvariants(spoolOf({ registry: ['x'], data: ['x'], alphaCheckout: { x: 1 }, beta: { x: 1 } }));
    expect(v).toEqual(['A2: "x" is in checkout:alpha and queue:beta']);
  });
});

describe('checkNoReuse and checkCheckoutRegistered', () => {
  it('A3: a name still taken must not be handed out', () => {
    expect(checkNoReuse(new Set(['a']), 'b')).toBeUndefined();
    expect(checkNoReuse(new Set(['a']), 'a')).toMatch(/^A3/);
  });

  it('A4: a checkout needs a registry file in the state before it', () => {
    const with_ = spoolOf({ registry: ['a'] });
    const without = spoolOf({});
    const checkedOut = { kind: 'ok', value: { kind: 'checkedOut', handle: 0, contents: 'm' } } as const;
    expect(checkCheckoutRegistered(with_, 'a', checkedOut)).toBeUndefined();
    expect(checkCheckoutRegistered(without, 'a', checkedOut)).toMatch(/^A4/);
    expect(checkCheckoutRegistered(without, 'a', { kind: 'ok', value: { kind: 'notFound' } })).toBeUndefined();
    expect(checkCheckoutRegistered(without, 'a', { kind: 'error', error: 'entryDisappeared' })).toBeUndefined();
  });
});

describe('checkQuiescent', () => {
  const holder = (name: string, released = false): HandleState<string> => ({ queue: 'alpha', name, contents: 'm', released });

  it('is empty for a settled spool whose checkouts are held', () => {
    const s = spoolOf({ registry: ['a', 'b'], data: ['a', 'b'], alpha: { a: 1 }, alphaCheckout: { b: 1 } });
    expect(checkQuiescent(s, [holder('b')])).toEqual([]);
  });

  it('reports missing data, .tmp leftovers, registry names in 0 or 2 places, and checkouts without a live holder', () => {
    const s = spoolOf({ registry: ['a', 'b', 'r', 'x'], data: ['b', 'x'], tmp: { t: 1 }, alpha: { a: 1, x: 1 }, alphaCheckout: { b: 1 }, beta: { x: 1 } });
    expect(checkQuiescent(s, [holder('b', true)])).toEqual([
      'quiescent: "a" has no data file',
      'quiescent: "t" is left in .tmp',
      'quiescent: registry name "r" is in 0 locations',
      'quiescent: registry name "x" is in 2 locations',
      'quiescent: alpha/.checkout/"b" has no live holder',
    ]);
  });
});

// ---- Property: proper API use keeps A1-A4, and releasing everything leaves a quiescent spool ----

const QUEUES = ['alpha', 'beta'] as const;
const NAMES = ['n0', 'n1', 'n2', 'n3'] as const;
type W = ModelWorld<string, string>;

/** A generated command; `handle` is taken modulo the number of handles. */
type Cmd = Op<string, string> | { kind: 'tick'; ms: number };

const fromCandidates = (candidates: readonly string[]): NameSource => ({
  next: (attempt) => candidates[Math.min(attempt, candidates.length - 1)] ?? '',
});
const queueArb = fc.constantFrom(...QUEUES);
const nameArb = fc.constantFrom(...NAMES);
const candidatesArb = fc.array(fc.oneof({ weight: 9, arbitrary: nameArb }, { weight: 1, arbitrary: fc.constant('.bad') }), {
  minLength: 1,
  maxLength: 3,
});
const metaArb = fc.constantFrom('new', 'retry', 'frozen');
const handleArb = fc.nat({ max: 7 });
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  w(2, fc.record({ kind: fc.constant('reserve' as const), names: candidatesArb.map(fromCandidates), maxAttempts: fc.integer({ min: 1, max: 3 }) })),
  w(
    8,
    fc.record({
      kind: fc.constant('enqueue' as const),
      queue: queueArb,
      metadata: metaArb,
      data: fc.constantFrom('', 'hello'),
      name: fc.oneof(
        w(3, fc.record({ reserve: candidatesArb.map(fromCandidates), maxAttempts: fc.constant(3) })),
        w(1, fc.record({ use: fc.oneof(nameArb, fc.constant('.bad')) })),
      ),
    }),
  ),
  w(1, fc.record({ kind: fc.constant('list' as const), queue: queueArb })),
  w(1, fc.record({ kind: fc.constant('stat' as const), name: nameArb })),
  w(1, fc.record({ kind: fc.constant('directContents' as const), queue: queueArb, name: nameArb })),
  w(2, fc.record({ kind: fc.constant('directSave' as const), queue: queueArb, name: nameArb, metadata: metaArb })),
  w(2, fc.record({ kind: fc.constant('directRemove' as const), queue: queueArb, name: nameArb })),
  w(6, fc.record({ kind: fc.constantFrom('tryCheckout' as const, 'checkout' as const), queue: queueArb, name: nameArb })),
  w(2, fc.record({ kind: fc.constant('update' as const), handle: handleArb, metadata: metaArb })),
  w(4, fc.record({ kind: fc.constant('save' as const), handle: handleArb, queue: queueArb })),
  w(3, fc.record({ kind: fc.constant('remove' as const), handle: handleArb })),
  w(3, fc.record({ kind: fc.constant('listCheckoutsUnsafe' as const), queue: queueArb })),
  w(3, fc.record({ kind: fc.constant('dequeueAvailable' as const), queue: queueArb })),
  w(1, fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 1000 }) })),
);

/**
 * Proper API use: the misuses the protocol does not prevent are skipped (enqueue `use` of a placed
 * name; direct.save of a registered name into a queue it is not in; using a handle whose entry was
 * taken over by listCheckoutsUnsafe).
 */
function isProperUse(world: W, op: Op<string, string>, abandoned: ReadonlySet<number>): boolean {
  switch (op.kind) {
    case 'enqueue':
      return !('use' in op.name) || locationsOf(world.spool, op.name.use).length === 0;
    case 'directSave':
      return !world.spool.registry.has(op.name) || world.spool.queues.get(op.queue)?.queued.has(op.name) === true;
    case 'update':
    case 'save':
    case 'remove':
      return !abandoned.has(op.handle);
    default:
      return true;
  }
}

/** Applies `op`, checking A1-A4 around it; returns the new world. */
function checkedStep(world: W, op: Op<string, string>, now: number): W {
  const before = structuredClone(world);
  const { world: after, result } = step(world, op, now);
  expect(world).toEqual(before); // step never changes its input
  expect(checkInvariants(after.spool)).toEqual([]);
  if (result.kind === 'ok' && (op.kind === 'reserve' || (op.kind === 'enqueue' && 'reserve' in op.name))) {
    const name = typeof result.value === 'string' ? result.value : (result.value as { name: string }).name;
    expect(checkNoReuse(new Set(world.spool.registry.keys()), name)).toBeUndefined();
  }
  if (op.kind === 'tryCheckout' || op.kind === 'checkout') {
    const r = result as Parameters<typeof checkCheckoutRegistered>[2];
    expect(checkCheckoutRegistered(world.spool, op.name, r)).toBeUndefined();
  }
  return after;
}

describe('property: proper use keeps the invariants', () => {
  it('A1-A4 after every step; after releasing every handle and using every reservation, quiescent and fsck-clean', () => {
    fc.assert(
      fc.property(fc.array(cmdArb, { minLength: 10, maxLength: 50 }), fc.array(fc.boolean(), { maxLength: 10 }), (cmds, saveChoices) => {
        let world: W = initialWorld([...QUEUES]);
        let now = 1_000;
        const abandoned = new Set<number>();
        for (const cmd of cmds) {
          if (cmd.kind === 'tick') {
            now += cmd.ms;
            continue;
          }
          const op: Op<string, string> = 'handle' in cmd ? { ...cmd, handle: cmd.handle % Math.max(1, world.handles.length) } : cmd;
          if ('handle' in op && world.handles.length === 0) continue;
          if (!isProperUse(world, op, abandoned)) continue;
          if (op.kind === 'listCheckoutsUnsafe') {
            // Recovery: the holders of this queue's checkouts are presumed dead.
            world.handles.forEach((h, i) => {
              if (h.queue === op.queue && !h.released) abandoned.add(i);
            });
          }
          world = checkedStep(world, op, now);
        }
        // Release every live handle, alternating save (to some queue) and remove.
        now += 1;
        for (let i = 0; i < world.handles.length; i++) {
          if (world.handles[i]?.released !== false || abandoned.has(i)) continue;
          const save = saveChoices[i % Math.max(1, saveChoices.length)] ?? true;
          const op: Op<string, string> = save ? { kind: 'save', handle: i, queue: QUEUES[i % 2] ?? 'alpha' } : { kind: 'remove', handle: i };
          world = checkedStep(world, op, now);
          expect(world.handles[i]?.released).toBe(true);
        }
        // Use every reservation that was never enqueued.
        for (const name of [...world.spool.registry.keys()]) {
          if (locationsOf(world.spool, name).length > 0) continue;
          world = checkedStep(world, { kind: 'enqueue', queue: 'beta', metadata: 'late', data: 'x', name: { use: name } }, now);
        }
        const holders = world.handles.filter((_, i) => !abandoned.has(i));
        expect(checkQuiescent(world.spool, holders)).toEqual([]);
        expect(fsck(world.spool, DEFAULT_LIMITS, now)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
