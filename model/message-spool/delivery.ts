/**
 * The end of a delivery attempt (`docs/message-spool-protocol.md`, "Delivery", steps 1 to 3):
 * what the presend hook decided and, when it said sendNow, what the sender answered, applied to
 * the checked-out entry at the clock time the outcome arrives (`now`).
 *
 * The base is the record as it was before `sending`, which is the record on disk (the checkout
 * does not change it). When the sender was called, `attempts` is one more.
 * - presend `freeze`: status frozen, saved into `frozen`; event `frozen`.
 * - presend `remove`: status removed, saved into `removed`, dropped from memory; event `removed`.
 * - presend `sendAt(t)`: status sendAt(t), saved into `active`, `due := t`; event `delayed(t)`.
 * - sender `done`: the entry is removed, dropped from memory; event `delivered`.
 * - sender `failPermanently`: failed ++= remaining, remaining := [], status frozen; event `frozen`.
 * - sender `tryLater` with intervals `[r, ...rs]`: status sendAt(now + r), intervals := rs,
 *   `due := now + r`; event `delayed(now + r)`. With no interval left: frozen; event `frozen`.
 * Then the attempt leaves `running`. (Waking flush waiters and the pump are step.ts's.)
 */
import { emit, schedule, type ModelState } from './state.ts';
import type { AttemptOutcome, MessageRecord } from './types.ts';
import { applyChange } from './with-file.ts';

/** Applies `outcome` to the running attempt of `id` and removes it from `running`. Throws if `id` is not running. */
export function resolveAttempt(state: ModelState, id: string, outcome: AttemptOutcome): ModelState {
  const index = state.running.indexOf(id);
  if (index < 0) throw new Error(`message-spool model: resolve of ${id}, which has no attempt running (harness bug)`);
  const entry = state.disk.get(id);
  if (entry === undefined || !entry.checkedOut) throw new Error(`message-spool model: the running attempt of ${id} has no checked-out entry`);
  const ended = applyOutcome(state, entry.record, outcome);
  return { ...ended, running: [...state.running.slice(0, index), ...state.running.slice(index + 1)] };
}

/** Saves `base` with `status` frozen into `frozen`, keeps it in memory; event `frozen`. */
function freeze(state: ModelState, base: MessageRecord): ModelState {
  const record: MessageRecord = { ...base, status: { kind: 'frozen' } };
  return emit(applyChange(state, base.id, { kind: 'save', record, inMemory: true }), { kind: 'frozen', id: base.id, at: state.now });
}

/** Saves `base` with status sendAt(at) into `active`, `due := at`; event `delayed(at)`. */
function delay(state: ModelState, base: MessageRecord, at: number): ModelState {
  const record: MessageRecord = { ...base, status: { kind: 'sendAt', at } };
  const saved = schedule(applyChange(state, base.id, { kind: 'save', record, inMemory: true }), base.id, at);
  return emit(saved, { kind: 'delayed', id: base.id, at: state.now, until: at });
}

function applyOutcome(state: ModelState, base: MessageRecord, outcome: AttemptOutcome): ModelState {
  const { id } = base;
  const now = state.now;
  switch (outcome.presend.kind) {
    case 'failed':
      return tryLater(state, base);
    case 'freeze':
      return freeze(state, base);
    case 'remove': {
      const record: MessageRecord = { ...base, status: { kind: 'removed' } };
      return emit(applyChange(state, id, { kind: 'save', record, inMemory: false }), { kind: 'removed', id, at: now });
    }
    case 'sendAt':
      return delay(state, base, outcome.presend.at);
    case 'sendNow':
      break;
  }
  if (outcome.send === undefined) throw new Error(`message-spool model: presend sendNow for ${id} without a send outcome (harness bug)`);
  const sent: MessageRecord = { ...base, attempts: base.attempts + 1 };
  switch (outcome.send) {
    case 'done':
      return emit(applyChange(state, id, { kind: 'remove' }), { kind: 'delivered', id, at: now });
    case 'failPermanently':
      return freeze(state, { ...sent, failedRecipients: [...sent.failedRecipients, ...sent.remainingRecipients], remainingRecipients: [] });
    case 'tryLater':
      return tryLater(state, sent);
  }
}

/** Try again after the next retry interval, which is used up; frozen when none is left. */
function tryLater(state: ModelState, record: MessageRecord): ModelState {
  const [r, ...rs] = record.retryIntervals;
  if (r === undefined) return freeze(state, record);
  return delay(state, { ...record, retryIntervals: rs }, state.now + r);
}
