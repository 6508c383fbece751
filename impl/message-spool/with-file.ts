/**
 * The "with file" protocol (SPEC 2): every change of a spooled message checks it out of the queue
 * its in-memory status names, refuses if the file differs from the in-memory view, applies the
 * change, and saves into the queue of the new status (or removes the entry). Memory is updated
 * only after the disk said yes. The checkout rename is the only mutual exclusion between
 * processes; inside one process, `busy` keeps two operations off one message.
 */
import { isDeepStrictEqual } from 'node:util';
import { SpoolError } from '../multispool/index.ts';
import { MessageSpoolError } from './errors.ts';
import { queueOf, type MessageRecord } from './record.ts';
import type { Runtime } from './runtime.ts';

/** What a change does to a message: a new record to save (into its status's queue), or removal. */
export type Change = { readonly save: MessageRecord } | { readonly remove: true };

/** The outcome of one with-file run: the new record (undefined when removed), or an error kind. */
export type WithFileResult = { readonly ok: true; readonly record: MessageRecord | undefined } | { readonly ok: false; readonly error: MessageSpoolError };

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
  try {
    const attempt = await rt.spool.tryCheckout(rt.spool.entry(queue, id));
    if (attempt.kind === 'notFound') return fail(new MessageSpoolError('notFound', `message ${id} is not in ${queue}, where its status (${record.status.kind}) says it is`));
    const entry = attempt.entry;
    if (!isDeepStrictEqual(entry.contents, record)) {
      await entry.save(queue);
      return fail(new MessageSpoolError('changedOnDisk', `message ${id} in ${queue} differs from the spool's view of it: someone else changed it; left as it is on disk`));
    }
    const next = change(record);
    if ('remove' in next) {
      await entry.remove();
      rt.memory.delete(id);
      return { ok: true, record: undefined };
    }
    const target = queueOf(next.save.status);
    if (target === undefined) throw new Error(`withFile: change of ${id} saves status delivered; remove it instead`);
    entry.update(() => next.save);
    await entry.save(target);
    rt.memory.set(id, next.save);
    return { ok: true, record: next.save };
  } catch (err) {
    if (err instanceof SpoolError) return fail(new MessageSpoolError('spool', `message ${id}: ${err.message}`, { cause: err }));
    throw err;
  } finally {
    rt.busy.delete(id);
  }
}
