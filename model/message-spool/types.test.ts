import { describe, expect, it } from 'vitest';
import { queueOf, QUEUES, recordsEqual, statusesEqual, type MessageRecord } from './types.ts';

const rec: MessageRecord = {
  id: 'm',
  parentId: 'p',
  spoolDate: 1,
  status: { kind: 'sendAt', at: 5 },
  sender: 's',
  recipients: ['a', 'b'],
  remainingRecipients: ['a'],
  failedRecipients: ['b'],
  retryIntervals: [1, 2],
  attempts: 3,
};

describe('queues and statuses', () => {
  it('lists the queues in startup order', () => {
    expect(QUEUES).toEqual(['active', 'frozen', 'removed', 'quarantine']);
  });

  it('maps each status to its queue', () => {
    expect(queueOf({ kind: 'sendNow' })).toBe('active');
    expect(queueOf({ kind: 'sendAt', at: 1 })).toBe('active');
    expect(queueOf({ kind: 'sending' })).toBe('active');
    expect(queueOf({ kind: 'frozen' })).toBe('frozen');
    expect(queueOf({ kind: 'removed' })).toBe('removed');
    expect(queueOf({ kind: 'quarantined', reason: 'x' })).toBe('quarantine');
    expect(queueOf({ kind: 'delivered' })).toBeUndefined();
  });

  it('compares statuses deeply', () => {
    expect(statusesEqual({ kind: 'sendAt', at: 1 }, { kind: 'sendAt', at: 1 })).toBe(true);
    expect(statusesEqual({ kind: 'sendAt', at: 1 }, { kind: 'sendAt', at: 2 })).toBe(false);
    expect(statusesEqual({ kind: 'quarantined', reason: 'x' }, { kind: 'quarantined', reason: 'y' })).toBe(false);
    expect(statusesEqual({ kind: 'frozen' }, { kind: 'removed' })).toBe(false);
  });
});

describe('recordsEqual', () => {
  it('is true for equal copies', () => {
    expect(recordsEqual(rec, structuredClone(rec) as MessageRecord)).toBe(true);
  });

  it.each([
    ['id', { id: 'n' }],
    ['parentId', { parentId: 'q' }],
    ['spoolDate', { spoolDate: 2 }],
    ['status', { status: { kind: 'sendAt', at: 6 } }],
    ['sender', { sender: 't' }],
    ['recipients', { recipients: ['a'] }],
    ['remainingRecipients', { remainingRecipients: ['a', 'x'] }],
    ['failedRecipients', { failedRecipients: [] }],
    ['retryIntervals', { retryIntervals: [2, 1] }],
    ['attempts', { attempts: 4 }],
  ] as const)('sees a different %s', (_field, change) => {
    expect(recordsEqual(rec, { ...rec, ...change } as MessageRecord)).toBe(false);
  });
});
