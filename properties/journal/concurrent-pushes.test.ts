/** journal/concurrent-pushes (its budget run is in trace-property.test.ts): the two bugs it was written for. */
import { describe, expect, it } from 'vitest';
import { runPushSession } from './concurrent-pushes.ts';
import { REAL_TARGET } from '../../targets/builtin.ts';
import { blockJournal } from '../../targets/block-journal.ts';
import type { JournalAdapter } from '../../targets/journal-adapter.ts';

describe('journal/concurrent-pushes', () => {
  it('two pushes in flight at once: without serialized pushes (JRN-8) the second overwrites the first', async () => {
    const session = { pushes: [{ size: 15, wait: false }, { size: 15, wait: true }], holdPerform: false, failFirst: 0 };
    expect(await runPushSession(REAL_TARGET.journal as JournalAdapter, session)).toEqual([]);
    expect(await runPushSession(blockJournal({ pushesNotSerialized: true }), session)).toEqual(['op(s) 0 were acknowledged but never performed, before the shutdown or after the restart']);
  });

  it('a push waiting for room while a failed batch waits for its retry: a shutdown that wakes no waiter (JRN-5) leaves it waiting', async () => {
    const sizes = [1315, 903, 1711, 1275, 3, 1399];
    const session = { pushes: sizes.map((size) => ({ size, wait: false })), holdPerform: false, failFirst: 2 };
    expect(await runPushSession(REAL_TARGET.journal as JournalAdapter, session)).toEqual([]);
    expect((await runPushSession(blockJournal({ shutdownWakesNoWaiters: true }), session)).join('\n')).toMatch(/never settled: the shutdown left them waiting/);
  });
});
