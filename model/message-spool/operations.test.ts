import { describe, expect, it } from 'vitest';
import { initialModel, putEntry, type ModelState } from './state.ts';
import { step } from './step.ts';
import { addOp, envelope, perId, run, sent } from './test-support.ts';
import type { MessageRecord, ModelOp } from './types.ts';

const T0 = 1_000;
const fresh = (maxConcurrentJobs = 100) => initialModel({ startMs: T0, maxConcurrentJobs });

/** `ids` added frozen at T0. */
const frozen = (...ids: string[]) => run(fresh(), addOp(ids, 'frozen'));

/** `id` in sendAt(T0 + 60 000) after one tryLater. */
const delayed = (id: string, s: ModelState = fresh()) => run(s, addOp([id]), sent(id, 'tryLater'));

describe('add', () => {
  it('spools sendNow messages: records, disk entries, memory, due now, events spooled, in order', () => {
    const s0 = run(fresh(), { kind: 'killAndFlush' });
    const out = step(s0, { kind: 'add', ids: ['b', 'a'], envelopes: [envelope('b', ['r1', 'r2']), envelope('a', ['r3'], [5, 6])], initialStatus: 'sendNow', parentId: 'P' });
    expect(out.result).toEqual({ kind: 'ids', ids: ['b', 'a'] });
    const s = out.state;
    const b: MessageRecord = {
      id: 'b',
      parentId: 'P',
      spoolDate: T0,
      status: { kind: 'sendNow' },
      sender: 'b@from.example',
      recipients: ['r1', 'r2'],
      remainingRecipients: ['r1', 'r2'],
      failedRecipients: [],
      retryIntervals: [60_000, 300_000, 1_800_000],
      attempts: 0,
    };
    expect(s.memory.get('b')).toEqual(b);
    expect(s.disk.get('b')).toEqual({ queue: 'active', checkedOut: false, record: b, body: 'body of b' });
    expect(s.memory.get('a')?.retryIntervals).toEqual([5, 6]);
    expect([...s.due.entries()].sort()).toEqual([
      ['a', T0],
      ['b', T0],
    ]);
    expect(s.events).toEqual([
      { kind: 'spooled', id: 'b', at: T0 },
      { kind: 'spooled', id: 'a', at: T0 },
    ]);
    // killed: the messages wait, no attempt starts
    expect(s.running).toEqual([]);
  });

  it('uses the configured retry intervals by default', () => {
    const s = run(initialModel({ retryIntervals: [7] }), addOp(['m'], 'frozen'));
    expect(s.memory.get('m')?.retryIntervals).toEqual([7]);
  });

  it('spools frozen messages into frozen, with no due time and no attempt', () => {
    const s = frozen('f');
    expect(s.disk.get('f')?.queue).toBe('frozen');
    expect(s.memory.get('f')?.status).toEqual({ kind: 'frozen' });
    expect(s.due.size).toBe(0);
    expect(s.running).toEqual([]);
    expect(s.events).toEqual([{ kind: 'spooled', id: 'f', at: T0 }]);
  });

  it('throws on harness bugs: ids and envelopes of different lengths, an id used already, an id twice', () => {
    expect(() => step(fresh(), { kind: 'add', ids: ['a', 'b'], envelopes: [envelope('a')], initialStatus: 'sendNow', parentId: 'p' })).toThrow();
    expect(() => step(frozen('a'), addOp(['a']))).toThrow();
    expect(() => step(fresh(), addOp(['a', 'a']))).toThrow();
  });
});

describe('quarantine', () => {
  it('spools into quarantine with status quarantined(reason), not in memory, event quarantined', () => {
    const out = step(fresh(), { kind: 'quarantine', ids: ['q1', 'q2'], reason: 'virus', envelopes: [envelope('q1'), envelope('q2')], parentId: 'P' });
    expect(out.result).toEqual({ kind: 'ids', ids: ['q1', 'q2'] });
    const s = out.state;
    expect(s.disk.get('q1')?.queue).toBe('quarantine');
    expect(s.disk.get('q1')?.record.status).toEqual({ kind: 'quarantined', reason: 'virus' });
    expect(s.disk.get('q1')?.record.spoolDate).toBe(T0);
    expect(s.memory.size).toBe(0);
    expect(s.due.size).toBe(0);
    expect(s.running).toEqual([]);
    expect(s.events).toEqual([
      { kind: 'quarantined', id: 'q1', at: T0, reason: 'virus' },
      { kind: 'quarantined', id: 'q2', at: T0, reason: 'virus' },
    ]);
  });

  it('is allowed while killed', () => {
    const s = run(fresh(), { kind: 'killAndFlush' }, { kind: 'quarantine', ids: ['q'], reason: 'r', envelopes: [envelope('q')], parentId: 'P' });
    expect(s.disk.get('q')?.queue).toBe('quarantine');
  });
});

describe('freeze', () => {
  it('answers per id: notFound, busy (sending), ok for frozen (no change), ok for sendAt (frozen, due deleted)', () => {
    let s = run(fresh(), addOp(['run']));
    s = delayed('late', s);
    s = run(s, addOp(['f'], 'frozen'));
    const eventsBefore = s.events.length;
    const out = step(s, { kind: 'freeze', ids: ['nope', 'run', 'f', 'late'] });
    expect(perId(out.result)).toEqual([
      { id: 'nope', result: 'notFound' },
      { id: 'run', result: 'busy' },
      { id: 'f', result: 'ok' },
      { id: 'late', result: 'ok' },
    ]);
    const t = out.state;
    expect(t.memory.get('late')?.status).toEqual({ kind: 'frozen' });
    expect(t.disk.get('late')?.queue).toBe('frozen');
    expect(t.disk.get('late')?.record).toEqual(t.memory.get('late'));
    expect(t.due.has('late')).toBe(false);
    expect(t.memory.get('run')?.status).toEqual({ kind: 'sending' });
    expect(t.events.slice(eventsBefore)).toEqual([{ kind: 'frozen', id: 'late', at: T0 }]);
  });

  it('freezes a sendNow message waiting for a free job; a repeated id sees it frozen', () => {
    const s = run(fresh(1), addOp(['a', 'b']));
    expect(s.running).toEqual(['a']);
    const out = step(s, { kind: 'freeze', ids: ['b', 'b'] });
    expect(perId(out.result)).toEqual([
      { id: 'b', result: 'ok' },
      { id: 'b', result: 'ok' },
    ]);
    expect(out.state.events.filter((e) => e.kind === 'frozen')).toHaveLength(1);
    const after = run(out.state, sent('a', 'done'));
    expect(after.running).toEqual([]);
  });

  it('answers changedOnDisk when the disk record differs, and changes nothing', () => {
    const s = delayed('m');
    const entry = s.disk.get('m')!;
    const tampered = putEntry(s, 'm', { ...entry, record: { ...entry.record, sender: 'someone else' } });
    const out = step(tampered, { kind: 'freeze', ids: ['m'] });
    expect(perId(out.result)).toEqual([{ id: 'm', result: 'changedOnDisk' }]);
    expect(out.state.disk).toEqual(tampered.disk);
    expect(out.state.memory).toEqual(tampered.memory);
    expect(out.state.due).toEqual(tampered.due);
    expect(out.state.events).toEqual(tampered.events);
  });

  it('answers notFound when the entry is not in the queue its in-memory status names', () => {
    const s = delayed('m');
    const entry = s.disk.get('m')!;
    const elsewhere = putEntry(s, 'm', { ...entry, queue: 'frozen' });
    expect(perId(step(elsewhere, { kind: 'freeze', ids: ['m'] }).result)).toEqual([{ id: 'm', result: 'notFound' }]);
    const checkedOut = putEntry(s, 'm', { ...entry, checkedOut: true });
    expect(perId(step(checkedOut, { kind: 'freeze', ids: ['m'] }).result)).toEqual([{ id: 'm', result: 'notFound' }]);
  });
});

describe('send', () => {
  it('sends a frozen message now: intervals prepended, failed recipients back to remaining, due now, event unfrozen, started', () => {
    let s = run(fresh(), { kind: 'add', ids: ['m'], envelopes: [envelope('m', ['x', 'y'])], initialStatus: 'sendNow', parentId: 'p' }, sent('m', 'failPermanently'));
    expect(s.memory.get('m')?.failedRecipients).toEqual(['x', 'y']);
    s = run(s, { kind: 'tick', ms: 10 });
    const out = step(s, { kind: 'send', which: { ids: ['m'] }, retryIntervals: [1, 2] });
    expect(perId(out.result)).toEqual([{ id: 'm', result: 'ok' }]);
    const t = out.state;
    const onDisk = t.disk.get('m')!;
    expect(onDisk.record.status).toEqual({ kind: 'sendNow' });
    expect(onDisk.record.retryIntervals).toEqual([1, 2, 60_000, 300_000, 1_800_000]);
    expect(onDisk.record.remainingRecipients).toEqual(['x', 'y']);
    expect(onDisk.record.failedRecipients).toEqual([]);
    expect(onDisk.record.attempts).toBe(1);
    expect(onDisk.queue).toBe('active');
    expect(t.events.at(-1)).toEqual({ kind: 'unfrozen', id: 'm', at: T0 + 10 });
    // the pump at the end of the op started it
    expect(t.running).toEqual(['m']);
    expect(t.attemptsStarted.at(-1)).toEqual({ id: 'm', at: T0 + 10 });
    const retried = run(t, sent('m', 'tryLater'));
    expect(retried.memory.get('m')?.status).toEqual({ kind: 'sendAt', at: T0 + 11 });
    expect(retried.memory.get('m')?.retryIntervals).toEqual([2, 60_000, 300_000, 1_800_000]);
  });

  it('sends a sendAt message now without an event', () => {
    const s = delayed('m');
    const n = s.events.length;
    const t = step(s, { kind: 'send', which: { ids: ['m'] }, retryIntervals: [] }).state;
    expect(t.events.length).toBe(n);
    expect(t.running).toEqual(['m']);
    expect(t.disk.get('m')?.record.status).toEqual({ kind: 'sendNow' });
  });

  it('answers ok and changes nothing for sendNow and sending; notFound for unknown ids', () => {
    const s = run(fresh(1), addOp(['a', 'b']));
    const out = step(s, { kind: 'send', which: { ids: ['a', 'b', 'zz'] }, retryIntervals: [9] });
    expect(perId(out.result)).toEqual([
      { id: 'a', result: 'ok' },
      { id: 'b', result: 'ok' },
      { id: 'zz', result: 'notFound' },
    ]);
    expect(out.state.memory).toEqual(s.memory);
    expect(out.state.disk).toEqual(s.disk);
    expect(out.state.due).toEqual(s.due);
  });

  it('handles a repeated id in the order given: the second sees it sendNow', () => {
    const s = frozen('f');
    const out = step(s, { kind: 'send', which: { ids: ['f', 'f'] }, retryIntervals: [3] });
    expect(perId(out.result)).toEqual([
      { id: 'f', result: 'ok' },
      { id: 'f', result: 'ok' },
    ]);
    expect(out.state.disk.get('f')?.record.retryIntervals).toEqual([3, 60_000, 300_000, 1_800_000]);
    expect(out.state.events.filter((e) => e.kind === 'unfrozen')).toHaveLength(1);
  });

  it('{ all } takes the frozen and sendAt messages by id; { frozenOnly } the frozen ones', () => {
    let s = run(fresh(), addOp(['f2', 'f1'], 'frozen'));
    s = delayed('d', s);
    s = run(s, { kind: 'setMaxConcurrentJobs', n: 1 }, addOp(['x1', 'x2']));
    // x1 runs (sending), x2 waits (sendNow): neither is a target
    expect(s.running).toEqual(['x1']);
    const all = step(s, { kind: 'send', which: { all: true }, retryIntervals: [] });
    expect(perId(all.result).map((r) => r.id)).toEqual(['d', 'f1', 'f2']);
    expect(perId(all.result).every((r) => r.result === 'ok')).toBe(true);
    const frozenOnly = step(s, { kind: 'send', which: { frozenOnly: true }, retryIntervals: [] });
    expect(perId(frozenOnly.result).map((r) => r.id)).toEqual(['f1', 'f2']);
    expect(frozenOnly.state.memory.get('d')?.status.kind).toBe('sendAt');
  });
});

describe('remove', () => {
  it('answers notFound, notFrozen, and moves a frozen message to removed (dropped from memory, event removed)', () => {
    let s = run(fresh(), addOp(['f'], 'frozen'), addOp(['run']));
    s = delayed('late', s);
    const out = step(s, { kind: 'remove', ids: ['nope', 'run', 'late', 'f', 'f'] });
    expect(perId(out.result)).toEqual([
      { id: 'nope', result: 'notFound' },
      { id: 'run', result: 'notFrozen' },
      { id: 'late', result: 'notFrozen' },
      { id: 'f', result: 'ok' },
      { id: 'f', result: 'notFound' },
    ]);
    const t = out.state;
    expect(t.memory.has('f')).toBe(false);
    expect(t.disk.get('f')?.queue).toBe('removed');
    expect(t.disk.get('f')?.record.status).toEqual({ kind: 'removed' });
    expect(t.disk.get('f')?.body).toBe('body of f');
    expect(t.events.at(-1)).toEqual({ kind: 'removed', id: 'f', at: T0 });
  });
});

describe('recover', () => {
  it('recovers a quarantined message: frozen, into frozen, in memory, event recovered; then it can be sent', () => {
    let s = run(fresh(), { kind: 'quarantine', ids: ['q'], reason: 'spam', envelopes: [envelope('q')], parentId: 'P' }, { kind: 'tick', ms: 3 });
    const out = step(s, { kind: 'recover', ids: ['q'], from: 'quarantine' });
    expect(perId(out.result)).toEqual([{ id: 'q', result: 'ok' }]);
    s = out.state;
    const rec = s.memory.get('q') as MessageRecord;
    expect(rec.status).toEqual({ kind: 'frozen' });
    expect(rec.spoolDate).toBe(T0);
    expect(rec.remainingRecipients).toEqual(['q@to.example']);
    expect(s.disk.get('q')).toEqual({ queue: 'frozen', checkedOut: false, record: rec, body: 'body of q' });
    expect(s.events.at(-1)).toEqual({ kind: 'recovered', id: 'q', at: T0 + 3, from: 'quarantine' });
    s = run(s, { kind: 'send', which: { frozenOnly: true }, retryIntervals: [] }, sent('q', 'done'));
    expect(s.disk.has('q')).toBe(false);
    expect(s.events.at(-1)).toEqual({ kind: 'delivered', id: 'q', at: T0 + 3 });
  });

  it('recovers a removed message from removed', () => {
    const s = run(frozen('f'), { kind: 'remove', ids: ['f'] });
    const out = step(s, { kind: 'recover', ids: ['f'], from: 'removed' });
    expect(perId(out.result)).toEqual([{ id: 'f', result: 'ok' }]);
    expect(out.state.memory.get('f')?.status).toEqual({ kind: 'frozen' });
    expect(out.state.disk.get('f')?.queue).toBe('frozen');
  });

  it('answers busy for an in-memory message and notFound when the entry is not in `from` (or is checked out)', () => {
    let s = run(frozen('f'), { kind: 'quarantine', ids: ['q'], reason: 'r', envelopes: [envelope('q')], parentId: 'P' });
    const q = s.disk.get('q')!;
    s = run(s, { kind: 'quarantine', ids: ['qc'], reason: 'r', envelopes: [envelope('qc')], parentId: 'P' });
    s = putEntry(s, 'qc', { ...s.disk.get('qc')!, checkedOut: true });
    const out = step(s, { kind: 'recover', ids: ['f', 'q', 'nope', 'qc', 'q'], from: 'removed' });
    expect(perId(out.result)).toEqual([
      { id: 'f', result: 'busy' },
      { id: 'q', result: 'notFound' },
      { id: 'nope', result: 'notFound' },
      { id: 'qc', result: 'notFound' },
      { id: 'q', result: 'notFound' },
    ]);
    expect(out.state.disk.get('q')).toEqual(q);
    const twice = step(s, { kind: 'recover', ids: ['q', 'q'], from: 'quarantine' });
    expect(perId(twice.result)).toEqual([
      { id: 'q', result: 'ok' },
      { id: 'q', result: 'busy' },
    ]);
  });
});

describe('withFile failures in send and remove', () => {
  it('send and remove answer changedOnDisk / notFound and change nothing', () => {
    const s = frozen('f', 'g');
    const f = s.disk.get('f')!;
    const g = s.disk.get('g')!;
    let t = putEntry(s, 'f', { ...f, record: { ...f.record, attempts: 1 } });
    t = putEntry(t, 'g', { ...g, queue: 'removed' });
    for (const op of [
      { kind: 'send', which: { ids: ['f', 'g'] }, retryIntervals: [] },
      { kind: 'remove', ids: ['f', 'g'] },
    ] as const) {
      const out = step(t, op);
      expect(perId(out.result)).toEqual([
        { id: 'f', result: 'changedOnDisk' },
        { id: 'g', result: 'notFound' },
      ]);
      expect(out.state).toEqual(t);
    }
  });
});

describe('refused while killed', () => {
  const ops: readonly ModelOp[] = [
    { kind: 'freeze', ids: ['d'] },
    { kind: 'send', which: { all: true }, retryIntervals: [] },
    { kind: 'send', which: { ids: ['f'] }, retryIntervals: [] },
    { kind: 'remove', ids: ['f'] },
    { kind: 'recover', ids: ['r'], from: 'removed' },
  ];
  it.each(ops)('%o answers killed as a whole and changes nothing', (op) => {
    let s = run(fresh(), addOp(['f', 'r'], 'frozen'), { kind: 'remove', ids: ['r'] });
    s = run(delayed('d', s), { kind: 'killAndFlush' });
    const out = step(s, op);
    expect(out.result).toEqual({ kind: 'error', error: 'killed' });
    expect(out.state).toEqual(s);
  });
});

describe('countFromDisk', () => {
  it('counts active and frozen entries, checked out or not, and not removed nor quarantined ones', () => {
    let s = run(fresh(1), addOp(['a1', 'a2']), addOp(['f1', 'f2', 'r'], 'frozen'), { kind: 'remove', ids: ['r'] });
    s = run(s, { kind: 'quarantine', ids: ['q'], reason: 'x', envelopes: [envelope('q')], parentId: 'P' });
    expect(s.disk.get('a1')?.checkedOut).toBe(true);
    const out = step(s, { kind: 'countFromDisk' });
    expect(out.result).toEqual({ kind: 'count', count: 4 });
    expect(step(run(s, sent('a1', 'done')), { kind: 'countFromDisk' }).result).toEqual({ kind: 'count', count: 3 });
  });
});
