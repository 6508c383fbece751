/**
 * Startup after the lock is taken (docs/message-spool-protocol.md "Startup"): put every checked-out message back into the
 * queue its status names (quirk MSG-1: where it sat), then load `active` and `frozen` into memory
 * and give each waiting message its due time. Nothing here deletes a message it cannot read: it is
 * reported and left alone for a person.
 */
import { SpoolError } from '../multispool/index.ts';
import type { MessageSpoolQuirks } from './quirks.ts';
import { QUEUES, queueOf, type Queue } from './record.ts';
import { scheduleByStatus, type Runtime } from './runtime.ts';

/** A file startup could not use, and why. */
export interface UnreadableFile {
  readonly queue: Queue;
  /** The entry name, or undefined when a whole checkout directory could not be listed. */
  readonly name: string | undefined;
  readonly error: SpoolError;
}

/** What startup found. */
export interface StartupReport {
  /** Messages put back from a checkout (being delivered or changed when the last process died: they are sent again). */
  readonly putBack: readonly string[];
  /** Files that could not be read: left where they are, not in memory. */
  readonly unreadable: readonly UnreadableFile[];
}

/** Puts back every checkout, loads active and frozen, sets due times. */
export async function recoverAtStartup(rt: Runtime, quirks: MessageSpoolQuirks): Promise<StartupReport> {
  const putBack: string[] = [];
  const unreadable: UnreadableFile[] = [];
  const spool = rt.spool;
  for (const queue of QUEUES) {
    let entries;
    try {
      entries = await spool.listCheckoutsUnsafe(queue);
    } catch (err) {
      if (!(err instanceof SpoolError) || err.kind !== 'corrupt') throw err;
      unreadable.push({ queue, name: undefined, error: err });
      continue;
    }
    for (const entry of entries) {
      // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      const target = quirks.putBackWhereItSat === true ? queue : queueOf(entry.contents.status);
      try {
        if (target === undefined) await entry.remove();
        else await entry.save(target);
      } catch (err) {
        // Gone while being put back: only another process on this spool can do that (which the
        // lock rules out, but for quirk MSG-2): there is nothing left to put back.
        if (err instanceof SpoolError && (err.kind === 'notFound' || err.kind === 'noSuchEntry')) continue;
        throw err;
      }
      putBack.push(entry.name);
    }
  }
  const now = rt.clock.now();
  for (const queue of ['active', 'frozen'] as const) {
    for (const name of await spool.list(queue)) {
      let record;
      try {
        record = await spool.direct.contents(spool.entry(queue, name));
      } catch (err) {
        if (!(err instanceof SpoolError)) throw err;
        if (err.kind === 'notFound') continue; // gone since the listing
        unreadable.push({ queue, name, error: err });
        continue;
      }
      // Stryker disable next-line all: quirk selection (which buggy variant runs), not product behaviour
      const checkName = quirks.trustRecordName !== true;
      if (checkName && record.id !== name) {
        const path = spool.layout.queueFile(queue, name);
        unreadable.push({ queue, name, error: new SpoolError('corrupt', `${path} holds the record of message ${JSON.stringify(record.id)}, not of ${name}`, { path }) });
        continue;
      }
      rt.memory.set(name, record);
      scheduleByStatus(rt, name, record.status, now);
    }
  }
  return { putBack, unreadable };
}
