import { describe, expect, it } from 'vitest';
import { initialModel } from './state.ts';
import { step } from './step.ts';
import { addOp, run, sent } from './test-support.ts';

const T0 = 100;
const twoRunning = () => run(initialModel({ startMs: T0 }), addOp(['a', 'b']));

describe('killAndFlush', () => {
  it('with nothing running: killed, finished at once', () => {
    const out = step(run(initialModel(), addOp(['f'], 'frozen')), { kind: 'killAndFlush', timeoutMs: 50 });
    expect(out.result).toEqual({ kind: 'flush', waiter: 0 });
    expect(out.state.killed).toBe(true);
    expect(out.state.flushWaiters).toEqual([{ deadline: 50, outcome: 'finished' }]);
  });

  it('with attempts running: pending until the last one ends, then finished', () => {
    let s = step(twoRunning(), { kind: 'killAndFlush' }).state;
    expect(s.flushWaiters).toEqual([{ deadline: undefined, outcome: 'pending' }]);
    s = run(s, sent('a', 'done'));
    expect(s.flushWaiters[0]?.outcome).toBe('pending');
    s = run(s, sent('b', 'tryLater'));
    expect(s.flushWaiters[0]?.outcome).toBe('finished');
    // the retry's due time is kept but never fires
    expect(s.due.get('b')).toBe(T0 + 60_000);
    s = run(s, { kind: 'tick', ms: 10_000_000 });
    expect(s.running).toEqual([]);
    expect(s.attemptsStarted).toHaveLength(2);
  });

  it('times out on the clock; a timed-out waiter stays timeout, a waiter without timeout finishes later', () => {
    let s = step(twoRunning(), { kind: 'killAndFlush', timeoutMs: 1000 }).state;
    const second = step(s, { kind: 'killAndFlush' });
    expect(second.result).toEqual({ kind: 'flush', waiter: 1 });
    s = run(second.state, { kind: 'tick', ms: 999 });
    expect(s.flushWaiters.map((w) => w.outcome)).toEqual(['pending', 'pending']);
    s = run(s, { kind: 'tick', ms: 1 });
    expect(s.flushWaiters).toEqual([
      { deadline: T0 + 1000, outcome: 'timeout' },
      { deadline: undefined, outcome: 'pending' },
    ]);
    s = run(s, sent('a', 'done'), sent('b', 'done'));
    expect(s.flushWaiters.map((w) => w.outcome)).toEqual(['timeout', 'finished']);
  });

  it('a timeout of 0 with attempts running is timeout at once', () => {
    const s = step(twoRunning(), { kind: 'killAndFlush', timeoutMs: 0 }).state;
    expect(s.flushWaiters).toEqual([{ deadline: T0, outcome: 'timeout' }]);
    expect(run(s, sent('a', 'done'), sent('b', 'done')).flushWaiters[0]?.outcome).toBe('timeout');
  });

  it('keeps the waiting messages untouched and starts nothing after it, not even new adds', () => {
    let s = run(initialModel({ startMs: T0, maxConcurrentJobs: 1 }), addOp(['a', 'b']), addOp(['f'], 'frozen'));
    s = run(s, { kind: 'killAndFlush' });
    const waiting = s.memory.get('b');
    s = run(s, sent('a', 'done'), addOp(['c']), { kind: 'tick', ms: 1 }, { kind: 'setMaxConcurrentJobs', n: 5 });
    expect(s.running).toEqual([]);
    expect(s.memory.get('b')).toEqual(waiting);
    expect(s.due.get('b')).toBe(T0);
    expect(s.due.get('c')).toBe(T0);
    expect(s.memory.get('f')?.status).toEqual({ kind: 'frozen' });
    expect(s.flushWaiters[0]?.outcome).toBe('finished');
  });
});
