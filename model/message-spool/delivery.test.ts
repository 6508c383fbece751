import { describe, expect, it } from 'vitest';
import { initialModel } from './state.ts';
import { step } from './step.ts';
import { addOp, presend, run, sent } from './test-support.ts';
import type { MessageRecord } from './types.ts';

const T0 = 10_000;
/** One sendNow message `m` (recipients x, y), started at T0. */
const started = () => run(initialModel({ startMs: T0 }), { kind: 'add', ids: ['m'], envelopes: [{ sender: 's', recipients: ['x', 'y'], body: 'hello' }], initialStatus: 'sendNow', parentId: 'p' });

describe('a presend hook that fails', () => {
  it('is try later without a sender call: the next interval is used up, no attempt is counted', () => {
    const s = run(started(), { kind: 'resolve', id: 'm', outcome: { presend: { kind: 'failed' } } });
    const rec = s.memory.get('m') as MessageRecord;
    expect(rec.status).toEqual({ kind: 'sendAt', at: T0 + 60_000 });
    expect(rec.retryIntervals).toEqual([300_000, 1_800_000]);
    expect(rec.attempts).toBe(0);
    expect(s.running).toEqual([]);
  });
});

describe('the sender answers', () => {
  it('done: the entry is removed, the message dropped from memory, event delivered at now', () => {
    const s = run(started(), { kind: 'tick', ms: 5 }, sent('m', 'done'));
    expect(s.disk.has('m')).toBe(false);
    expect(s.memory.has('m')).toBe(false);
    expect(s.due.has('m')).toBe(false);
    expect(s.running).toEqual([]);
    expect(s.events).toEqual([
      { kind: 'spooled', id: 'm', at: T0 },
      { kind: 'delivered', id: 'm', at: T0 + 5 },
    ]);
  });

  it('tryLater consumes the retry intervals one by one, then freezes when none is left', () => {
    let s = run(started(), sent('m', 'tryLater'));
    let rec = s.memory.get('m') as MessageRecord;
    expect(rec.status).toEqual({ kind: 'sendAt', at: T0 + 60_000 });
    expect(rec.retryIntervals).toEqual([300_000, 1_800_000]);
    expect(rec.attempts).toBe(1);
    expect(s.disk.get('m')).toEqual({ queue: 'active', checkedOut: false, record: rec, body: 'hello' });
    expect(s.due.get('m')).toBe(T0 + 60_000);
    expect(s.events.at(-1)).toEqual({ kind: 'delayed', id: 'm', at: T0, until: T0 + 60_000 });

    s = run(s, { kind: 'tick', ms: 60_000 });
    expect(s.running).toEqual(['m']);
    s = run(s, { kind: 'tick', ms: 7 }, sent('m', 'tryLater'));
    const t2 = T0 + 60_007;
    expect(s.memory.get('m')?.status).toEqual({ kind: 'sendAt', at: t2 + 300_000 });
    expect(s.memory.get('m')?.retryIntervals).toEqual([1_800_000]);
    expect(s.events.at(-1)).toEqual({ kind: 'delayed', id: 'm', at: t2, until: t2 + 300_000 });

    s = run(s, { kind: 'tick', ms: 300_000 }, sent('m', 'tryLater'));
    expect(s.memory.get('m')?.retryIntervals).toEqual([]);
    expect(s.memory.get('m')?.attempts).toBe(3);

    s = run(s, { kind: 'tick', ms: 1_800_000 }, sent('m', 'tryLater'));
    rec = s.memory.get('m') as MessageRecord;
    expect(rec.status).toEqual({ kind: 'frozen' });
    expect(rec.attempts).toBe(4);
    expect(rec.remainingRecipients).toEqual(['x', 'y']);
    expect(s.disk.get('m')).toEqual({ queue: 'frozen', checkedOut: false, record: rec, body: 'hello' });
    expect(s.due.has('m')).toBe(false);
    expect(s.events.at(-1)).toEqual({ kind: 'frozen', id: 'm', at: T0 + 60_007 + 300_000 + 1_800_000 });
    expect(s.attemptsStarted).toHaveLength(4);
  });

  it('tryLater with an envelope of no retry intervals freezes at once', () => {
    const s = run(initialModel(), addOp(['m'], 'sendNow', []), sent('m', 'tryLater'));
    expect(s.memory.get('m')?.status).toEqual({ kind: 'frozen' });
    expect(s.disk.get('m')?.queue).toBe('frozen');
    expect(s.events.map((e) => e.kind)).toEqual(['spooled', 'frozen']);
  });

  it('failPermanently moves the remaining recipients to the failed ones and freezes', () => {
    const s = run(started(), sent('m', 'failPermanently'));
    const rec = s.memory.get('m') as MessageRecord;
    expect(rec.status).toEqual({ kind: 'frozen' });
    expect(rec.remainingRecipients).toEqual([]);
    expect(rec.failedRecipients).toEqual(['x', 'y']);
    expect(rec.recipients).toEqual(['x', 'y']);
    expect(rec.attempts).toBe(1);
    expect(rec.retryIntervals).toEqual([60_000, 300_000, 1_800_000]);
    expect(s.disk.get('m')).toEqual({ queue: 'frozen', checkedOut: false, record: rec, body: 'hello' });
    expect(s.events.at(-1)).toEqual({ kind: 'frozen', id: 'm', at: T0 });
  });
});

describe('the presend hook decides', () => {
  it('freeze: frozen, saved into frozen, the sender is not called (attempts unchanged)', () => {
    const s = run(started(), presend('m', { kind: 'freeze' }));
    const rec = s.memory.get('m') as MessageRecord;
    expect(rec.status).toEqual({ kind: 'frozen' });
    expect(rec.attempts).toBe(0);
    expect(s.disk.get('m')?.queue).toBe('frozen');
    expect(s.events.at(-1)).toEqual({ kind: 'frozen', id: 'm', at: T0 });
  });

  it('remove: moved to removed, dropped from memory', () => {
    const s = run(started(), presend('m', { kind: 'remove' }));
    expect(s.memory.has('m')).toBe(false);
    expect(s.disk.get('m')?.queue).toBe('removed');
    expect(s.disk.get('m')?.record.status).toEqual({ kind: 'removed' });
    expect(s.disk.get('m')?.record.attempts).toBe(0);
    expect(s.events.at(-1)).toEqual({ kind: 'removed', id: 'm', at: T0 });
  });

  it('sendAt: delayed to its time, intervals kept, due at that time', () => {
    const s = run(started(), presend('m', { kind: 'sendAt', at: T0 + 42 }));
    const rec = s.memory.get('m') as MessageRecord;
    expect(rec.status).toEqual({ kind: 'sendAt', at: T0 + 42 });
    expect(rec.retryIntervals).toEqual([60_000, 300_000, 1_800_000]);
    expect(rec.attempts).toBe(0);
    expect(s.disk.get('m')).toEqual({ queue: 'active', checkedOut: false, record: rec, body: 'hello' });
    expect(s.due.get('m')).toBe(T0 + 42);
    expect(s.events.at(-1)).toEqual({ kind: 'delayed', id: 'm', at: T0, until: T0 + 42 });
    expect(s.running).toEqual([]);
  });

  it('the outcome is applied to the record as it was before sending (a sendAt message that starts)', () => {
    const s = run(started(), sent('m', 'tryLater'), { kind: 'tick', ms: 60_000 });
    expect(s.disk.get('m')?.record.status).toEqual({ kind: 'sendAt', at: T0 + 60_000 });
    const after = run(s, presend('m', { kind: 'freeze' }));
    expect(after.memory.get('m')).toEqual({ ...s.disk.get('m')?.record, status: { kind: 'frozen' } });
  });
});

describe('harness bugs throw', () => {
  it('resolve of an id that has no attempt running', () => {
    expect(() => step(started(), sent('other', 'done'))).toThrow(/no attempt running/);
    const frozen = run(initialModel(), addOp(['f'], 'frozen'));
    expect(() => step(frozen, sent('f', 'done'))).toThrow(/no attempt running/);
  });

  it('presend sendNow without a send outcome', () => {
    expect(() => step(started(), presend('m', { kind: 'sendNow' }))).toThrow(/without a send outcome/);
  });
});
