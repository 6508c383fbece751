/**
 * The "with file" protocol (docs/message-spool-protocol.md): every change of a spooled message checks it out of the queue
 * its in-memory status names, refuses if the file differs from the in-memory view, applies the
 * change, and saves into the queue of the new status (or removes the entry). Memory is updated
 * only after the disk said yes. The checkout rename is the only mutual exclusion between
 * processes; inside one process, `busy` keeps two operations off one message.
 */
import { isDeepStrictEqual } from 'node:util';
import { SpoolError, type CheckedOutEntry } from '../multispool/index.ts';
import { MessageSpoolError } from './errors.ts';
import { queueOf, type MessageRecord, type Queue } from './record.ts';
import type { Runtime } from './runtime.ts';

/** What a change does to a message: a new record to save (into its status's queue), or removal. */
export type Change = { readonly save: MessageRecord } | { readonly remove: true };

/** The outcome of one with-file run: the new record (undefined when removed), or an error kind. */
export type WithFileResult = { readonly ok: true; readonly record: MessageRecord | undefined } | { readonly ok: false; readonly error: MessageSpoolError };

/** A checked-out message spool entry. */
type Entry = CheckedOutEntry<Queue, MessageRecord, string>;

/**
 * Steps 2 and 3 of the protocol, shared by every change and by delivery attempts: check `id` out
 * of `queue` and refuse (`notFound`, or `changedOnDisk` after putting the file back unchanged)
 * unless its record is `expected`. Multispool failures are `spool` errors.
 */
export async function checkOutAsSeen(rt: Runtime, queue: Queue, id: string, expected: MessageRecord): Promise<{ readonly ok: true; readonly entry: Entry } | { readonly ok: false; readonly error: MessageSpoolError }> {
  try {
    const attempt = await rt.spool.tryCheckout(rt.spool.entry(queue, id));
    if (attempt.kind === 'notFound') {
      return { ok: false, error: new MessageSpoolError('notFound', `message ${id} is not in ${queue}, where its status (${expected.status.kind}) says it is`) };
    }
    if (!isDeepStrictEqual(attempt.entry.contents, expected)) {
      await attempt.entry.save(queue);
      return { ok: false, error: new MessageSpoolError('changedOnDisk', `message ${id} in ${queue} differs from the spool's view of it: someone else changed it; left as it is on disk`) };
    }
    return { ok: true, entry: attempt.entry };
  } catch (err) {
    if (err instanceof SpoolError) return { ok: false, error: spoolFailure(id, err) };
    throw err;
  }
}

function spoolFailure(id: string, err: SpoolError): MessageSpoolError {
  return new MessageSpoolError('spool', `message ${id}: ${err.message}`, { cause: err });
}

/**
 * Gives a checked-out entry back unchanged after a failure (a rename: it works on a full disk,
 * where saving cannot), so the message is where its in-memory status says; false when even that
 * fails, or the handle was already spent (the entry was saved or removed).
 */
export async function giveBackAfterFailure(entry: Entry): Promise<boolean> {
  try {
    await entry.giveBack();
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the protocol for in-memory message `id` with `change(record)`. Errors: `notFound` (not in
 * memory, or not in its status's queue), `busy`, `changedOnDisk` (the file is put back unchanged),
 * `spool` (the multispool failed; its SpoolError is the cause).
 */
export async function withFile(rt: Runtime, id: string, change: (record: MessageRecord) => Change): Promise<WithFileResult> {
  const fail = (error: MessageSpoolError): WithFileResult => ({ ok: false, error });
  const record = rt.memory.get(id);
  if (record === undefined) return fail(new MessageSpoolError('notFound', `no message ${id} in the spool`));
  if (rt.busy.has(id) || record.status.kind === 'sending') return fail(new MessageSpoolError('busy', `message ${id} is being delivered or changed right now`));
  const queue = queueOf(record.status);
  if (queue === undefined) return fail(new MessageSpoolError('notFound', `message ${id} is delivered`));
  rt.busy.add(id);
  let checkedOut: Entry | undefined;
  try {
    const checkout = await checkOutAsSeen(rt, queue, id, record);
    if (!checkout.ok) return checkout;
    checkedOut = checkout.entry;
    const next = change(record);
    if ('remove' in next) {
      await checkout.entry.remove();
      rt.memory.delete(id);
      return { ok: true, record: undefined };
    }
    const target = queueOf(next.save.status);
    if (target === undefined) throw new Error(`withFile: change of ${id} saves status delivered; remove it instead`);
    checkout.entry.update(() => next.save);
    await checkout.entry.save(target);
    rt.memory.set(id, next.save);
    return { ok: true, record: next.save };
  } catch (err) {
    // The record in memory is unchanged: the entry goes back where it says.
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    if (checkedOut !== undefined && rt.quirks.stuckAfterFailedSave !== true) await giveBackAfterFailure(checkedOut);
    if (err instanceof SpoolError) return fail(spoolFailure(id, err));
    throw err;
  } finally {
    rt.busy.delete(id);
  }
}
