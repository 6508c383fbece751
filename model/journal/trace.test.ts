/** Pinned cases of the journal trace checker: each rule can fail, and a conforming trace passes. */
import { describe, expect, it } from 'vitest';
import { checkJournalDrained, checkJournalTrace, type JournalEvent } from './trace.ts';

const timing = { flushIntervalMs: 1_000, retryIntervalMs: 5_000 };
const check = (events: JournalEvent<string>[]): string[] => checkJournalTrace(events, timing, (a, b) => a === b);

describe('checkJournalTrace', () => {
  it('accepts a batch due at the end of the flush interval, or at once after a flush', () => {
    expect(check([{ kind: 'pushed', op: 'a', at: 0 }, { kind: 'perform', batch: ['a'], at: 1_000, ok: true }])).toEqual([]);
    expect(check([{ kind: 'pushed', op: 'a', at: 0 }, { kind: 'flushCalled', at: 10 }, { kind: 'perform', batch: ['a'], at: 10, ok: true }])).toEqual([]);
  });

  it('refuses a batch before it is due, and one that comes late after a flush', () => {
    expect(check([{ kind: 'pushed', op: 'a', at: 0 }, { kind: 'perform', batch: ['a'], at: 500, ok: true }])).toEqual(['event 2 (perform at 500 ms): performed 500 ms after the first pending push, before the flush interval of 1000 ms']);
    expect(check([{ kind: 'pushed', op: 'a', at: 0 }, { kind: 'flushCalled', at: 10 }, { kind: 'perform', batch: ['a'], at: 1_000, ok: true }])).toEqual([
      'event 3 (perform at 1000 ms): flush was called at 10 ms with ops waiting, yet the batch came 990 ms later: a flush makes it due at once',
    ]);
  });

  it('a flush with nothing waiting demands nothing', () => {
    expect(check([{ kind: 'pushed', op: 'a', at: 0 }, { kind: 'perform', batch: ['a'], at: 1_000, ok: true }, { kind: 'flushCalled', at: 1_100 }, { kind: 'pushed', op: 'b', at: 2_000 }, { kind: 'perform', batch: ['b'], at: 3_000, ok: true }])).toEqual([]);
  });

  it('refuses batches out of order and a full ring that did not force the batch', () => {
    expect(check([{ kind: 'pushed', op: 'a', at: 0 }, { kind: 'pushed', op: 'b', at: 0 }, { kind: 'perform', batch: ['b'], at: 1_000, ok: true }])).toHaveLength(1);
    expect(check([{ kind: 'pushed', op: 'a', at: 0 }, { kind: 'ringFull', at: 5 }, { kind: 'perform', batch: ['a'], at: 900, ok: true }])).toHaveLength(1);
  });

  it('checkJournalDrained counts what was never performed', () => {
    expect(checkJournalDrained([{ kind: 'pushed', op: 'a', at: 0 }])).toEqual(['1 of 1 pushed op(s) were never performed, although perform succeeds again and time has passed']);
  });
});
