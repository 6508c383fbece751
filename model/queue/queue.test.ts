import { describe, expect, it } from 'vitest';
import { availableIds, checkedOutIds, EMPTY_QUEUE, step, type QueueOp, type QueueState } from './queue.ts';
import { judgeRecovery } from './recovery.ts';

function run(...ops: QueueOp[]): QueueState {
  return ops.reduce((s, op) => step(s, op).state, EMPTY_QUEUE);
}

describe('queue model', () => {
  it('enqueue, checkout, release, remove, reopen', () => {
    const s = run({ kind: 'enqueue', id: 'a', data: 'A' }, { kind: 'enqueue', id: 'b', data: 'B' });
    expect(step(s, { kind: 'list' }).result).toEqual({ kind: 'ids', ids: ['a', 'b'] });
    const out = step(s, { kind: 'checkout', id: 'a' });
    expect(out.result).toEqual({ kind: 'data', data: 'A' });
    expect(step(out.state, { kind: 'checkout', id: 'a' }).result).toEqual({ kind: 'data', data: undefined });
    expect(step(out.state, { kind: 'checkout', id: 'nope' }).result).toEqual({ kind: 'data', data: undefined });
    expect(availableIds(out.state)).toEqual(['b']);
    expect(checkedOutIds(out.state)).toEqual(['a']);
    expect(availableIds(step(out.state, { kind: 'release', id: 'a' }).state)).toEqual(['a', 'b']);
    expect(availableIds(step(out.state, { kind: 'reopen' }).state)).toEqual(['a', 'b']);
    const removed = step(out.state, { kind: 'remove', id: 'a' }).state;
    expect([...removed.items.keys()]).toEqual(['b']);
    expect(removed.everIssued.has('a')).toBe(true);
  });

  it('an id in use is refused; a removed one may be handed out again', () => {
    const s = run({ kind: 'enqueue', id: 'a', data: 'A' });
    expect(step(s, { kind: 'enqueue', id: 'a', data: 'A2' }).result).toEqual({ kind: 'idInUse' });
    const gone = run({ kind: 'enqueue', id: 'a', data: 'A' }, { kind: 'checkout', id: 'a' }, { kind: 'remove', id: 'a' });
    expect(step(gone, { kind: 'enqueue', id: 'a', data: 'A2' }).result).toEqual({ kind: 'ok' });
  });

  it('release and remove of an item not checked out are contract breaches', () => {
    const s = run({ kind: 'enqueue', id: 'a', data: 'A' });
    expect(step(s, { kind: 'release', id: 'a' }).result).toEqual({ kind: 'notCheckedOut' });
    expect(step(s, { kind: 'remove', id: 'b' }).result).toEqual({ kind: 'notCheckedOut' });
  });
});

describe('judgeRecovery', () => {
  const acked = run(
    { kind: 'enqueue', id: 'a', data: 'A' },
    { kind: 'enqueue', id: 'b', data: 'B' },
    { kind: 'checkout', id: 'b' },
    { kind: 'enqueue', id: 'c', data: 'C' },
    { kind: 'checkout', id: 'c' },
    { kind: 'remove', id: 'c' },
  );

  it('accepts exactly the acknowledged items, checked-out ones given back', () => {
    expect(judgeRecovery(acked, undefined, [{ id: 'a', data: 'A' }, { id: 'b', data: 'B' }])).toEqual([]);
  });

  it('names every broken guarantee', () => {
    const v = judgeRecovery(acked, undefined, [
      { id: 'a', data: 'A!' },
      { id: 'c', data: 'C' },
      { id: 'x', data: 'X' },
      { id: 'x', data: 'X' },
    ]);
    expect(v.some((m) => m.startsWith('corrupted: item a'))).toBe(true);
    expect(v.some((m) => m.startsWith('lost: acknowledged item b'))).toBe(true);
    expect(v.some((m) => m.startsWith('resurrected: item c'))).toBe(true);
    expect(v.some((m) => m.startsWith('phantom: item x'))).toBe(true);
    expect(v.some((m) => m.startsWith('duplicate: id x'))).toBe(true);
  });

  it('an item listed but unreadable is broken, with the error', () => {
    expect(judgeRecovery(acked, undefined, [{ id: 'a', data: undefined, error: 'ENOENT' }, { id: 'b', data: 'B' }])).toEqual([
      expect.stringMatching(/^broken: item a .*threw: ENOENT/),
    ]);
  });

  it('one item under two ids is a duplicate', () => {
    expect(judgeRecovery(acked, undefined, [{ id: 'a', data: 'A' }, { id: 'b', data: 'B' }, { id: 'b2', data: 'B' }])).toContainEqual(
      expect.stringMatching(/^duplicate: data "B" came back under 2 ids/),
    );
  });

  it('the operation in flight may or may not have happened', () => {
    const both = [{ id: 'a', data: 'A' }, { id: 'b', data: 'B' }];
    expect(judgeRecovery(acked, { kind: 'remove', id: 'b' }, [{ id: 'a', data: 'A' }])).toEqual([]);
    expect(judgeRecovery(acked, { kind: 'remove', id: 'b' }, both)).toEqual([]);
    expect(judgeRecovery(acked, { kind: 'enqueue', data: 'N' }, both)).toEqual([]);
    expect(judgeRecovery(acked, { kind: 'enqueue', data: 'N' }, [...both, { id: 'c', data: 'N' }])).toEqual([]);
    expect(judgeRecovery(acked, { kind: 'enqueue', data: 'N' }, [...both, { id: 'n', data: 'N!' }])).toEqual([expect.stringMatching(/^corrupted: item n/)]);
    expect(judgeRecovery(acked, { kind: 'enqueue', data: 'N' }, [...both, { id: 'n', data: 'N' }, { id: 'm', data: 'N' }])).not.toEqual([]);
    expect(judgeRecovery(acked, { kind: 'checkout', id: 'a' }, [{ id: 'b', data: 'B' }])).toEqual([expect.stringMatching(/^lost: acknowledged item a/)]);
  });
});
