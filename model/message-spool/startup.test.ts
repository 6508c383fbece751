import { describe, expect, it } from 'vitest';
import { initialModel, putEntry, type ModelState } from './state.ts';
import { step } from './step.ts';
import { addOp, envelope, run, sent } from './test-support.ts';
import type { DiskEntry, MessageRecord, Queue, Status } from './types.ts';

const T0 = 500;

/** A record for `id` with `status`, as a harness might find it on disk. */
function record(id: string, status: Status): MessageRecord {
  return { id, parentId: 'p', spoolDate: 0, status, sender: 's', recipients: ['r'], remainingRecipients: ['r'], failedRecipients: [], retryIntervals: [], attempts: 0 };
}

/** A state whose disk holds `entries` (id, queue, checked out, status), nothing in memory. */
function onDisk(entries: readonly [string, Queue, boolean, Status][], config = {}): ModelState {
  return entries.reduce<ModelState>(
    (s, [id, queue, checkedOut, status]) => putEntry(s, id, { queue, checkedOut, record: record(id, status), body: `body ${id}` } satisfies DiskEntry),
    initialModel({ startMs: T0, ...config }),
  );
}

describe('restart', () => {
  it('puts a message that was being sent back into active and sends it again (at least once)', () => {
    const before = run(initialModel({ startMs: T0 }), addOp(['m']), { kind: 'tick', ms: 20 });
    expect(before.running).toEqual(['m']);
    const out = step(before, { kind: 'restart' });
    expect(out.result).toEqual({ kind: 'restarted', putBack: ['m'] });
    const s = out.state;
    expect(s.running).toEqual(['m']);
    expect(s.attemptsStarted).toEqual([
      { id: 'm', at: T0 },
      { id: 'm', at: T0 + 20 },
    ]);
    expect(s.events).toEqual(before.events);
    expect(s.memory.get('m')?.status).toEqual({ kind: 'sending' });
    expect(s.disk.get('m')?.record).toEqual(before.disk.get('m')?.record);
    const delivered = run(s, sent('m', 'done'));
    expect(delivered.disk.size).toBe(0);
  });

  it('loses memory, running attempts, killed, the concurrency limit and the flush waiters; keeps events', () => {
    let s = run(initialModel({ startMs: T0, maxConcurrentJobs: 2 }), addOp(['a', 'b', 'c', 'd']), { kind: 'setMaxConcurrentJobs', n: 3 });
    expect(s.running).toEqual(['a', 'b', 'c']);
    s = run(s, { kind: 'killAndFlush' });
    const out = step(s, { kind: 'restart' });
    expect(out.result).toEqual({ kind: 'restarted', putBack: ['a', 'b', 'c'] });
    const t = out.state;
    expect(t.killed).toBe(false);
    expect(t.flushWaiters).toEqual([]);
    expect(t.maxConcurrentJobs).toBe(2);
    expect(t.running).toEqual(['a', 'b']);
    expect([...t.due.entries()]).toEqual([
      ['c', T0],
      ['d', T0],
    ]);
    expect(t.events).toEqual(s.events);
  });

  it('loads active and frozen: sendAt due at its time, frozen not due; removed and quarantined stay out of memory', () => {
    let s = run(initialModel({ startMs: T0 }), addOp(['late']), sent('late', 'tryLater'), addOp(['f', 'r'], 'frozen'), { kind: 'remove', ids: ['r'] });
    s = run(s, { kind: 'quarantine', ids: ['q'], reason: 'x', envelopes: [envelope('q')], parentId: 'P' });
    const out = step(s, { kind: 'restart' });
    expect(out.result).toEqual({ kind: 'restarted', putBack: [] });
    const t = out.state;
    expect([...t.memory.keys()].sort()).toEqual(['f', 'late']);
    expect(t.memory.get('late')).toEqual(s.memory.get('late'));
    expect([...t.due.entries()]).toEqual([['late', T0 + 60_000]]);
    expect(t.running).toEqual([]);
    expect(run(t, { kind: 'tick', ms: 60_000 }).running).toEqual(['late']);
  });

  it('puts checkouts back where their status says, reporting them in queue order then by name', () => {
    const s = onDisk([
      ['z', 'quarantine', true, { kind: 'quarantined', reason: 'x' }],
      ['b', 'active', true, { kind: 'frozen' }],
      ['a', 'active', true, { kind: 'sendNow' }],
      ['y', 'removed', true, { kind: 'removed' }],
      ['c', 'frozen', true, { kind: 'sendAt', at: T0 + 5 }],
      ['idle', 'frozen', false, { kind: 'frozen' }],
    ]);
    const out = step(s, { kind: 'restart' });
    expect(out.result).toEqual({ kind: 'restarted', putBack: ['a', 'b', 'c', 'y', 'z'] });
    const t = out.state;
    const where = (id: string) => [t.disk.get(id)?.queue, t.disk.get(id)?.checkedOut];
    expect(where('b')).toEqual(['frozen', false]);
    expect(where('c')).toEqual(['active', false]);
    expect(where('y')).toEqual(['removed', false]);
    expect(where('z')).toEqual(['quarantine', false]);
    expect(where('a')).toEqual(['active', true]); // started again by the pump
    expect(t.running).toEqual(['a']);
    expect(t.due.get('c')).toBe(T0 + 5);
    expect(t.memory.get('b')?.status).toEqual({ kind: 'frozen' });
    expect(t.events).toEqual([]);
  });

  it('removes a checked-out entry whose record says delivered, without reporting it', () => {
    const out = step(onDisk([['d', 'active', true, { kind: 'delivered' }]]), { kind: 'restart' });
    expect(out.result).toEqual({ kind: 'restarted', putBack: [] });
    expect(out.state.disk.has('d')).toBe(false);
    expect(out.state.memory.has('d')).toBe(false);
  });

  it('schedules a foreign `sending` record now and starts it', () => {
    const t = step(onDisk([['s', 'active', false, { kind: 'sending' }]]), { kind: 'restart' }).state;
    expect(t.running).toEqual(['s']);
    expect(t.disk.get('s')?.record.status).toEqual({ kind: 'sending' });
    const retried = run(t, sent('s', 'tryLater'));
    // no retry intervals left: frozen
    expect(retried.disk.get('s')?.queue).toBe('frozen');
  });

  it('a sendNow record sitting in frozen (a crash state) is loaded but stuck: its checkout from active fails', () => {
    const t = step(onDisk([['m', 'frozen', false, { kind: 'sendNow' }]]), { kind: 'restart' }).state;
    expect(t.running).toEqual([]);
    expect(t.attemptsStarted).toEqual([]);
    expect(t.memory.get('m')?.status).toEqual({ kind: 'sendNow' });
    expect(t.due.has('m')).toBe(false);
    const out = step(t, { kind: 'freeze', ids: ['m'] });
    expect(out.result).toEqual({ kind: 'perId', results: [{ id: 'm', result: 'notFound' }] });
  });
});
