/**
 * `restart`: the process is killed (kill -9) between two operations and a new one opens the same
 * directory (`docs/message-spool-protocol.md`, "Startup"). Every completed call was durable, so
 * the disk is kept as it is; everything in memory is lost: the in-memory records, due times,
 * running attempts (their entries stay checked out), `killed`, the concurrency limit (back to
 * the configured one) and the flush waiters. Events and attempt starts are history and stay.
 *
 * Then startup (the lock always succeeds: the old process is dead):
 * 1. Put every checkout back, queues in the order active, frozen, removed, quarantine, each by
 *    name: the entry goes into `queueOf(its record's status)` (docs/message-spool-protocol.md: where its status says). A
 *    record whose status has no queue (`delivered`, never written by the spool) is removed and not
 *    reported. The names put back are the result.
 * 2. Load `active` then `frozen`, each by name: every record goes into memory; sendNow (and a
 *    `sending` from foreign files) → `due := now`; sendAt(t) → `due := t`; anything else: no due.
 * 3. Pump (step.ts). No events.
 */
import { compareIds, deleteEntry, putEntry, remember, schedule, type ModelState } from './state.ts';
import { queueOf, QUEUES } from './types.ts';

/** The state after the crash and startup (without the final pump), and the names put back. */
export function restart(state: ModelState): { readonly state: ModelState; readonly putBack: readonly string[] } {
  let s: ModelState = {
    ...state,
    memory: new Map(),
    due: new Map(),
    running: [],
    killed: false,
    maxConcurrentJobs: state.config.maxConcurrentJobs,
    flushWaiters: [],
  };
  const putBack: string[] = [];
  for (const q of QUEUES) {
    for (const id of idsIn(s, q, true)) {
      const entry = s.disk.get(id);
      if (entry === undefined) continue;
      const target = queueOf(entry.record.status);
      if (target === undefined) {
        s = deleteEntry(s, id);
        continue;
      }
      s = putEntry(s, id, { ...entry, queue: target, checkedOut: false });
      putBack.push(id);
    }
  }
  for (const q of ['active', 'frozen'] as const) {
    for (const id of idsIn(s, q, false)) {
      const entry = s.disk.get(id);
      if (entry === undefined) continue;
      const rec = entry.record;
      s = remember(s, rec);
      if (rec.status.kind === 'sendNow' || rec.status.kind === 'sending') s = schedule(s, id, s.now);
      else if (rec.status.kind === 'sendAt') s = schedule(s, id, rec.status.at);
    }
  }
  return { state: s, putBack };
}

/** The ids whose entries sit in queue `q` (its `.checkout` when `checkedOut`), by name. */
function idsIn(state: ModelState, q: string, checkedOut: boolean): readonly string[] {
  const ids: string[] = [];
  for (const [id, entry] of state.disk) if (entry.queue === q && entry.checkedOut === checkedOut) ids.push(id);
  return ids.sort(compareIds);
}
