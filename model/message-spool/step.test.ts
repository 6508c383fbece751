import { describe, expect, it } from 'vitest';
import { initialModel, statusOf, DEFAULT_MAX_CONCURRENT_JOBS, DEFAULT_RETRY_INTERVALS } from './state.ts';
import { step } from './step.ts';
import { addOp, envelope, presend, sent, snapshot } from './test-support.ts';
import type { ModelOp } from './types.ts';

/** A scenario that uses every kind of operation and every attempt outcome. */
const SCENARIO: readonly ModelOp[] = [
  addOp(['a', 'b', 'c']),
  addOp(['f', 'g'], 'frozen', [10]),
  { kind: 'quarantine', ids: ['q'], reason: 'virus', envelopes: [envelope('q')], parentId: 'P' },
  { kind: 'setMaxConcurrentJobs', n: 1 },
  sent('a', 'tryLater'),
  sent('b', 'failPermanently'),
  presend('c', { kind: 'sendAt', at: 5 }),
  { kind: 'freeze', ids: ['a', 'zz'] },
  { kind: 'send', which: { all: true }, retryIntervals: [1] },
  { kind: 'tick', ms: 3 },
  presend('a', { kind: 'freeze' }),
  presend('b', { kind: 'remove' }),
  { kind: 'remove', ids: ['a'] },
  { kind: 'recover', ids: ['q', 'b'], from: 'quarantine' },
  { kind: 'recover', ids: ['b'], from: 'removed' },
  { kind: 'countFromDisk' },
  { kind: 'setMaxConcurrentJobs', n: 0 },
  { kind: 'killAndFlush', timeoutMs: 2 },
  { kind: 'tick', ms: 2 },
  { kind: 'send', which: { frozenOnly: true }, retryIntervals: [] },
  { kind: 'restart' },
  { kind: 'killAndFlush' },
];

/** Applies the scenario, skipping a resolve whose id is not running; returns every (before, op) pair. */
function walk(): { readonly before: ReturnType<typeof initialModel>; readonly op: ModelOp }[] {
  let s = initialModel({ startMs: 0 });
  const pairs: { before: typeof s; op: ModelOp }[] = [];
  for (const op of SCENARIO) {
    if (op.kind === 'resolve' && !s.running.includes(op.id)) {
      const id = s.running[0];
      if (id === undefined) continue;
      const fixed: ModelOp = { ...op, id };
      pairs.push({ before: s, op: fixed });
      s = step(s, fixed).state;
      continue;
    }
    pairs.push({ before: s, op });
    s = step(s, op).state;
  }
  return pairs;
}

describe('step', () => {
  it('never changes the state it is given', () => {
    const pairs = walk();
    expect(pairs.length).toBeGreaterThan(15);
    for (const { before, op } of pairs) {
      const copy = snapshot(before);
      const out = step(before, op);
      expect(snapshot(before), op.kind).toEqual(copy);
      // and is a function: the same input gives the same output
      expect(snapshot(step(before, op).state)).toEqual(snapshot(out.state));
    }
  });

  it('starts with the defaults', () => {
    const s = initialModel();
    expect(s.config).toEqual({ retryIntervals: DEFAULT_RETRY_INTERVALS, maxConcurrentJobs: DEFAULT_MAX_CONCURRENT_JOBS, startMs: 0 });
    expect(s.now).toBe(0);
    expect(s.maxConcurrentJobs).toBe(100);
    expect(s.killed).toBe(false);
    expect(DEFAULT_RETRY_INTERVALS).toEqual([60_000, 300_000, 1_800_000]);
  });

  it('answers done for tick, resolve and setMaxConcurrentJobs, and advances the clock on tick', () => {
    let s = step(initialModel({ startMs: 7 }), addOp(['m'])).state;
    const t = step(s, { kind: 'tick', ms: 5 });
    expect(t.result).toEqual({ kind: 'done' });
    expect(t.state.now).toBe(12);
    s = t.state;
    expect(step(s, sent('m', 'done')).result).toEqual({ kind: 'done' });
    expect(step(s, { kind: 'setMaxConcurrentJobs', n: 4 }).result).toEqual({ kind: 'done' });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('throws on a tick of %s ms (harness bug)', (ms) => {
    expect(() => step(initialModel(), { kind: 'tick', ms })).toThrow();
  });

  it('statusOf lists the in-memory records by id, sending ones included', () => {
    const s = step(step(initialModel(), addOp(['b', 'a'])).state, addOp(['c'], 'frozen')).state;
    expect(statusOf(s).map((r) => [r.id, r.status.kind])).toEqual([
      ['a', 'sending'],
      ['b', 'sending'],
      ['c', 'frozen'],
    ]);
  });

  it('keeps memory equal to disk for every message at rest along the scenario', () => {
    for (const { before } of walk()) {
      for (const [id, rec] of before.memory) {
        const entry = before.disk.get(id);
        expect(entry, id).toBeDefined();
        if (rec.status.kind === 'sending') expect(entry?.checkedOut).toBe(true);
        else expect(entry?.record).toEqual(rec);
      }
    }
  });
});
