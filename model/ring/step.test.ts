import { describe, expect, it } from 'vitest';
import { step, type Op } from './operations.ts';
import { initialRingState, itemBoundaries, publishedItems, unpublishedItem, type RingModelState } from './state.ts';
import { capacityOf, type RingGeometry } from './types.ts';

/** 4 sectors of 512 bytes: one data sector, T = 512. */
const G1: RingGeometry = { sectorSize: 512, sectorCount: 4 };
/** 5 sectors of 512 bytes: T = 1024. */
const G2: RingGeometry = { sectorSize: 512, sectorCount: 5 };

/** `n` recognisable bytes. */
const bytes = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, k) => (seed * 31 + k * 7) & 0xff);

/** Applies `op`; the result must be `ok`; returns the new state. */
function ok(s: RingModelState, op: Op): RingModelState {
  const out = step(s, op);
  expect(out.result.kind, `${op.kind}: ${JSON.stringify(out.result)}`).toBe('ok');
  return out.state;
}

/** Applies every op in order, each of which must be `ok`. */
const okAll = (s: RingModelState, ...ops: Op[]): RingModelState => ops.reduce(ok, s);

/** A created ring of geometry `g` with both ends attached. */
const attached = (g: RingGeometry = G1): RingModelState => okAll(initialRingState(g), { kind: 'create' }, { kind: 'producerAttach' }, { kind: 'consumerAttach' });

/** Pushes and publishes `item`; returns the state. */
function publish(s: RingModelState, item: Uint8Array): RingModelState {
  const out = step(s, { kind: 'push', item });
  if (out.result.kind !== 'ok') throw new Error(`push: ${JSON.stringify(out.result)}`);
  return ok(out.state, { kind: 'producerAdvance', position: out.result.value });
}

/** The consumer has asked to suspend; the producer has not acknowledged: (S, A) = (T, F). */
const pendingSuspend = (g: RingGeometry = G1): RingModelState => ok(attached(g), { kind: 'suspend' });

/** Suspended and acknowledged, then resumed; the producer has not acknowledged the resume: (F, T). */
function pendingResume(g: RingGeometry = G1): RingModelState {
  const acked = step(pendingSuspend(g), { kind: 'producerState' }).state;
  return ok(acked, { kind: 'resume' });
}

const flags = (s: RingModelState) => ({ S: s.S, A: s.A });
const errorOf = (r: { kind: string; error?: string }) => (r.kind === 'error' ? r.error : r.kind);

describe('geometry and create', () => {
  it('derives T from the geometry', () => {
    expect(capacityOf(G1)).toBe(512);
    expect(capacityOf({ sectorSize: 4096, sectorCount: 10 })).toBe(7 * 4096);
    expect(initialRingState(G2).T).toBe(1024);
  });

  it.each([
    { sectorSize: 500, sectorCount: 8 },
    { sectorSize: 514, sectorCount: 8 },
    { sectorSize: 256, sectorCount: 8 },
    { sectorSize: 512, sectorCount: 3 },
  ])('refuses a bad geometry %o in create and both attaches', (g) => {
    const s = initialRingState(g);
    for (const kind of ['create', 'producerAttach', 'consumerAttach'] as const) {
      const out = step(s, { kind });
      expect(errorOf(out.result)).toBe('geometry');
      expect(out.state).toBe(s);
    }
  });

  it('create makes an empty ring with both flags false', () => {
    const s = ok(initialRingState(G1), { kind: 'create' });
    expect(s).toMatchObject({ created: true, P: 0, C: 0, S: false, A: false, items: [] });
  });

  it('create on a ring that exists changes nothing', () => {
    const s = publish(attached(), bytes(10));
    const out = step(s, { kind: 'create' });
    expect(out.result).toEqual({ kind: 'ok', value: undefined });
    expect(out.state).toBe(s);
  });

  it('attaching before create is notInitialised, for both ends', () => {
    const s = initialRingState(G1);
    for (const kind of ['producerAttach', 'consumerAttach'] as const) {
      const out = step(s, { kind });
      expect(errorOf(out.result)).toBe('notInitialised');
      expect(out.state).toBe(s);
    }
  });
});

describe('producer attach', () => {
  it('attaches with nothing pending', () => {
    const s = ok(ok(initialRingState(G1), { kind: 'create' }), { kind: 'producerAttach' });
    expect(s.producer).toEqual({ status: 'attached', pending: undefined });
  });

  it('on a suspended ring writes the ack and returns suspended, making no handle', () => {
    const s = okAll(initialRingState(G1), { kind: 'create' }, { kind: 'consumerAttach' }, { kind: 'suspend' });
    expect(flags(s)).toEqual({ S: true, A: false });
    const out = step(s, { kind: 'producerAttach' });
    expect(out.result).toEqual({ kind: 'suspended' });
    expect(flags(out.state)).toEqual({ S: true, A: true });
    expect(out.state.producer.status).toBe('absent');
    expect(step(out.state, { kind: 'consumerState' }).result).toEqual({ kind: 'ok', value: 'suspended' });
  });

  it('acknowledges a pending resume and attaches', () => {
    const s = ok(pendingResume(), { kind: 'producerDetach' });
    expect(flags(s)).toEqual({ S: false, A: true });
    const after = ok(s, { kind: 'producerAttach' });
    expect(flags(after)).toEqual({ S: false, A: false });
    expect(after.producer.status).toBe('attached');
  });

  it('throws when a producer is already attached (one producer)', () => {
    expect(() => step(attached(), { kind: 'producerAttach' })).toThrow(/already|while a producer is attached/);
  });

  it('a new handle after detach cannot publish the old handle’s pending item, which stays in the stream', () => {
    const pushed = step(attached(), { kind: 'push', item: bytes(8) });
    if (pushed.result.kind !== 'ok') throw new Error('push');
    const old = pushed.result.value;
    const s = okAll(pushed.state, { kind: 'producerDetach' }, { kind: 'producerAttach' });
    expect(s.producer).toEqual({ status: 'attached', pending: undefined });
    expect(unpublishedItem(s)).toEqual({ at: 0, item: bytes(8) });
    expect(errorOf(step(s, { kind: 'producerAdvance', position: old }).result)).toBe('badPosition');
  });
});

describe('push', () => {
  it('writes at P without publishing and returns P + 4 + roundup4(L)', () => {
    const out = step(attached(), { kind: 'push', item: bytes(5) });
    expect(out.result).toEqual({ kind: 'ok', value: 12 });
    expect(out.state.P).toBe(0);
    expect(out.state.producer.pending).toBe(12);
    expect(out.state.items).toEqual([{ at: 0, item: bytes(5) }]);
    expect(publishedItems(out.state)).toEqual([]);
    expect(step(out.state, { kind: 'pop' }).result).toEqual({ kind: 'retry' });
  });

  it('a second push without advance replaces the first', () => {
    const first = step(attached(), { kind: 'push', item: bytes(20, 1) });
    const second = step(first.state, { kind: 'push', item: bytes(3, 2) });
    expect(first.result).toEqual({ kind: 'ok', value: 24 });
    expect(second.result).toEqual({ kind: 'ok', value: 8 });
    expect(second.state.items).toEqual([{ at: 0, item: bytes(3, 2) }]);
    expect(errorOf(step(second.state, { kind: 'producerAdvance', position: 24 }).result)).toBe('badPosition');
    const s = ok(second.state, { kind: 'producerAdvance', position: 8 });
    expect(step(s, { kind: 'pop' }).result).toEqual({ kind: 'ok', value: { next: 8, item: bytes(3, 2) } });
  });

  it('keeps its own copy of the item', () => {
    const item = bytes(4);
    const s = step(attached(), { kind: 'push', item }).state;
    item[0] = 99;
    expect(s.items[0]?.item).toEqual(bytes(4));
  });

  it('an item that exactly fills the ring fits; then the ring is exactly full: retry', () => {
    const s = publish(attached(), bytes(508));
    expect(s.P - s.C).toBe(s.T);
    const out = step(s, { kind: 'push', item: new Uint8Array(0) });
    expect(out.result).toEqual({ kind: 'retry' });
    expect(out.state).toBe(s);
  });

  it('retry when T - (P - C) < needed, ok when equal', () => {
    const s = publish(attached(), bytes(400)); // 404 used, 108 free
    expect(step(s, { kind: 'push', item: bytes(105) }).result).toEqual({ kind: 'retry' }); // needs 112
    expect(step(s, { kind: 'push', item: bytes(104) }).result).toEqual({ kind: 'ok', value: 512 }); // needs 108
  });

  it('tooLarge when needed > T, even on an empty ring', () => {
    const s = attached();
    const out = step(s, { kind: 'push', item: bytes(509) }); // 4 + 512 > 512
    expect(errorOf(out.result)).toBe('tooLarge');
    expect(out.state).toBe(s);
  });

  it('tooLarge for L >= 2^31 before the suspend check (no ack written)', () => {
    const huge = Object.defineProperty(new Uint8Array(0), 'length', { value: 2 ** 31 });
    const s = pendingSuspend();
    const out = step(s, { kind: 'push', item: huge });
    expect(errorOf(out.result)).toBe('tooLarge');
    expect(out.state).toBe(s);
    expect(flags(out.state)).toEqual({ S: true, A: false });
  });

  it('suspended: writes the ack, writes nothing else', () => {
    const s = pendingSuspend();
    const out = step(s, { kind: 'push', item: bytes(4) });
    expect(out.result).toEqual({ kind: 'suspended' });
    expect(out.state).toEqual({ ...s, A: true });
  });

  it('acknowledges a resume even when it then fails with tooLarge or retry', () => {
    const tooLarge = step(pendingResume(), { kind: 'push', item: bytes(600) });
    expect(errorOf(tooLarge.result)).toBe('tooLarge');
    expect(flags(tooLarge.state)).toEqual({ S: false, A: false });

    const full = publish(attached(), bytes(508));
    const suspendedThenResumed = okAll(full, { kind: 'suspend' });
    const acked = step(suspendedThenResumed, { kind: 'producerState' }).state;
    const retry = step(ok(acked, { kind: 'resume' }), { kind: 'push', item: bytes(1) });
    expect(retry.result).toEqual({ kind: 'retry' });
    expect(flags(retry.state)).toEqual({ S: false, A: false });
  });

  it('on a detached handle: detached; on a handle never attached: throws', () => {
    const s = ok(attached(), { kind: 'producerDetach' });
    expect(errorOf(step(s, { kind: 'push', item: bytes(1) }).result)).toBe('detached');
    const noProducer = okAll(initialRingState(G1), { kind: 'create' }, { kind: 'consumerAttach' });
    expect(() => step(noProducer, { kind: 'push', item: bytes(1) })).toThrow(/never attached/);
  });
});

describe('producer advance', () => {
  it('publishes the pending item: P moves, nothing pending', () => {
    const pushed = step(attached(), { kind: 'push', item: bytes(10) });
    const s = ok(pushed.state, { kind: 'producerAdvance', position: 16 });
    expect(s.P).toBe(16);
    expect(s.producer.pending).toBeUndefined();
    expect(publishedItems(s)).toEqual([{ at: 0, item: bytes(10) }]);
  });

  it('position === P: ok without effect, not even the suspend check', () => {
    const s = publish(pendingResume(), bytes(0)); // publish acks A := F; make a pending suspend next
    const suspended = ok(s, { kind: 'suspend' });
    const out = step(suspended, { kind: 'producerAdvance', position: suspended.P });
    expect(out.result).toEqual({ kind: 'ok', value: undefined });
    expect(out.state).toBe(suspended);
  });

  it('position === P with a push pending keeps the pending item', () => {
    const pushed = step(attached(), { kind: 'push', item: bytes(4) }).state;
    const out = step(pushed, { kind: 'producerAdvance', position: 0 });
    expect(out.result.kind).toBe('ok');
    expect(out.state).toBe(pushed);
  });

  it('badPosition unless the position is what the last push returned (checked before the suspend check)', () => {
    const s = pendingSuspend();
    const noPush = step(s, { kind: 'producerAdvance', position: 8 });
    expect(errorOf(noPush.result)).toBe('badPosition');
    expect(noPush.state).toBe(s);

    const pushed = step(attached(), { kind: 'push', item: bytes(4) }).state; // pending 8
    const suspended = ok(pushed, { kind: 'suspend' });
    for (const position of [4, 12, 7, -8]) {
      const out = step(suspended, { kind: 'producerAdvance', position });
      expect(errorOf(out.result)).toBe('badPosition');
      expect(out.state).toBe(suspended);
    }
  });

  it('re-checks suspend: a consumer suspending between push and advance gets nothing published', () => {
    const pushed = step(attached(), { kind: 'push', item: bytes(4) });
    expect(pushed.result).toEqual({ kind: 'ok', value: 8 });
    const suspended = ok(pushed.state, { kind: 'suspend' });
    const out = step(suspended, { kind: 'producerAdvance', position: 8 });
    expect(out.result).toEqual({ kind: 'suspended' });
    expect(out.state.P).toBe(0);
    expect(flags(out.state)).toEqual({ S: true, A: true });
    expect(out.state.producer.pending).toBe(8);
    expect(step(out.state, { kind: 'consumerState' }).result).toEqual({ kind: 'ok', value: 'suspended' });
    expect(step(out.state, { kind: 'pop' }).result).toEqual({ kind: 'retry' });

    // after resume, the same advance acknowledges and publishes
    const resumed = ok(out.state, { kind: 'resume' });
    const published = ok(resumed, { kind: 'producerAdvance', position: 8 });
    expect(published.P).toBe(8);
    expect(flags(published)).toEqual({ S: false, A: false });
  });

  it('detached → detached; never attached → throws', () => {
    const s = ok(attached(), { kind: 'producerDetach' });
    expect(errorOf(step(s, { kind: 'producerAdvance', position: 0 }).result)).toBe('detached');
    const created = ok(initialRingState(G1), { kind: 'create' });
    expect(() => step(created, { kind: 'producerAdvance', position: 0 })).toThrow(/never attached/);
  });
});

describe('producer state and detach', () => {
  it('running, suspended (acknowledging), running again (acknowledging)', () => {
    expect(step(attached(), { kind: 'producerState' }).result).toEqual({ kind: 'ok', value: 'running' });
    const out = step(pendingSuspend(), { kind: 'producerState' });
    expect(out.result).toEqual({ kind: 'ok', value: 'suspended' });
    expect(flags(out.state)).toEqual({ S: true, A: true });
    const again = step(pendingResume(), { kind: 'producerState' });
    expect(again.result).toEqual({ kind: 'ok', value: 'running' });
    expect(flags(again.state)).toEqual({ S: false, A: false });
  });

  it('detach refuses every later call; twice is harmless; the ring is untouched', () => {
    const before = publish(attached(), bytes(4));
    const s = ok(before, { kind: 'producerDetach' });
    expect(s.producer).toEqual({ status: 'detached', pending: undefined });
    expect({ ...s, producer: before.producer }).toEqual(before);
    expect(errorOf(step(s, { kind: 'producerState' }).result)).toBe('detached');
    expect(step(s, { kind: 'producerDetach' }).result.kind).toBe('ok');
  });

  it('state and detach on a handle never attached throw', () => {
    const created = ok(initialRingState(G1), { kind: 'create' });
    expect(() => step(created, { kind: 'producerState' })).toThrow(/never attached/);
    expect(() => step(created, { kind: 'producerDetach' })).toThrow(/never attached/);
  });
});

describe('consumer attach and detach', () => {
  it('attaches on a created ring; a second attach throws', () => {
    const s = ok(ok(initialRingState(G1), { kind: 'create' }), { kind: 'consumerAttach' });
    expect(s.consumer).toBe('attached');
    expect(() => step(s, { kind: 'consumerAttach' })).toThrow(/while a consumer is attached/);
  });

  it('attaches on a suspended ring (only the producer reports suspended at attach)', () => {
    const s = okAll(attached(), { kind: 'suspend' }, { kind: 'consumerDetach' });
    const out = step(s, { kind: 'consumerAttach' });
    expect(out.result).toEqual({ kind: 'ok', value: undefined });
    expect(out.state.consumer).toBe('attached');
  });

  it('detach refuses every later call, twice is harmless; never attached throws', () => {
    const s = ok(attached(), { kind: 'consumerDetach' });
    expect(s.consumer).toBe('detached');
    expect(step(s, { kind: 'consumerDetach' }).result.kind).toBe('ok');
    const ops: Op[] = [
      { kind: 'pop' },
      { kind: 'fold' },
      { kind: 'consumerAdvance', position: 0 },
      { kind: 'suspend' },
      { kind: 'resume' },
      { kind: 'consumerState' },
    ];
    const never = ok(ok(initialRingState(G1), { kind: 'create' }), { kind: 'producerAttach' });
    for (const op of ops) {
      const out = step(s, op);
      expect(errorOf(out.result), op.kind).toBe('detached');
      expect(out.state).toBe(s);
      expect(() => step(never, op), op.kind).toThrow(/never attached/);
    }
    expect(() => step(never, { kind: 'consumerDetach' })).toThrow(/never attached/);
  });
});

describe('pop', () => {
  const three = (): RingModelState => [bytes(1, 1), bytes(6, 2), bytes(12, 3)].reduce(publish, attached(G2));

  it('pops at C by default, without consuming', () => {
    const s = three();
    const first = step(s, { kind: 'pop' });
    expect(first.result).toEqual({ kind: 'ok', value: { next: 8, item: bytes(1, 1) } });
    expect(first.state).toBe(s);
    expect(step(s, { kind: 'pop' }).result).toEqual(first.result);
  });

  it('pops from any item boundary', () => {
    const s = three();
    expect(itemBoundaries(s)).toEqual([0, 8, 20, 36]);
    expect(step(s, { kind: 'pop', from: 8 }).result).toEqual({ kind: 'ok', value: { next: 20, item: bytes(6, 2) } });
    expect(step(s, { kind: 'pop', from: 20 }).result).toEqual({ kind: 'ok', value: { next: 36, item: bytes(12, 3) } });
  });

  it('retry when from === P (nothing published after it)', () => {
    expect(step(attached(), { kind: 'pop' }).result).toEqual({ kind: 'retry' });
    expect(step(three(), { kind: 'pop', from: 36 }).result).toEqual({ kind: 'retry' });
  });

  it('badPosition: not a multiple of 4, below C, above P', () => {
    const s = ok(three(), { kind: 'consumerAdvance', position: 8 });
    for (const from of [10, 2.5, 0, 4, 40, 1000, -4]) {
      expect(errorOf(step(s, { kind: 'pop', from }).result), String(from)).toBe('badPosition');
    }
  });

  it('throws for an allowed position that is not an item boundary', () => {
    expect(() => step(three(), { kind: 'pop', from: 12 })).toThrow(/not an item boundary/);
  });

  it('returns a copy of the item', () => {
    const s = three();
    const r = step(s, { kind: 'pop' }).result;
    if (r.kind !== 'ok') throw new Error('pop');
    r.value.item[0] = 200;
    expect(s.items[0]?.item).toEqual(bytes(1, 1));
  });
});

describe('fold', () => {
  const three = (): RingModelState => [bytes(1, 1), bytes(6, 2), bytes(12, 3)].reduce(publish, attached(G2));

  it('collects every published item from C, not the unpublished one', () => {
    const s = step(three(), { kind: 'push', item: bytes(2, 9) }).state;
    const out = step(s, { kind: 'fold' });
    expect(out.result).toEqual({ kind: 'ok', value: { position: 36, items: [bytes(1, 1), bytes(6, 2), bytes(12, 3)] } });
    expect(out.state).toBe(s);
  });

  it('from a boundary; from P gives nothing', () => {
    const s = three();
    expect(step(s, { kind: 'fold', from: 20 }).result).toEqual({ kind: 'ok', value: { position: 36, items: [bytes(12, 3)] } });
    expect(step(s, { kind: 'fold', from: 36 }).result).toEqual({ kind: 'ok', value: { position: 36, items: [] } });
    expect(step(attached(), { kind: 'fold' }).result).toEqual({ kind: 'ok', value: { position: 0, items: [] } });
  });

  it('returns a pop error as is; throws for a non-boundary', () => {
    expect(errorOf(step(three(), { kind: 'fold', from: 40 }).result)).toBe('badPosition');
    expect(errorOf(step(three(), { kind: 'fold', from: 6 }).result)).toBe('badPosition');
    expect(() => step(three(), { kind: 'fold', from: 16 })).toThrow(/not an item boundary/);
  });
});

describe('consumer advance', () => {
  it('releases: C moves, the items before it leave the stream, space comes back', () => {
    const full = publish(attached(), bytes(508));
    expect(step(full, { kind: 'push', item: bytes(4) }).result).toEqual({ kind: 'retry' });
    const s = ok(full, { kind: 'consumerAdvance', position: 512 });
    expect(s.C).toBe(512);
    expect(s.items).toEqual([]);
    expect(step(s, { kind: 'push', item: bytes(4) }).result).toEqual({ kind: 'ok', value: 520 });
  });

  it('to C or to an inner boundary', () => {
    const s = [bytes(4, 1), bytes(4, 2)].reduce(publish, attached());
    const same = ok(s, { kind: 'consumerAdvance', position: 0 });
    expect(same).toEqual(s);
    const half = ok(s, { kind: 'consumerAdvance', position: 8 });
    expect(half.items).toEqual([{ at: 8, item: bytes(4, 2) }]);
    expect(itemBoundaries(half)).toEqual([8, 16]);
    expect(step(half, { kind: 'pop' }).result).toEqual({ kind: 'ok', value: { next: 16, item: bytes(4, 2) } });
  });

  it('keeps the unpublished item', () => {
    const s = step(publish(attached(), bytes(4)), { kind: 'push', item: bytes(4, 7) }).state;
    const after = ok(s, { kind: 'consumerAdvance', position: 8 });
    expect(after.items).toEqual([{ at: 8, item: bytes(4, 7) }]);
    expect(after.producer.pending).toBe(16);
  });

  it('badPosition: not a multiple of 4, below C, above P (even the pending end)', () => {
    const s = ok([bytes(4, 1), bytes(4, 2)].reduce(publish, attached()), { kind: 'consumerAdvance', position: 8 });
    const pushed = step(s, { kind: 'push', item: bytes(4) }).state; // pending 24
    for (const position of [10, 0, 4, 20, 24, 1.5]) {
      const out = step(pushed, { kind: 'consumerAdvance', position });
      expect(errorOf(out.result), String(position)).toBe('badPosition');
      expect(out.state).toBe(pushed);
    }
  });

  it('throws for an allowed position that is not an item boundary', () => {
    const s = publish(attached(), bytes(20));
    expect(() => step(s, { kind: 'consumerAdvance', position: 12 })).toThrow(/not an item boundary/);
  });
});

describe('suspend handshake (docs/ring-protocol.md)', () => {
  it('runs the whole sequence', () => {
    let s = attached();
    expect(flags(s)).toEqual({ S: false, A: false }); // (F,F) running

    s = ok(s, { kind: 'suspend' });
    expect(flags(s)).toEqual({ S: true, A: false }); // (T,F) pending
    expect(step(s, { kind: 'consumerState' }).result).toEqual({ kind: 'ok', value: 'running' });
    for (const kind of ['suspend', 'resume'] as const) {
      const out = step(s, { kind });
      expect(out.result).toEqual({ kind: 'retry' });
      expect(out.state).toBe(s);
    }

    const pushed = step(s, { kind: 'push', item: bytes(4) });
    expect(pushed.result).toEqual({ kind: 'suspended' });
    s = pushed.state;
    expect(flags(s)).toEqual({ S: true, A: true }); // (T,T) suspended
    expect(s.items).toEqual([]);
    expect(step(s, { kind: 'consumerState' }).result).toEqual({ kind: 'ok', value: 'suspended' });
    expect(step(s, { kind: 'producerState' }).result).toEqual({ kind: 'ok', value: 'suspended' });
    expect(step(s, { kind: 'push', item: bytes(4) }).result).toEqual({ kind: 'suspended' });

    s = ok(s, { kind: 'resume' });
    expect(flags(s)).toEqual({ S: false, A: true }); // (F,T)
    expect(step(s, { kind: 'consumerState' }).result).toEqual({ kind: 'ok', value: 'suspended' });
    expect(step(s, { kind: 'suspend' }).result).toEqual({ kind: 'retry' });

    const next = step(s, { kind: 'push', item: bytes(4) });
    expect(next.result).toEqual({ kind: 'ok', value: 8 });
    expect(flags(next.state)).toEqual({ S: false, A: false });
    expect(step(next.state, { kind: 'consumerState' }).result).toEqual({ kind: 'ok', value: 'running' });
  });

  it('suspend and resume are ok when acknowledged, even if they change nothing', () => {
    const s = attached();
    expect(ok(s, { kind: 'resume' })).toEqual(s);
    const suspended = step(pendingSuspend(), { kind: 'producerState' }).state;
    expect(ok(suspended, { kind: 'suspend' })).toEqual(suspended);
  });
});

describe('positions past T (wrap-around)', () => {
  it('keep growing; items that straddle the end of the data area come back whole', () => {
    let s = attached(); // T = 512
    const items: Uint8Array[] = [];
    for (let i = 0; i < 10; i++) {
      const item = bytes(197, i); // needed 204: items straddle the 512-byte boundary
      items.push(item);
      s = publish(s, item);
      const popped = step(s, { kind: 'pop' }).result;
      expect(popped).toEqual({ kind: 'ok', value: { next: (i + 1) * 204, item } });
      s = ok(s, { kind: 'consumerAdvance', position: (i + 1) * 204 });
    }
    expect(s.P).toBe(2040);
    expect(s.C).toBe(2040);
    expect(s.P).toBeGreaterThan(s.T);
    expect(s.items).toEqual([]);
  });

  it('fill, release half, refill past T', () => {
    let s = [bytes(252, 1), bytes(252, 2)].reduce(publish, attached()); // 256 each: full
    expect(step(s, { kind: 'push', item: bytes(1) }).result).toEqual({ kind: 'retry' });
    s = ok(s, { kind: 'consumerAdvance', position: 256 });
    s = publish(s, bytes(252, 3));
    expect(s.P).toBe(768);
    expect(step(s, { kind: 'fold' }).result).toEqual({ kind: 'ok', value: { position: 768, items: [bytes(252, 2), bytes(252, 3)] } });
  });
});
