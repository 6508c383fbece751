import { describe, expect, it } from 'vitest';
import type { NameSource } from './names.ts';
import { initialWorld, type ModelWorld, type Op } from './operations.ts';
import type { SpoolState } from './state.ts';
import { step } from './step.ts';

type W = ModelWorld<string, string>;
const QUEUES = ['alpha', 'beta'];
const empty: W = initialWorld(QUEUES);

/** Names: `next(attempt)` is the attempt-th given name (the last one repeated). */
const names = (...ns: string[]): NameSource => ({ next: (attempt) => ns[Math.min(attempt, ns.length - 1)] ?? '' });

/** Applies `op` at `now` and returns the world (ignoring the result). */
const apply = (w: W, op: Op<string, string>, now: number): W => step(w, op, now).world;

/** `w` with `name` enqueued (reserved fresh) into `queue` at `now`. */
const withEntry = (w: W, queue: string, name: string, now: number, meta = `m-${name}`, data = `d-${name}`): W =>
  apply(w, { kind: 'enqueue', queue, metadata: meta, data, name: { reserve: names(name), maxAttempts: 1 } }, now);

const queued = (w: W, q: string) => w.spool.queues.get(q)?.queued;
const checkedOut = (w: W, q: string) => w.spool.queues.get(q)?.checkedOut;

/** A spool built by hand (for states that API use does not produce). */
function spoolOf(parts: {
  registry?: Record<string, number>;
  data?: Record<string, string>;
  alpha?: Record<string, number>;
  alphaCheckout?: Record<string, number>;
}): SpoolState<string, string> {
  const files = (r: Record<string, number> | undefined) =>
    new Map(Object.entries(r ?? {}).map(([n, t]) => [n, { metadata: `m-${n}`, mtimeMs: t }] as const));
  return {
    registry: new Map(Object.entries(parts.registry ?? {})),
    tmp: new Map(),
    data: new Map(Object.entries(parts.data ?? {})),
    queues: new Map([
      ['alpha', { queued: files(parts.alpha), checkedOut: files(parts.alphaCheckout) }],
      ['beta', { queued: new Map(), checkedOut: new Map() }],
    ]),
  };
}

describe('reserve', () => {
  it('creates the registry file with mtime now and returns the name', () => {
    const { world, result } = step(empty, { kind: 'reserve', names: names('a'), maxAttempts: 3 }, 10);
    expect(result).toEqual({ kind: 'ok', value: 'a' });
    expect([...world.spool.registry]).toEqual([['a', 10]]);
    expect(world.spool.data.size + world.spool.tmp.size).toBe(0);
  });

  it('skips clashing names without touching them', () => {
    const w = apply(empty, { kind: 'reserve', names: names('a'), maxAttempts: 1 }, 5);
    const { world, result } = step(w, { kind: 'reserve', names: names('a', 'b'), maxAttempts: 3 }, 10);
    expect(result).toEqual({ kind: 'ok', value: 'b' });
    expect([...world.spool.registry]).toEqual([
      ['a', 5],
      ['b', 10],
    ]);
  });

  it('fails with namesExhausted after maxAttempts clashes, creating nothing', () => {
    const w = apply(empty, { kind: 'reserve', names: names('a'), maxAttempts: 1 }, 5);
    const out = step(w, { kind: 'reserve', names: names('a', 'a', 'b'), maxAttempts: 2 }, 10);
    expect(out.result).toEqual({ kind: 'error', error: 'namesExhausted' });
    expect(out.world).toEqual(w);
    expect(step(empty, { kind: 'reserve', names: names('a'), maxAttempts: 0 }, 1).result).toEqual({ kind: 'error', error: 'namesExhausted' });
  });

  it('fails with invalidName on an invalid candidate, even after a clash', () => {
    const w = apply(empty, { kind: 'reserve', names: names('a'), maxAttempts: 1 }, 5);
    const out = step(w, { kind: 'reserve', names: names('a', '.hidden', 'c'), maxAttempts: 5 }, 10);
    expect(out.result).toEqual({ kind: 'error', error: 'invalidName' });
    expect(out.world).toEqual(w);
  });
});

describe('enqueue', () => {
  it('reserve: registry, data and queue file, all stamped now; .tmp left empty', () => {
    const { world, result } = step(
      empty,
      { kind: 'enqueue', queue: 'alpha', metadata: 'meta', data: 'data', name: { reserve: names('n'), maxAttempts: 1 } },
      7,
    );
    expect(result).toEqual({ kind: 'ok', value: { queue: 'alpha', name: 'n' } });
    expect(world.spool.registry.get('n')).toBe(7);
    expect(world.spool.data.get('n')).toBe('data');
    expect(queued(world, 'alpha')?.get('n')).toEqual({ metadata: 'meta', mtimeMs: 7 });
    expect(world.spool.tmp.size).toBe(0);
    expect(queued(world, 'beta')?.size).toBe(0);
  });

  it('reserve failures leave nothing', () => {
    const w = withEntry(empty, 'alpha', 'n', 1);
    for (const [gen, error] of [
      [names('n'), 'namesExhausted'],
      [names('a/b'), 'invalidName'],
    ] as const) {
      const out = step(w, { kind: 'enqueue', queue: 'beta', metadata: 'x', data: 'y', name: { reserve: gen, maxAttempts: 2 } }, 9);
      expect(out.result).toEqual({ kind: 'error', error });
      expect(out.world).toEqual(w);
    }
  });

  it('use: needs the registry file and does not touch it', () => {
    const reserved = apply(empty, { kind: 'reserve', names: names('r'), maxAttempts: 1 }, 3);
    const { world, result } = step(reserved, { kind: 'enqueue', queue: 'beta', metadata: 'm', data: 'd', name: { use: 'r' } }, 20);
    expect(result).toEqual({ kind: 'ok', value: { queue: 'beta', name: 'r' } });
    expect(world.spool.registry.get('r')).toBe(3);
    expect(queued(world, 'beta')?.get('r')).toEqual({ metadata: 'm', mtimeMs: 20 });
    expect(world.spool.data.get('r')).toBe('d');
  });

  it('use: noSuchEntry without a registry file, invalidName for an invalid name; nothing changed', () => {
    const a = step(empty, { kind: 'enqueue', queue: 'beta', metadata: 'm', data: 'd', name: { use: 'ghost' } }, 20);
    expect(a.result).toEqual({ kind: 'error', error: 'noSuchEntry' });
    expect(a.world).toEqual(empty);
    const b = step(empty, { kind: 'enqueue', queue: 'beta', metadata: 'm', data: 'd', name: { use: '' } }, 20);
    expect(b.result).toEqual({ kind: 'error', error: 'invalidName' });
    expect(b.world).toEqual(empty);
  });

  it('use of a name that is already placed duplicates it (the protocol does not prevent this misuse)', () => {
    const w = withEntry(empty, 'alpha', 'n', 1);
    const { world } = step(w, { kind: 'enqueue', queue: 'beta', metadata: 'm2', data: 'd2', name: { use: 'n' } }, 2);
    expect(queued(world, 'alpha')?.has('n')).toBe(true);
    expect(queued(world, 'beta')?.get('n')).toEqual({ metadata: 'm2', mtimeMs: 2 });
    expect(world.spool.data.get('n')).toBe('d2');
  });
});

describe('list, stat, directContents', () => {
  it('list: queued names in code-unit order, without checked-out ones', () => {
    let w = empty;
    for (const n of ['b', 'a9', 'B', 'a10', 'c']) w = withEntry(w, 'alpha', n, 1);
    w = apply(w, { kind: 'tryCheckout', queue: 'alpha', name: 'c' }, 2);
    expect(step(w, { kind: 'list', queue: 'alpha' }, 3).result).toEqual({ kind: 'ok', value: ['B', 'a10', 'a9', 'b'] });
    expect(step(w, { kind: 'list', queue: 'beta' }, 3).result).toEqual({ kind: 'ok', value: [] });
  });

  it('stat: the registry mtime, or noSuchEntry', () => {
    const w = withEntry(empty, 'alpha', 'n', 42);
    expect(step(w, { kind: 'stat', name: 'n' }, 50).result).toEqual({ kind: 'ok', value: { mtimeMs: 42 } });
    expect(step(w, { kind: 'stat', name: 'x' }, 50).result).toEqual({ kind: 'error', error: 'noSuchEntry' });
  });

  it('directContents: reads the queue file only (notFound elsewhere; the registry is not consulted)', () => {
    const w = withEntry(empty, 'alpha', 'n', 1, 'meta');
    expect(step(w, { kind: 'directContents', queue: 'alpha', name: 'n' }, 2).result).toEqual({ kind: 'ok', value: 'meta' });
    expect(step(w, { kind: 'directContents', queue: 'beta', name: 'n' }, 2).result).toEqual({ kind: 'error', error: 'notFound' });
    const out = apply(w, { kind: 'checkout', queue: 'alpha', name: 'n' }, 2);
    expect(step(out, { kind: 'directContents', queue: 'alpha', name: 'n' }, 3).result).toEqual({ kind: 'error', error: 'notFound' });
    const unregistered: W = { spool: spoolOf({ alpha: { u: 1 } }), handles: [] };
    expect(step(unregistered, { kind: 'directContents', queue: 'alpha', name: 'u' }, 2).result).toEqual({ kind: 'ok', value: 'm-u' });
  });
});

describe('directSave', () => {
  it('replaces the queue file (mtime now) and touches the registry', () => {
    const w = withEntry(empty, 'alpha', 'n', 1);
    const { world, result } = step(w, { kind: 'directSave', queue: 'alpha', name: 'n', metadata: 'new' }, 9);
    expect(result).toEqual({ kind: 'ok', value: undefined });
    expect(queued(world, 'alpha')?.get('n')).toEqual({ metadata: 'new', mtimeMs: 9 });
    expect(world.spool.registry.get('n')).toBe(9);
    expect(world.spool.tmp.size).toBe(0);
  });

  it('noSuchEntry without a registry file, nothing changed', () => {
    const w: W = { spool: spoolOf({ alpha: { u: 1 } }), handles: [] };
    const out = step(w, { kind: 'directSave', queue: 'alpha', name: 'u', metadata: 'x' }, 9);
    expect(out.result).toEqual({ kind: 'error', error: 'noSuchEntry' });
    expect(out.world).toEqual(w);
  });

  it('creates the queue file when it was not there', () => {
    const w = withEntry(empty, 'alpha', 'n', 1);
    const { world } = step(w, { kind: 'directSave', queue: 'beta', name: 'n', metadata: 'x' }, 9);
    expect(queued(world, 'beta')?.get('n')).toEqual({ metadata: 'x', mtimeMs: 9 });
    expect(queued(world, 'alpha')?.get('n')).toEqual({ metadata: 'm-n', mtimeMs: 1 });
  });
});

describe('directRemove', () => {
  it('removes queue file, data and registry', () => {
    const w = withEntry(withEntry(empty, 'alpha', 'n', 1), 'alpha', 'o', 1);
    const { world, result } = step(w, { kind: 'directRemove', queue: 'alpha', name: 'n' }, 5);
    expect(result).toEqual({ kind: 'ok', value: undefined });
    expect([...world.spool.registry.keys()]).toEqual(['o']);
    expect([...world.spool.data.keys()]).toEqual(['o']);
    expect([...(queued(world, 'alpha')?.keys() ?? [])]).toEqual(['o']);
  });

  it('noSuchEntry without a registry file: nothing changed', () => {
    const w: W = { spool: spoolOf({ alpha: { u: 1 }, data: { u: 'd' } }), handles: [] };
    const out = step(w, { kind: 'directRemove', queue: 'alpha', name: 'u' }, 5);
    expect(out.result).toEqual({ kind: 'error', error: 'noSuchEntry' });
    expect(out.world).toEqual(w);
  });

  it('notFound when the file is not in that queue, but the registry mtime is now', () => {
    const w = withEntry(empty, 'alpha', 'n', 1);
    const out = step(w, { kind: 'directRemove', queue: 'beta', name: 'n' }, 5);
    expect(out.result).toEqual({ kind: 'error', error: 'notFound' });
    expect(out.world.spool.registry.get('n')).toBe(5);
    expect(out.world.spool.data.get('n')).toBe('d-n');
    expect(queued(out.world, 'alpha')?.get('n')).toEqual({ metadata: 'm-n', mtimeMs: 1 });
  });

  it('a missing data file is fine', () => {
    const w: W = { spool: spoolOf({ registry: { u: 1 }, alpha: { u: 1 } }), handles: [] };
    const out = step(w, { kind: 'directRemove', queue: 'alpha', name: 'u' }, 5);
    expect(out.result).toEqual({ kind: 'ok', value: undefined });
    expect(out.world.spool.registry.size).toBe(0);
    expect(queued(out.world, 'alpha')?.size).toBe(0);
  });
});

describe('tryCheckout and checkout', () => {
  it('moves the entry to .checkout with mtime now, touches the registry, appends a handle', () => {
    const w = withEntry(empty, 'alpha', 'n', 1, 'meta');
    const { world, result } = step(w, { kind: 'tryCheckout', queue: 'alpha', name: 'n' }, 8);
    expect(result).toEqual({ kind: 'ok', value: { kind: 'checkedOut', handle: 0, contents: 'meta' } });
    expect(queued(world, 'alpha')?.size).toBe(0);
    expect(checkedOut(world, 'alpha')?.get('n')).toEqual({ metadata: 'meta', mtimeMs: 8 });
    expect(world.spool.registry.get('n')).toBe(8);
    expect(world.handles).toEqual([{ queue: 'alpha', name: 'n', contents: 'meta', released: false }]);
  });

  it('registry file missing: notFound and nothing changes', () => {
    const w: W = { spool: spoolOf({ alpha: { u: 1 }, data: { u: 'd' } }), handles: [] };
    const out = step(w, { kind: 'tryCheckout', queue: 'alpha', name: 'u' }, 8);
    expect(out.result).toEqual({ kind: 'ok', value: { kind: 'notFound' } });
    expect(out.world).toEqual(w);
  });

  it('queue file missing: notFound, but the registry mtime is now', () => {
    const w = withEntry(empty, 'alpha', 'n', 1);
    const out = step(w, { kind: 'tryCheckout', queue: 'beta', name: 'n' }, 8);
    expect(out.result).toEqual({ kind: 'ok', value: { kind: 'notFound' } });
    expect(out.world.spool.registry.get('n')).toBe(8);
    expect(out.world.spool.queues).toEqual(w.spool.queues);
    expect(out.world.handles).toEqual([]);
  });

  it('checkout: a lost race is entryDisappeared, with the same effects as tryCheckout', () => {
    const w = withEntry(empty, 'alpha', 'n', 1);
    const taken = apply(w, { kind: 'checkout', queue: 'alpha', name: 'n' }, 2);
    const out = step(taken, { kind: 'checkout', queue: 'alpha', name: 'n' }, 9);
    expect(out.result).toEqual({ kind: 'error', error: 'entryDisappeared' });
    expect(out.world.spool.registry.get('n')).toBe(9);
    expect(checkedOut(out.world, 'alpha')?.get('n')?.mtimeMs).toBe(2);
    expect(out.world.handles).toHaveLength(1);
    expect(step(w, { kind: 'checkout', queue: 'alpha', name: 'n' }, 3).result).toEqual({
      kind: 'ok',
      value: { kind: 'checkedOut', handle: 0, contents: 'm-n' },
    });
  });
});

describe('a checked-out entry', () => {
  const held = apply(withEntry(empty, 'alpha', 'n', 1, 'old'), { kind: 'checkout', queue: 'alpha', name: 'n' }, 2);

  it('update changes the handle only', () => {
    const { world, result } = step(held, { kind: 'update', handle: 0, metadata: 'new' }, 3);
    expect(result).toEqual({ kind: 'ok', value: undefined });
    expect(world.spool).toEqual(held.spool);
    expect(world.handles[0]?.contents).toBe('new');
  });

  it('save writes the contents into q2 with mtime now, touches the registry, releases the handle', () => {
    const updated = apply(held, { kind: 'update', handle: 0, metadata: 'new' }, 3);
    const { world, result } = step(updated, { kind: 'save', handle: 0, queue: 'beta' }, 4);
    expect(result).toEqual({ kind: 'ok', value: undefined });
    expect(queued(world, 'beta')?.get('n')).toEqual({ metadata: 'new', mtimeMs: 4 });
    expect(checkedOut(world, 'alpha')?.size).toBe(0);
    expect(queued(world, 'alpha')?.size).toBe(0);
    expect(world.spool.tmp.size).toBe(0);
    expect(world.spool.registry.get('n')).toBe(4);
    expect(world.spool.data.get('n')).toBe('d-n');
    expect(world.handles[0]?.released).toBe(true);
  });

  it('save back into the same queue', () => {
    const { world } = step(held, { kind: 'save', handle: 0, queue: 'alpha' }, 4);
    expect(queued(world, 'alpha')?.get('n')).toEqual({ metadata: 'old', mtimeMs: 4 });
    expect(checkedOut(world, 'alpha')?.size).toBe(0);
  });

  it('giveBack puts the entry back into its queue with the metadata it was checked out with, writes nothing, releases the handle', () => {
    const updated = apply(held, { kind: 'update', handle: 0, metadata: 'unsaved' }, 3);
    const { world, result } = step(updated, { kind: 'giveBack', handle: 0 }, 4);
    expect(result).toEqual({ kind: 'ok', value: undefined });
    expect(queued(world, 'alpha')?.get('n')).toEqual({ metadata: 'old', mtimeMs: 4 });
    expect(checkedOut(world, 'alpha')?.size).toBe(0);
    expect(world.spool.tmp.size).toBe(0);
    expect(world.spool.registry.get('n')).toBe(4);
    expect(world.handles[0]?.released).toBe(true);
    expect(step(world, { kind: 'giveBack', handle: 0 }, 5).result).toEqual({ kind: 'error', error: 'released' });
  });

  it('giveBack of an entry another handle moved meanwhile: notFound; of one removed meanwhile: noSuchEntry', () => {
    const twice = apply(held, { kind: 'listCheckoutsUnsafe', queue: 'alpha' }, 3);
    const moved = apply(twice, { kind: 'save', handle: 1, queue: 'beta' }, 4);
    expect(step(moved, { kind: 'giveBack', handle: 0 }, 5).result).toEqual({ kind: 'error', error: 'notFound' });
    const removed = apply(twice, { kind: 'remove', handle: 1 }, 4);
    expect(step(removed, { kind: 'giveBack', handle: 0 }, 5).result).toEqual({ kind: 'error', error: 'noSuchEntry' });
  });

  it('remove unlinks checkout file, data and registry, and releases the handle', () => {
    const { world, result } = step(held, { kind: 'remove', handle: 0 }, 4);
    expect(result).toEqual({ kind: 'ok', value: undefined });
    expect(world.spool).toEqual(empty.spool);
    expect(world.handles[0]?.released).toBe(true);
  });

  it('a released handle refuses update, save and remove with released, changing nothing', () => {
    const spent = apply(held, { kind: 'remove', handle: 0 }, 4);
    for (const op of [
      { kind: 'update', handle: 0, metadata: 'x' },
      { kind: 'save', handle: 0, queue: 'alpha' },
      { kind: 'remove', handle: 0 },
    ] as const) {
      const out = step(spent, op, 5);
      expect(out.result).toEqual({ kind: 'error', error: 'released' });
      expect(out.world).toEqual(spent);
    }
  });

  it('a handle index that does not exist is a caller bug (throws)', () => {
    expect(() => step(held, { kind: 'remove', handle: 3 }, 4)).toThrow(/no handle/);
  });
});

describe('listCheckoutsUnsafe and its aliases', () => {
  let w = empty;
  for (const n of ['b', 'a']) w = withEntry(w, 'alpha', n, 1);
  w = apply(apply(w, { kind: 'checkout', queue: 'alpha', name: 'b' }, 2), { kind: 'checkout', queue: 'alpha', name: 'a' }, 3);

  it('returns the checked-out entries in name order, each with a new handle; touches nothing', () => {
    const { world, result } = step(w, { kind: 'listCheckoutsUnsafe', queue: 'alpha' }, 9);
    expect(result).toEqual({
      kind: 'ok',
      value: [
        { name: 'a', handle: 2, contents: 'm-a' },
        { name: 'b', handle: 3, contents: 'm-b' },
      ],
    });
    expect(world.spool).toEqual(w.spool);
    expect(world.handles.slice(2)).toEqual([
      { queue: 'alpha', name: 'a', contents: 'm-a', released: false },
      { queue: 'alpha', name: 'b', contents: 'm-b', released: false },
    ]);
  });

  // Handles: 0 = b, 1 = a (checkout), 2 = a, 3 = b (aliases).
  const aliased = apply(w, { kind: 'listCheckoutsUnsafe', queue: 'alpha' }, 4);

  it('save after the alias removed the entry: recreates the checkout file, then fails with noSuchEntry', () => {
    const removed = apply(aliased, { kind: 'remove', handle: 2 }, 5);
    const out = step(removed, { kind: 'update', handle: 1, metadata: 'late' }, 6);
    const { world, result } = step(out.world, { kind: 'save', handle: 1, queue: 'beta' }, 7);
    expect(result).toEqual({ kind: 'error', error: 'noSuchEntry' });
    expect(checkedOut(world, 'alpha')?.get('a')).toEqual({ metadata: 'late', mtimeMs: 7 });
    expect(world.spool.registry.has('a')).toBe(false);
    expect(world.spool.tmp.size).toBe(0);
    expect(world.handles[1]?.released).toBe(false);
  });

  it('save after the alias saved the entry: recreates and moves it, so it is in two queues', () => {
    const saved = apply(aliased, { kind: 'save', handle: 2, queue: 'beta' }, 5);
    const { world, result } = step(saved, { kind: 'save', handle: 1, queue: 'alpha' }, 6);
    expect(result).toEqual({ kind: 'ok', value: undefined });
    expect(queued(world, 'beta')?.get('a')).toEqual({ metadata: 'm-a', mtimeMs: 5 });
    expect(queued(world, 'alpha')?.get('a')).toEqual({ metadata: 'm-a', mtimeMs: 6 });
    expect(checkedOut(world, 'alpha')?.has('a')).toBe(false);
  });

  it('remove after the alias saved the entry: notFound, the registry mtime is now, the handle stays live', () => {
    const saved = apply(aliased, { kind: 'save', handle: 3, queue: 'beta' }, 5);
    const { world, result } = step(saved, { kind: 'remove', handle: 0 }, 8);
    expect(result).toEqual({ kind: 'error', error: 'notFound' });
    expect(world.spool.registry.get('b')).toBe(8);
    expect(queued(world, 'beta')?.get('b')).toEqual({ metadata: 'm-b', mtimeMs: 5 });
    expect(world.handles[0]?.released).toBe(false);
  });

  it('remove after the alias removed the entry: noSuchEntry, nothing changed', () => {
    const removed = apply(aliased, { kind: 'remove', handle: 3 }, 5);
    const out = step(removed, { kind: 'remove', handle: 0 }, 8);
    expect(out.result).toEqual({ kind: 'error', error: 'noSuchEntry' });
    expect(out.world).toEqual(removed);
  });
});

describe('dequeueAvailable', () => {
  it('checks out the first name in code-unit order', () => {
    let w = empty;
    for (const n of ['n2', 'n10', 'n1']) w = withEntry(w, 'alpha', n, 1);
    const { world, result } = step(w, { kind: 'dequeueAvailable', queue: 'alpha' }, 5);
    expect(result).toEqual({ kind: 'ok', value: { name: 'n1', handle: 0, contents: 'm-n1' } });
    expect(checkedOut(world, 'alpha')?.get('n1')?.mtimeMs).toBe(5);
    expect([...(queued(world, 'alpha')?.keys() ?? [])].sort()).toEqual(['n10', 'n2']);
  });

  it('skips names it cannot check out and returns undefined when none', () => {
    const w: W = { spool: spoolOf({ registry: { b: 1 }, alpha: { a: 1, b: 1 }, data: { a: 'x', b: 'y' } }), handles: [] };
    const { world, result } = step(w, { kind: 'dequeueAvailable', queue: 'alpha' }, 5);
    expect(result).toEqual({ kind: 'ok', value: { name: 'b', handle: 0, contents: 'm-b' } });
    expect(queued(world, 'alpha')?.get('a')).toEqual({ metadata: 'm-a', mtimeMs: 1 });
    const none = step(world, { kind: 'dequeueAvailable', queue: 'alpha' }, 6);
    expect(none.result).toEqual({ kind: 'ok', value: undefined });
    expect(none.world).toEqual(world);
    expect(step(empty, { kind: 'dequeueAvailable', queue: 'beta' }, 6).result).toEqual({ kind: 'ok', value: undefined });
  });
});

describe('purity', () => {
  it('never changes the world it is given', () => {
    const w = withEntry(empty, 'alpha', 'n', 1);
    const snapshot = structuredClone(w);
    step(w, { kind: 'checkout', queue: 'alpha', name: 'n' }, 2);
    step(w, { kind: 'directRemove', queue: 'alpha', name: 'n' }, 2);
    step(w, { kind: 'enqueue', queue: 'beta', metadata: 'x', data: 'y', name: { reserve: names('z'), maxAttempts: 1 } }, 2);
    expect(w).toEqual(snapshot);
  });

  it('an unknown queue is a caller bug (throws)', () => {
    expect(() => step(empty, { kind: 'list', queue: 'gamma' }, 1)).toThrow(/unknown queue/);
  });
});
