/** journal/concurrent-pushes (its budget run is in trace-property.test.ts): the bugs it was written for. */
import { describe, expect, it } from 'vitest';
import { runPushSession } from './concurrent-pushes.ts';
import { REAL_TARGET } from '../../targets/builtin.ts';
import { blockJournal } from '../../targets/block-journal.ts';
import type { JournalAdapter } from '../../targets/journal-adapter.ts';

describe('journal/concurrent-pushes', () => {
  it('two pushes in flight at once: without serialized pushes (JRN-8) the second overwrites the first', async () => {
    const session = { pushes: [{ size: 15, wait: false }, { size: 15, wait: true }], holdPerform: false, failFirst: 0, interleaving: undefined };
    expect(await runPushSession(REAL_TARGET.journal as JournalAdapter, session)).toEqual([]);
    expect(await runPushSession(blockJournal({ pushesNotSerialized: true }), session)).toEqual(['op(s) 0 were acknowledged but never performed, before the shutdown or after the restart']);
  });

  it('a push waiting for room while the batch is held: a shutdown that wakes no waiter (JRN-5) leaves it waiting', async () => {
    const sizes = [1315, 903, 1711, 1275, 3, 1399];
    const session = { pushes: sizes.map((size) => ({ size, wait: false })), holdPerform: true, failFirst: 2, interleaving: undefined };
    expect(await runPushSession(REAL_TARGET.journal as JournalAdapter, session)).toEqual([]);
    expect((await runPushSession(blockJournal({ shutdownWakesNoWaiters: true }), session)).join('\n')).toMatch(/never settled: the shutdown left them waiting/);
  });

  it('a push that looks at a full ring while the loop releases a batch: listening for progress after the look (JRN-9) misses the release', async () => {
    // As the property shrank it (seed 3): op 3 is slow (20 more turns at each of its device
    // calls), so the loop's whole release of ops 0-2 fits inside its look at the consumer sector.
    const session = {
      pushes: [3000, 0, 4146, 3000].map((size, i) => ({ size, wait: i === 1 })),
      holdPerform: false,
      failFirst: 1,
      interleaving: { seed: -1605842420, stalls: [0, 0, 1, 20, 0, 0, 0, 1, 0, 0] },
    };
    expect(await runPushSession(REAL_TARGET.journal as JournalAdapter, session)).toEqual([]);
    const problems = await runPushSession(blockJournal({ progressListenedLate: true }), session);
    expect(problems[0]).toBe('push(es) of op 3 still wait for room after 20 s of batches performed and released: a push that found the ring full was not woken by the release');
  });

  it('a shutdown while a batch is being performed: returning without waiting for the loop (JRN-10) leaves the perform running', async () => {
    const session = { pushes: [{ size: 5, wait: false }], holdPerform: true, failFirst: 0, interleaving: undefined };
    expect(await runPushSession(REAL_TARGET.journal as JournalAdapter, session)).toEqual([]);
    expect(await runPushSession(blockJournal({ shutdownReturnsAtOnce: true }), session)).toContain('the shutdown returned while 1 perform(s) were still running: it must end the batch in progress first');
  });
});
