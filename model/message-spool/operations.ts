/**
 * The spool's calls on messages (`docs/message-spool-protocol.md`, "Operations"): add,
 * quarantine, freeze, send, remove, recover and countFromDisk, as pure functions on a
 * {@link ModelState}. The `killed` refusal and the pump at the end are step.ts's.
 *
 * Bulk operations answer per id, in the order handled; each id is handled completely before the
 * next, so a repeated id sees the state the first one left. The model's enqueue never fails, so
 * add and quarantine never answer `spool`.
 *
 * Where the protocol names only some statuses, the others (which only a restart on foreign or
 * crashed files can put in memory: `removed`, `quarantined`, `delivered`) are handled as in the
 * original: freeze goes through withFile whatever the status (a `delivered` record has no queue:
 * `notFound`), send leaves them alone (`ok`), remove says `notFrozen`.
 */
import { compareIds, emit, putEntry, remember, schedule, unschedule, type ModelState } from './state.ts';
import { queueOf, type DiskEntry, type Envelope, type IdResult, type MessageErrorKind, type MessageRecord, type Status } from './types.ts';
import { withFile } from './with-file.ts';

/** What an operation did: the new state and what it returned. */
export interface Applied<R> {
  readonly state: ModelState;
  readonly value: R;
}

/** The record of a new message: spoolDate now, attempts 0, remaining = recipients, failed = []. */
function newRecord(state: ModelState, id: string, envelope: Envelope, status: Status, parentId: string): MessageRecord {
  return {
    id,
    parentId,
    spoolDate: state.now,
    status,
    sender: envelope.sender,
    recipients: [...envelope.recipients],
    remainingRecipients: [...envelope.recipients],
    failedRecipients: [],
    retryIntervals: [...(envelope.retryIntervals ?? state.config.retryIntervals)],
    attempts: 0,
  };
}

/** Throws unless `ids` are fresh names, one per envelope (the harness reserves them; anything else is its bug). */
function checkNames(state: ModelState, ids: readonly string[], envelopes: readonly Envelope[]): void {
  if (ids.length !== envelopes.length) throw new Error(`message-spool model: ${ids.length} ids for ${envelopes.length} envelopes (harness bug)`);
  if (new Set(ids).size !== ids.length) throw new Error('message-spool model: the same id twice in one batch (harness bug)');
  for (const id of ids) if (state.disk.has(id)) throw new Error(`message-spool model: id ${id} is already on disk (harness bug)`);
}

/** enqueue(queueOf(status), record, body, { use: id }): the entry is published, not checked out. */
function enqueue(state: ModelState, record: MessageRecord, body: string): ModelState {
  const queue = queueOf(record.status);
  if (queue === undefined) throw new Error(`message-spool model: cannot enqueue with status ${record.status.kind}`);
  const entry: DiskEntry = { queue, checkedOut: false, record, body };
  return putEntry(state, record.id, entry);
}

/**
 * add: per envelope in order, the record, enqueue into `queueOf(initialStatus)`, in memory,
 * event `spooled` (at = spoolDate = now), and for sendNow `due := now`. Returns the ids.
 */
export function add(state: ModelState, ids: readonly string[], envelopes: readonly Envelope[], initialStatus: 'sendNow' | 'frozen', parentId: string): Applied<readonly string[]> {
  checkNames(state, ids, envelopes);
  let s = state;
  envelopes.forEach((envelope, i) => {
    const id = ids[i] as string;
    const record = newRecord(s, id, envelope, { kind: initialStatus }, parentId);
    s = emit(remember(enqueue(s, record, envelope.body), record), { kind: 'spooled', id, at: record.spoolDate });
    if (initialStatus === 'sendNow') s = schedule(s, id, s.now);
  });
  return { state: s, value: [...ids] };
}

/** quarantine: as add with status quarantined(reason) into `quarantine`; not in memory; event `quarantined(reason)`. */
export function quarantine(state: ModelState, ids: readonly string[], reason: string, envelopes: readonly Envelope[], parentId: string): Applied<readonly string[]> {
  checkNames(state, ids, envelopes);
  let s = state;
  envelopes.forEach((envelope, i) => {
    const id = ids[i] as string;
    const record = newRecord(s, id, envelope, { kind: 'quarantined', reason }, parentId);
    s = emit(enqueue(s, record, envelope.body), { kind: 'quarantined', id, at: s.now, reason });
  });
  return { state: s, value: [...ids] };
}

/** Runs `one` on every id in order, threading the state; collects the per-id answers. */
function perId(state: ModelState, ids: readonly string[], one: (s: ModelState, id: string) => Applied<'ok' | MessageErrorKind>): Applied<readonly IdResult[]> {
  let s = state;
  const results: IdResult[] = [];
  for (const id of ids) {
    const r = one(s, id);
    s = r.state;
    results.push({ id, result: r.value });
  }
  return { state: s, value: results };
}

const answer = (state: ModelState, value: 'ok' | MessageErrorKind): Applied<'ok' | MessageErrorKind> => ({ state, value });

/**
 * freeze(ids): not in memory → `notFound`; sending → `busy`; frozen → `ok` (nothing changes);
 * otherwise withFile: status frozen, saved into `frozen`, due deleted; event `frozen`.
 */
export function freeze(state: ModelState, ids: readonly string[]): Applied<readonly IdResult[]> {
  return perId(state, ids, (s, id) => {
    const rec = s.memory.get(id);
    if (rec === undefined) return answer(s, 'notFound');
    if (rec.status.kind === 'sending') return answer(s, 'busy');
    if (rec.status.kind === 'frozen') return answer(s, 'ok');
    const done = withFile(s, id, (r) => ({ kind: 'save', record: { ...r, status: { kind: 'frozen' } }, inMemory: true }));
    if (!done.ok) return answer(s, done.error);
    return answer(emit(unschedule(done.state, id), { kind: 'frozen', id, at: s.now }), 'ok');
  });
}

/** Which messages `send` handles. */
export type SendWhich = { readonly all: true } | { readonly frozenOnly: true } | { readonly ids: readonly string[] };

/** The ids `which` names: `{ all }` the frozen and sendAt in-memory messages, `{ frozenOnly }` the frozen ones (both by id), `{ ids }` as given. */
export function sendTargets(state: ModelState, which: SendWhich): readonly string[] {
  if ('ids' in which) return which.ids;
  const wanted = (rec: MessageRecord): boolean => rec.status.kind === 'frozen' || ('all' in which && rec.status.kind === 'sendAt');
  return [...state.memory.values()]
    .filter(wanted)
    .map((rec) => rec.id)
    .sort(compareIds);
}

/**
 * send(which, { retryIntervals }): per id: not in memory → `notFound`; frozen or sendAt → withFile:
 * status sendNow, intervals := given ++ old, remaining ++= failed, failed := [], saved into
 * `active`, `due := now`; event `unfrozen` if it was frozen. Any other status → `ok`, nothing changes.
 */
export function send(state: ModelState, which: SendWhich, retryIntervals: readonly number[]): Applied<readonly IdResult[]> {
  return perId(state, sendTargets(state, which), (s, id) => {
    const rec = s.memory.get(id);
    if (rec === undefined) return answer(s, 'notFound');
    if (rec.status.kind !== 'frozen' && rec.status.kind !== 'sendAt') return answer(s, 'ok');
    const wasFrozen = rec.status.kind === 'frozen';
    const done = withFile(s, id, (r) => ({
      kind: 'save',
      record: {
        ...r,
        status: { kind: 'sendNow' },
        retryIntervals: [...retryIntervals, ...r.retryIntervals],
        remainingRecipients: [...r.remainingRecipients, ...r.failedRecipients],
        failedRecipients: [],
      },
      inMemory: true,
    }));
    if (!done.ok) return answer(s, done.error);
    const scheduled = schedule(done.state, id, s.now);
    return answer(wasFrozen ? emit(scheduled, { kind: 'unfrozen', id, at: s.now }) : scheduled, 'ok');
  });
}

/** remove(ids): not in memory → `notFound`; not frozen → `notFrozen`; else withFile: status removed, saved into `removed`, dropped from memory; event `removed`. */
export function remove(state: ModelState, ids: readonly string[]): Applied<readonly IdResult[]> {
  return perId(state, ids, (s, id) => {
    const rec = s.memory.get(id);
    if (rec === undefined) return answer(s, 'notFound');
    if (rec.status.kind !== 'frozen') return answer(s, 'notFrozen');
    const done = withFile(s, id, (r) => ({ kind: 'save', record: { ...r, status: { kind: 'removed' } }, inMemory: false }));
    if (!done.ok) return answer(s, done.error);
    return answer(emit(done.state, { kind: 'removed', id, at: s.now }), 'ok');
  });
}

/**
 * recover({ ids, from }): per id: in memory → `busy`; no entry in queue `from` that is not
 * checked out → `notFound`; else status frozen (other fields kept), saved into `frozen`, put in
 * memory; event `recovered(from)`.
 */
export function recover(state: ModelState, ids: readonly string[], from: 'removed' | 'quarantine'): Applied<readonly IdResult[]> {
  return perId(state, ids, (s, id) => {
    if (s.memory.has(id)) return answer(s, 'busy');
    const entry = s.disk.get(id);
    if (entry === undefined || entry.queue !== from || entry.checkedOut) return answer(s, 'notFound');
    const record: MessageRecord = { ...entry.record, status: { kind: 'frozen' } };
    const saved = remember(putEntry(s, id, { ...entry, queue: 'frozen', checkedOut: false, record }), record);
    return answer(emit(saved, { kind: 'recovered', id, at: s.now, from }), 'ok');
  });
}

/** countFromDisk: the entries in `active` and `frozen`, checked out or not. */
export function countFromDisk(state: ModelState): number {
  let n = 0;
  for (const entry of state.disk.values()) if (entry.queue === 'active' || entry.queue === 'frozen') n += 1;
  return n;
}
