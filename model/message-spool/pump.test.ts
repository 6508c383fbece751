import { describe, expect, it } from 'vitest';
import { nextDue } from './pump.ts';
import { initialModel, putEntry, type ModelState } from './state.ts';
import { step } from './step.ts';
import { addOp, presend, run, sent } from './test-support.ts';

const starts = (s: ModelState): readonly string[] => s.attemptsStarted.map((a) => a.id);

describe('starting an attempt', () => {
  it('deletes due, sets sending in memory, checks the disk entry out unchanged, records the start', () => {
    const s = run(initialModel({ startMs: 1000 }), addOp(['m1']));
    expect(s.running).toEqual(['m1']);
    expect(s.attemptsStarted).toEqual([{ id: 'm1', at: 1000 }]);
    expect(s.due.size).toBe(0);
    expect(s.memory.get('m1')?.status).toEqual({ kind: 'sending' });
    const entry = s.disk.get('m1');
    expect(entry?.queue).toBe('active');
    expect(entry?.checkedOut).toBe(true);
    expect(entry?.record.status).toEqual({ kind: 'sendNow' });
    const { status: _memStatus, ...memRest } = s.memory.get('m1')!;
    const { status: _diskStatus, ...diskRest } = entry!.record;
    expect(memRest).toEqual(diskRest);
  });

  it('does not start a frozen message, nor a sendAt before its time', () => {
    const s = run(initialModel(), addOp(['f'], 'frozen'), addOp(['d'], 'sendNow', [100]), sent('d', 'tryLater'));
    expect(s.running).toEqual([]);
    expect(s.due.get('d')).toBe(100);
    const before = run(s, { kind: 'tick', ms: 99 });
    expect(before.running).toEqual([]);
    const at = run(before, { kind: 'tick', ms: 1 });
    expect(at.running).toEqual(['d']);
    expect(at.attemptsStarted).toEqual([
      { id: 'd', at: 0 },
      { id: 'd', at: 100 },
    ]);
  });
});

describe('pump order', () => {
  it('starts in order of due time first', () => {
    let s = run(
      initialModel({ maxConcurrentJobs: 10 }),
      { kind: 'add', ids: ['m1'], envelopes: [{ sender: 's', recipients: ['r'], body: 'b', retryIntervals: [300] }], initialStatus: 'sendNow', parentId: 'p' },
      { kind: 'add', ids: ['m2'], envelopes: [{ sender: 's', recipients: ['r'], body: 'b', retryIntervals: [100] }], initialStatus: 'sendNow', parentId: 'p' },
      { kind: 'add', ids: ['m3'], envelopes: [{ sender: 's', recipients: ['r'], body: 'b', retryIntervals: [200] }], initialStatus: 'sendNow', parentId: 'p' },
    );
    s = run(s, sent('m1', 'tryLater'), sent('m2', 'tryLater'), sent('m3', 'tryLater'));
    expect(s.running).toEqual([]);
    s = run(s, { kind: 'tick', ms: 300 });
    expect(s.running).toEqual(['m2', 'm3', 'm1']);
  });

  it('breaks ties of due time by plain string order of ids', () => {
    const s = run(initialModel({ maxConcurrentJobs: 1 }), addOp(['b', 'a', 'C', '9', '10']));
    expect(s.running).toEqual(['10']);
    const order = run(s, sent('10', 'done'), sent('9', 'done'), sent('C', 'done'), sent('a', 'done'));
    expect(starts(order)).toEqual(['10', '9', 'C', 'a', 'b']);
  });

  it('nextDue is the least (due, id) at or before now', () => {
    const base = initialModel({ startMs: 50 });
    const s: ModelState = { ...base, due: new Map([['z', 10], ['a', 20], ['b', 10], ['late', 51]]) };
    expect(nextDue(s)).toBe('b');
    expect(nextDue({ ...s, due: new Map([['late', 51]]) })).toBeUndefined();
  });
});

describe('the concurrency limit', () => {
  it('starts at most maxConcurrentJobs attempts; an ending attempt lets the next one start', () => {
    let s = run(initialModel({ maxConcurrentJobs: 2 }), addOp(['a', 'b', 'c', 'd']));
    expect(s.running).toEqual(['a', 'b']);
    expect([...s.due.keys()].sort()).toEqual(['c', 'd']);
    s = run(s, sent('b', 'done'));
    expect(s.running).toEqual(['a', 'c']);
    s = run(s, sent('a', 'done'), sent('c', 'done'));
    expect(s.running).toEqual(['d']);
  });

  it('setMaxConcurrentJobs lowering the limit lets running attempts go on and starts no new one until below it', () => {
    let s = run(initialModel({ maxConcurrentJobs: 3 }), addOp(['a', 'b', 'c', 'd', 'e']));
    expect(s.running).toEqual(['a', 'b', 'c']);
    const lowered = step(s, { kind: 'setMaxConcurrentJobs', n: 1 });
    expect(lowered.result).toEqual({ kind: 'done' });
    s = lowered.state;
    expect(s.maxConcurrentJobs).toBe(1);
    expect(s.running).toEqual(['a', 'b', 'c']);
    s = run(s, sent('a', 'done'));
    expect(s.running).toEqual(['b', 'c']);
    s = run(s, sent('b', 'done'));
    expect(s.running).toEqual(['c']);
    s = run(s, sent('c', 'done'));
    expect(s.running).toEqual(['d']);
    s = run(s, { kind: 'setMaxConcurrentJobs', n: 2 });
    expect(s.running).toEqual(['d', 'e']);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses setMaxConcurrentJobs(%s) with invalidArgument', (n) => {
    const s = run(initialModel({ maxConcurrentJobs: 2 }), addOp(['a', 'b', 'c']));
    const out = step(s, { kind: 'setMaxConcurrentJobs', n });
    expect(out.result).toEqual({ kind: 'error', error: 'invalidArgument' });
    expect(out.state.maxConcurrentJobs).toBe(2);
    expect(out.state.running).toEqual(['a', 'b']);
  });
});

describe('a start whose checkout fails', () => {
  it('leaves the message stuck (no due, status kept, not running, not recorded) and goes on with the next', () => {
    // a harness-fed state: m1 due, but its disk record differs from memory; m2 due and fine.
    const frozenBoth = run(initialModel({ maxConcurrentJobs: 1 }), { kind: 'killAndFlush' }, addOp(['m1', 'm2']));
    expect(frozenBoth.running).toEqual([]);
    const m1 = frozenBoth.disk.get('m1')!;
    const tampered = putEntry({ ...frozenBoth, killed: false, flushWaiters: [] }, 'm1', { ...m1, record: { ...m1.record, attempts: 7 } });
    const s = step(tampered, { kind: 'countFromDisk' }).state;
    expect(s.running).toEqual(['m2']);
    expect(s.attemptsStarted.map((a) => a.id)).toEqual(['m2']);
    expect(s.memory.get('m1')?.status).toEqual({ kind: 'sendNow' });
    expect(s.due.has('m1')).toBe(false);
    expect(s.disk.get('m1')).toEqual({ ...m1, record: { ...m1.record, attempts: 7 } });
  });

  it('treats a missing disk entry as notFound: stuck, not started', () => {
    const waiting = run(initialModel(), { kind: 'killAndFlush' }, addOp(['m1']));
    const disk = new Map(waiting.disk);
    disk.delete('m1');
    const s = step({ ...waiting, killed: false, disk }, { kind: 'tick', ms: 0 }).state;
    expect(s.running).toEqual([]);
    expect(s.attemptsStarted).toEqual([]);
    expect(s.due.size).toBe(0);
    expect(s.memory.get('m1')?.status).toEqual({ kind: 'sendNow' });
  });

  it('a presend sendAt in the past starts the message again at once', () => {
    const s = run(initialModel({ startMs: 500 }), addOp(['m']), presend('m', { kind: 'sendAt', at: 400 }));
    expect(s.running).toEqual(['m']);
    expect(s.attemptsStarted).toEqual([
      { id: 'm', at: 500 },
      { id: 'm', at: 500 },
    ]);
  });
});
