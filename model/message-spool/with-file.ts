/**
 * The "with file" protocol (`docs/message-spool-protocol.md`, "The with file protocol") on the
 * model's disk and memory. Every change of a spooled message goes through it:
 *
 * 1. `rec` = the in-memory record; `q = queueOf(rec.status)`.
 * 2. check the entry out of `q`: no entry, an entry in another queue or one already checked out
 *    is `notFound` (nothing changes);
 * 3. on-disk record differs from `rec` (deep equality) → `changedOnDisk`; it is saved back into
 *    `q` unchanged, which leaves the model's disk as it was;
 * 4. the change gives a record to save (into `queueOf` of its status) or `remove`;
 * 5. only then the in-memory record is replaced (or dropped).
 *
 * The model's operations are atomic, so the checkout of steps 2 to 4 is not visible in the state
 * except for delivery attempts, which hold their checkout between start and resolve
 * (`checkoutProblem` then `applyChange`, see pump.ts and delivery.ts).
 */
import { deleteEntry, forget, putEntry, remember, type ModelState } from './state.ts';
import { queueOf, recordsEqual, type MessageRecord } from './types.ts';

/**
 * What a change does with a checked-out entry: save `record` into the queue of its status (and
 * keep it in memory, or drop it from memory, as `inMemory` says), or remove the entry.
 */
export type Change = { readonly kind: 'save'; readonly record: MessageRecord; readonly inMemory: boolean } | { readonly kind: 'remove' };

/** The failures of steps 1 to 3. */
export type CheckoutProblem = 'notFound' | 'changedOnDisk';

/**
 * Steps 1 to 3 for the in-memory record `rec`: `undefined` when the entry can be checked out of
 * `queueOf(rec.status)` and holds `rec`, else why not.
 */
export function checkoutProblem(state: ModelState, rec: MessageRecord): CheckoutProblem | undefined {
  const q = queueOf(rec.status);
  const entry = state.disk.get(rec.id);
  if (q === undefined || entry === undefined || entry.queue !== q || entry.checkedOut) return 'notFound';
  if (!recordsEqual(entry.record, rec)) return 'changedOnDisk';
  return undefined;
}

/**
 * Steps 4 and 5 on the entry of `id` (checked out, or about to be in an atomic withFile): save
 * the new record into `queueOf(its status)`, not checked out, body kept, then replace or drop the
 * in-memory record; or remove the entry and drop the in-memory record. Throws when the entry is
 * missing or the record would be saved with no queue (`delivered`): model bugs.
 */
export function applyChange(state: ModelState, id: string, change: Change): ModelState {
  const entry = state.disk.get(id);
  if (entry === undefined) throw new Error(`message-spool model: no disk entry for ${id}`);
  if (change.kind === 'remove') return forget(deleteEntry(state, id), id);
  const queue = queueOf(change.record.status);
  if (queue === undefined) throw new Error(`message-spool model: cannot save ${id} with status ${change.record.status.kind}`);
  const saved = putEntry(state, id, { queue, checkedOut: false, record: change.record, body: entry.body });
  return change.inMemory ? remember(saved, change.record) : forget(saved, id);
}

/** What a withFile ended with: the new state, or the failure of steps 1 to 3 (state unchanged). */
export type WithFileOutcome = { readonly ok: true; readonly state: ModelState } | { readonly ok: false; readonly error: CheckoutProblem };

/**
 * `withFile(id, change)`: steps 1 to 5 for the in-memory message `id` (which must be in memory;
 * callers check that first and answer `notFound` themselves).
 */
export function withFile(state: ModelState, id: string, change: (rec: MessageRecord) => Change): WithFileOutcome {
  const rec = state.memory.get(id);
  if (rec === undefined) throw new Error(`message-spool model: withFile of ${id}, which is not in memory`);
  const problem = checkoutProblem(state, rec);
  if (problem !== undefined) return { ok: false, error: problem };
  return { ok: true, state: applyChange(state, id, change(rec)) };
}
