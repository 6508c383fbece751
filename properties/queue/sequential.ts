/**
 * `queue/sequential`: one process uses the queue, and every answer matches the model. Random
 * sessions of enqueues, lists, checkouts (of available items, of items that are checked out or
 * removed, and of an id never handed out), releases, removes, reopens and clock ticks (several
 * calls often fall in one millisecond); at the end every available item is checked out and its
 * data compared. Catches reused ids, lost or duplicated items, a checkout that gives an item
 * twice, and a reopen that loses what was checked out.
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import { START_MS } from '../multispool/test-spoolable.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { QueueSession, sessionStepArb } from './driver.ts';

/** Longest generated session. */
export const MAX_SESSION_STEPS = 30;

/** The directory every queue property gives the queue. */
export const QUEUE_DIR = '/queue';

export const sequential: PropertyDef = {
  suite: 'queue',
  name: 'sequential',
  requires: ['queue'],
  description: `random sessions of up to ${MAX_SESSION_STEPS} calls by one process (enqueue, list, checkout, release, remove, reopen, time passing): every answer matches the queue model`,
  defaultRuns: 200,
  testRuns: 40,
  build: (ctx) =>
    fc.asyncProperty(fc.array(sessionStepArb, { maxLength: MAX_SESSION_STEPS }), async (steps) => {
      const clock = manualClock(START_MS);
      const vfs = memfsVfs({ clock });
      await vfs.mkdir(QUEUE_DIR);
      const session = await QueueSession.open(adapterOf(ctx, 'queue'), { vfs, dir: QUEUE_DIR, clock });
      for (const s of steps) await session.run(s);
      await session.drain();
      await session.close();
    }) as unknown as fc.IAsyncProperty<never>,
};
