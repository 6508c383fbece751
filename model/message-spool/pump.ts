/**
 * The delivery pump (`docs/message-spool-protocol.md`, "Delivery"): it runs at the end of every
 * operation of the model (which covers "when the clock reaches a due time", "when an attempt
 * ends" and "after setMaxConcurrentJobs", as those are operations too).
 *
 * It starts, in order of (due time, id) with ids in plain `<` order, every message whose due
 * time is `<= now`, while fewer than `maxConcurrentJobs` attempts run and the spool is not killed.
 *
 * Starting an attempt on `id`: delete `due[id]`; check the entry out of `active` (withFile steps
 * 2 and 3 with the record as it was before `sending`). When that fails (`notFound`,
 * `changedOnDisk`) the attempt ends at once: the in-memory record keeps its status, there is no
 * due time any more (the message is stuck), nothing is recorded as started, and the pump goes on.
 * Otherwise: in-memory status := `sending` (other fields unchanged), the disk entry is checked out
 * (its record unchanged), and the id is appended to `running` and to `attemptsStarted`.
 */
import { compareIds, putEntry, remember, unschedule, type ModelState } from './state.ts';
import { checkoutProblem } from './with-file.ts';

/** The id of the next message to start: the least (due time, id) with due time `<= now`, if any. */
export function nextDue(state: ModelState): string | undefined {
  let best: { readonly id: string; readonly at: number } | undefined;
  for (const [id, at] of state.due) {
    if (at > state.now) continue;
    if (best === undefined || at < best.at || (at === best.at && compareIds(id, best.id) < 0)) best = { id, at };
  }
  return best?.id;
}

/** Starts the attempt on `id` (which is due), or ends it at once when its checkout fails. */
export function startAttempt(state: ModelState, id: string): ModelState {
  const rec = state.memory.get(id);
  if (rec === undefined) throw new Error(`message-spool model: ${id} is due but not in memory`);
  const undue = unschedule(state, id);
  if (checkoutProblem(undue, rec) !== undefined) return undue;
  const entry = undue.disk.get(id);
  if (entry === undefined) throw new Error(`message-spool model: no disk entry for ${id}`);
  const checkedOut = putEntry(undue, id, { ...entry, checkedOut: true });
  const sending = remember(checkedOut, { ...rec, status: { kind: 'sending' } });
  return { ...sending, running: [...sending.running, id], attemptsStarted: [...sending.attemptsStarted, { id, at: state.now }] };
}

/** Runs the pump: starts due attempts until none is due, the limit is reached, or the spool is killed. */
export function pump(state: ModelState): ModelState {
  let s = state;
  while (!s.killed && s.running.length < s.maxConcurrentJobs) {
    const id = nextDue(s);
    if (id === undefined) break;
    s = startAttempt(s, id);
  }
  return s;
}
