/**
 * `message-spool/adapter-delivery`: one process uses the mail spool, and everything it does keeps
 * the mail spool contract (`targets/message-spool-adapter.ts`), judged through its API and the
 * deliveries it asks for. Random sessions of adds (frozen or not), freezes, sends, removes, clean
 * restarts and time passing, with deliveries answering delivered, try later or failed in a
 * generated order; after every step: each delivery was of a message that may be delivered, with
 * its envelope and body as added; `status` lists exactly what is waiting or frozen; nothing waits
 * longer than the adapter's `maxRetryDelayMs`. At the end every frozen message is sent and time
 * passes: every message must be delivered and the spool empty.
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import { START_MS } from '../multispool/test-spoolable.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { MailSession, mailStepArb, outcomesArb } from './adapter-session.ts';

/** Longest generated session. */
export const MAX_MAIL_STEPS = 25;

/** The directory every message spool adapter property gives the spool. */
export const MAIL_DIR = '/mail';

export const adapterDelivery: PropertyDef = {
  suite: 'message-spool',
  name: 'adapter-delivery',
  requires: ['message-spool'],
  description: `random sessions of up to ${MAX_MAIL_STEPS} steps by one process (add, freeze, send, remove, restart, time passing; deliveries answering delivered, try later or failed): every delivery, status listing and retry keeps the mail spool contract, and everything is delivered in the end`,
  defaultRuns: 150,
  testRuns: 25,
  build: (ctx) =>
    fc.asyncProperty(fc.array(mailStepArb, { maxLength: MAX_MAIL_STEPS }), outcomesArb, async (steps, outcomes) => {
      const clock = manualClock(START_MS);
      const vfs = memfsVfs({ clock });
      await vfs.mkdir(MAIL_DIR);
      const session = await MailSession.open(adapterOf(ctx, 'messageSpool'), vfs, MAIL_DIR, clock, outcomes);
      for (const s of steps) await session.run(s);
      await session.drain();
      await session.close();
    }) as unknown as fc.IAsyncProperty<never>,
};
