/**
 * Crash workloads for the message spool: short sequences of message spool operations run by a
 * simulated process on the crash-simulating Vfs under a manual clock. Running a workload records
 * the history the crash explorer needs (a marker after each operation returns, and one whenever the
 * sender says `done`), and, for every message, the record each operation gave it, from which the
 * guarantees after a crash are derived (see guarantees.ts).
 *
 * The spool runs with a presend hook and a sender that the workload controls: every delivery
 * attempt stops at presend until an operation answers it, so between operations the spool is
 * quiet and the state of every message is known. The workload computes each message's record
 * itself (from docs/message-spool-protocol.md) and checks, after every operation, that the live
 * disk holds exactly that; a disagreement stops the run with a {@link WorkloadDivergence}, so a
 * crash check never rests on a wrong expectation.
 */
import { isDeepStrictEqual } from 'node:util';
import { manualClock, type Clock, type ManualClock } from '../../impl/io/clock.ts';
import type { Vfs } from '../../impl/io/vfs.ts';
import {
  MESSAGE_SPOOLABLE,
  MessageSpool,
  queueOf,
  type BackgroundError,
  type IdResult,
  type MessageRecord,
  type MessageSpoolQuirks,
  type PresendDecision,
  type SendOutcome,
} from '../../impl/message-spool/index.ts';
import { Multispool, type NameGenerator } from '../../impl/multispool/index.ts';
import { activityVfs } from '../../sim/activity.ts';
import { crashVfs, type CrashVfs } from '../../sim/crash-vfs.ts';
import type { History } from '../../sim/crash/history.ts';
import { processTable } from '../../sim/processes.ts';
import { readSpoolImage, type Place } from './disk.ts';

/** The spool directory of every message workload. */
export const MESSAGE_SPOOL_DIR = '/spool';

/** Where the workload's clock starts (ms). */
export const WORKLOAD_START_MS = 1_700_000_000_000;

/** The name (and lock owner id) of the process that runs the workload and dies in the crash. */
export const WORKLOAD_PROCESS = 'p1';

/** The parent id of every message the workload adds (the same for all, so equal histories stay equal). */
export const WORKLOAD_PARENT_ID = 'w';

/** The retry intervals of every message the workload adds: 10 minutes, then 1 hour. */
export const WORKLOAD_RETRY_INTERVALS: readonly number[] = [600_000, 3_600_000];

/** The operation kinds of a workload (what each does: {@link MESSAGE_OPS}). */
export type MessageOp =
  | 'addNow'
  | 'addFrozen'
  | 'deliverDone'
  | 'deliverLater'
  | 'deliverFail'
  | 'presendFreeze'
  | 'freeze'
  | 'send'
  | 'remove'
  | 'recover'
  | 'tick';

/**
 * Every operation kind, in a fixed order (the exhaustive property enumerates sequences of these):
 * - `addNow` / `addFrozen`: add one message (sendNow: its attempt starts and waits at presend);
 * - `deliverDone` / `deliverLater` / `deliverFail`: the oldest running attempt: presend says
 *   sendNow and the sender says done / tryLater / failPermanently;
 * - `presendFreeze`: the oldest running attempt: presend says freeze;
 * - `freeze`: the first (by id) waiting message (sendNow or sendAt) that is not running;
 * - `send`: the first frozen message: it goes to active and its attempt starts;
 * - `remove`: the first frozen message -> removed;
 * - `recover`: the first removed message -> frozen;
 * - `tick`: the clock moves to the earliest retry time, so that delayed message's attempt starts.
 * An operation with no message to act on does nothing.
 */
export const MESSAGE_OPS: readonly MessageOp[] = [
  'addNow',
  'addFrozen',
  'deliverDone',
  'deliverLater',
  'deliverFail',
  'presendFreeze',
  'freeze',
  'send',
  'remove',
  'recover',
  'tick',
];

/** What the disk holds of a message at some moment: its record, nothing yet, or nothing any more (delivered). */
export type MessageState = MessageRecord | 'absent' | 'delivered';

/** One message's life in a workload. */
export interface MessageLife {
  readonly id: string;
  /** The body it was added with. */
  readonly body: string;
  /** `after[k]`: its state once `k` operations had returned (`after[0]`: when recording started). */
  readonly after: readonly MessageState[];
}

/** What one operation of a run did. */
export interface OpRecord {
  readonly op: MessageOp;
  /** The message it acted on; undefined when there was none to act on (the operation did nothing). */
  readonly id?: string;
  /** In words, with the result the workload saw: `freeze m01 -> ok`. */
  readonly did: string;
}

/** A message present before recording started. */
export interface InitialMessage {
  readonly record: MessageRecord;
  readonly body: string;
}

/**
 * The envelope fields of the `k`-th message of a workload: distinct per message, so mix-ups show,
 * and short, because every byte of a record is a piece a power loss can tear (8-byte pieces
 * under strict and ext4-ordered), and pieces multiply the crash states to explore.
 */
function routing(k: number): { sender: string; recipients: string[]; body: string } {
  return { sender: `s${k}@x`, recipients: [`r${k}@y`], body: `body ${k}\r\n` };
}

const messageId = (k: number): string => `m${String(k).padStart(2, '0')}`;

/**
 * The messages every workload starts from, created before recording (so they are durable):
 * `m00`, frozen after a permanent failure (its recipient failed, one retry interval left), and
 * `m01`, waiting for a retry two hours after the start (one attempt made, one interval left).
 */
export const INITIAL_MESSAGES: readonly InitialMessage[] = [0, 1].map((k) => {
  const r = routing(k);
  const record: MessageRecord = {
    id: messageId(k),
    parentId: 'old',
    spoolDate: WORKLOAD_START_MS - 3_600_000,
    status: k === 0 ? { kind: 'frozen' } : { kind: 'sendAt', at: WORKLOAD_START_MS + 7_200_000 },
    sender: r.sender,
    recipients: r.recipients,
    remainingRecipients: k === 0 ? [] : r.recipients,
    failedRecipients: k === 0 ? r.recipients : [],
    retryIntervals: [3_600_000],
    attempts: 1,
  };
  return { record, body: r.body };
});

/** Prefix of the marker dropped when an operation returns. */
const OP_MARK = 'operation ';
/** Prefix of the marker dropped when the sender says done (followed by the message id). */
const DONE_MARK = 'sender said done for ';

/** What a workload marker says: an operation returned, or the sender said done for a message. */
export type ParsedMark = { readonly kind: 'op' } | { readonly kind: 'done'; readonly id: string } | { readonly kind: 'other' };

/** Reads a marker label written by {@link runMessageWorkload}. */
export function parseMark(label: string): ParsedMark {
  if (label.startsWith(DONE_MARK)) return { kind: 'done', id: label.slice(DONE_MARK.length) };
  if (label.startsWith(OP_MARK)) return { kind: 'op' };
  return { kind: 'other' };
}

/** A completed run. */
export interface MessageWorkloadRun {
  readonly ops: readonly MessageOp[];
  readonly performed: readonly OpRecord[];
  /** Every message the run knew, by id. */
  readonly messages: ReadonlyMap<string, MessageLife>;
  /** The recorded history (baseline: the initial messages, the spool open and locked by {@link WORKLOAD_PROCESS}). */
  readonly history: History;
  /** The clock when the run ended (ms). */
  readonly endMs: number;
}

/** The workload's own view disagrees with what the running spool did: the run cannot be crash-checked. */
export class WorkloadDivergence extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkloadDivergence';
  }
}

/** Names `m02`, `m03`, ... (after the initial messages); `peek` tells the next one. */
function counterNames(start: number): NameGenerator & { peek(): string } {
  let n = start - 1;
  return { next: (attempt) => (attempt === 0 ? messageId(++n) : `${messageId(n)}-${attempt}`), peek: () => messageId(n + 1) };
}

/** Creates {@link MESSAGE_SPOOL_DIR} holding {@link INITIAL_MESSAGES} (through the multispool, as a previous life of the spool left them). */
export async function createInitialSpool(vfs: Vfs, clock: Clock): Promise<void> {
  const spool = await Multispool.create(vfs, MESSAGE_SPOOL_DIR, MESSAGE_SPOOLABLE, { clock });
  for (const m of INITIAL_MESSAGES) {
    await spool.enqueue(queueOf(m.record.status) as 'active' | 'frozen', m.record, m.body, { reserve: { next: () => m.record.id } });
  }
}

/** The place a message in `state` must be in between operations (`running`: its attempt holds it). */
function expectedPlace(record: MessageRecord, running: boolean): Place {
  return running ? 'active/.checkout' : (queueOf(record.status) as Place);
}

/**
 * Sets up the initial spool on a fresh crash Vfs, opens the message spool in process
 * {@link WORKLOAD_PROCESS}, starts recording, and runs `ops`: after each one the spool is let go
 * quiet, the live disk is checked against the workload's expectation, and a marker is dropped.
 * Everything before recording (the initial messages, the open, the lock) is durable.
 */
export async function runMessageWorkload(ops: readonly MessageOp[], quirks: MessageSpoolQuirks = {}): Promise<MessageWorkloadRun> {
  const clock: ManualClock = manualClock(WORKLOAD_START_MS);
  const crash: CrashVfs = crashVfs({ clock });
  await createInitialSpool(crash, clock);
  const activity = activityVfs(crash);
  const worker = processTable().spawn(WORKLOAD_PROCESS);
  const presends = new Map<string, (d: PresendDecision) => void>();
  const answers = new Map<string, SendOutcome>();
  const background: BackgroundError[] = [];
  const names = counterNames(INITIAL_MESSAGES.length);
  const spool = await MessageSpool.open(worker.vfs(activity.vfs), MESSAGE_SPOOL_DIR, {
    clock: worker.clock(clock),
    processes: worker.probe,
    names,
    retryIntervals: WORKLOAD_RETRY_INTERVALS,
    quirks,
    onError: (e) => background.push(e),
    presend: (record) => new Promise<PresendDecision>((resolve) => presends.set(record.id, resolve)),
    sender: {
      send: async ({ record }) => {
        const answer = answers.get(record.id) ?? 'tryLater';
        answers.delete(record.id);
        // The moment of the SMTP exchange's success, in the history: a crash after it may re-send.
        if (answer === 'done') crash.mark(`${DONE_MARK}${record.id}`);
        return answer;
      },
    },
  });
  await activity.settle();
  crash.startRecording();

  // The workload's own view: each message's state, and the attempts waiting at presend, oldest first.
  const state = new Map<string, MessageState>();
  const bodies = new Map<string, string>();
  const lives = new Map<string, MessageState[]>();
  for (const m of INITIAL_MESSAGES) {
    state.set(m.record.id, m.record);
    bodies.set(m.record.id, m.body);
  }
  const running: string[] = [];
  const performed: OpRecord[] = [];
  const snapshot = (k: number): void => {
    for (const [id, s] of state) {
      let life = lives.get(id);
      if (life === undefined) {
        life = Array.from({ length: k }, (): MessageState => 'absent');
        lives.set(id, life);
      }
      life.push(s);
    }
  };
  snapshot(0);

  const records = (): [string, MessageRecord][] => [...state].filter((e): e is [string, MessageRecord] => typeof e[1] !== 'string').sort(([a], [b]) => (a < b ? -1 : 1));
  const firstWith = (pred: (r: MessageRecord) => boolean): string | undefined => records().find(([id, r]) => !running.includes(id) && pred(r))?.[0];
  const expectOk = (what: string, results: readonly IdResult[], id: string): string => {
    if (!isDeepStrictEqual(results, [{ id, result: 'ok' }])) throw new WorkloadDivergence(`${what} ${id} returned ${JSON.stringify(results)}, expected ok`);
    return `${what} ${id} -> ok`;
  };
  const record = (id: string): MessageRecord => state.get(id) as MessageRecord;
  /** Answers the oldest attempt's presend with `decision` (and the sender with `outcome`). */
  const answerOldest = (decision: PresendDecision, outcome?: SendOutcome): string | undefined => {
    const id = running.shift();
    if (id === undefined) return undefined;
    const resolve = presends.get(id);
    if (resolve === undefined) throw new WorkloadDivergence(`the attempt on ${id} is not waiting at presend`);
    presends.delete(id);
    if (outcome !== undefined) answers.set(id, outcome);
    resolve(decision);
    return id;
  };
  /** The protocol's "try later" on a record whose sender call was made. */
  const later = (r: MessageRecord): MessageRecord => {
    const [next, ...rest] = r.retryIntervals;
    const tried = { ...r, attempts: r.attempts + 1 };
    return next === undefined ? { ...tried, status: { kind: 'frozen' } } : { ...tried, status: { kind: 'sendAt', at: clock.now() + next }, retryIntervals: rest };
  };

  for (const [i, op] of ops.entries()) {
    let id: string | undefined;
    let did: string;
    switch (op) {
      case 'addNow':
      case 'addFrozen': {
        const k = Number(names.peek().slice(1));
        const r = routing(k);
        const ids = await spool.add([{ sender: r.sender, recipients: r.recipients, body: r.body }], {
          parentId: WORKLOAD_PARENT_ID,
          initialStatus: op === 'addNow' ? 'sendNow' : 'frozen',
        });
        id = ids[0];
        if (ids.length !== 1 || id !== messageId(k)) throw new WorkloadDivergence(`add returned ${JSON.stringify(ids)}, expected [${messageId(k)}]`);
        state.set(id, {
          id,
          parentId: WORKLOAD_PARENT_ID,
          spoolDate: clock.now(),
          status: { kind: op === 'addNow' ? 'sendNow' : 'frozen' },
          sender: r.sender,
          recipients: r.recipients,
          remainingRecipients: r.recipients,
          failedRecipients: [],
          retryIntervals: [...WORKLOAD_RETRY_INTERVALS],
          attempts: 0,
        });
        bodies.set(id, r.body);
        if (op === 'addNow') running.push(id);
        did = `${op} -> ${id}`;
        break;
      }
      case 'deliverDone':
      case 'deliverLater':
      case 'deliverFail': {
        const outcome: SendOutcome = op === 'deliverDone' ? 'done' : op === 'deliverLater' ? 'tryLater' : 'failPermanently';
        id = answerOldest({ kind: 'sendNow' }, outcome);
        if (id === undefined) {
          did = `${op}: no attempt running (nothing done)`;
          break;
        }
        const r = record(id);
        if (outcome === 'done') state.set(id, 'delivered');
        else if (outcome === 'tryLater') state.set(id, later(r));
        else {
          state.set(id, {
            ...r,
            attempts: r.attempts + 1,
            failedRecipients: [...r.failedRecipients, ...r.remainingRecipients],
            remainingRecipients: [],
            status: { kind: 'frozen' },
          });
        }
        did = `${op} ${id}: presend sendNow, sender ${outcome}`;
        break;
      }
      case 'presendFreeze': {
        id = answerOldest({ kind: 'freeze' });
        if (id === undefined) {
          did = 'presendFreeze: no attempt running (nothing done)';
          break;
        }
        state.set(id, { ...record(id), status: { kind: 'frozen' } });
        did = `presendFreeze ${id}: presend freeze`;
        break;
      }
      case 'freeze': {
        id = firstWith((r) => r.status.kind === 'sendNow' || r.status.kind === 'sendAt');
        if (id === undefined) {
          did = 'freeze: no waiting message (nothing done)';
          break;
        }
        did = expectOk('freeze', await spool.freeze([id]), id);
        state.set(id, { ...record(id), status: { kind: 'frozen' } });
        break;
      }
      case 'send': {
        id = firstWith((r) => r.status.kind === 'frozen');
        if (id === undefined) {
          did = 'send: no frozen message (nothing done)';
          break;
        }
        did = expectOk('send', await spool.send({ ids: [id] }), id);
        const r = record(id);
        state.set(id, { ...r, status: { kind: 'sendNow' }, remainingRecipients: [...r.remainingRecipients, ...r.failedRecipients], failedRecipients: [] });
        running.push(id);
        break;
      }
      case 'remove': {
        id = firstWith((r) => r.status.kind === 'frozen');
        if (id === undefined) {
          did = 'remove: no frozen message (nothing done)';
          break;
        }
        did = expectOk('remove', await spool.remove([id]), id);
        state.set(id, { ...record(id), status: { kind: 'removed' } });
        break;
      }
      case 'recover': {
        id = firstWith((r) => r.status.kind === 'removed');
        if (id === undefined) {
          did = 'recover: no removed message (nothing done)';
          break;
        }
        did = expectOk('recover', await spool.recover({ ids: [id], from: 'removed' }), id);
        state.set(id, { ...record(id), status: { kind: 'frozen' } });
        break;
      }
      case 'tick': {
        const waiting = records().flatMap(([wid, r]) => (!running.includes(wid) && r.status.kind === 'sendAt' ? [{ id: wid, at: r.status.at }] : []));
        if (waiting.length === 0) {
          did = 'tick: no delayed message (nothing done)';
          break;
        }
        clock.set(Math.max(clock.now(), Math.min(...waiting.map((w) => w.at))));
        // The pump starts every due message in order of (due time, id).
        const due = waiting
          .filter((w) => w.at <= clock.now())
          .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
          .map((w) => w.id);
        running.push(...due);
        id = due[0];
        did = `tick to +${clock.now() - WORKLOAD_START_MS}ms: attempt of ${due.join(', ')} starts`;
        break;
      }
    }
    await activity.settle();
    await verify(`after operation ${i + 1} (${did})`);
    performed.push({ op, ...(id === undefined ? {} : { id }), did });
    snapshot(i + 1);
    crash.mark(`${OP_MARK}${i + 1} (${did}) returned`);
  }

  /** The live disk and the spool's running attempts are exactly what the workload expects. */
  async function verify(when: string): Promise<void> {
    const problems: string[] = [];
    if (background.length > 0) problems.push(`background errors: ${background.map((e) => `${e.id} during ${e.during}: ${String(e.error)}`).join('; ')}`);
    if (!isDeepStrictEqual(spool.running(), running)) problems.push(`running attempts ${JSON.stringify(spool.running())}, expected ${JSON.stringify(running)}`);
    if (!isDeepStrictEqual([...presends.keys()].sort(), [...running].sort())) problems.push(`presend waiting for ${JSON.stringify([...presends.keys()])}, expected ${JSON.stringify(running)}`);
    const disk = readSpoolImage(crash.liveImage(), MESSAGE_SPOOL_DIR);
    for (const [id, s] of state) {
      const found = disk.get(id);
      const files = found?.files ?? [];
      if (s === 'delivered' || s === 'absent') {
        if (found !== undefined) problems.push(`${id} should be gone, but files remain (${files.map((f) => f.place).join(', ') || 'registry/data only'})`);
        continue;
      }
      const place = expectedPlace(s, running.includes(id));
      if (files.length !== 1 || files[0]?.place !== place) problems.push(`${id} is in ${files.map((f) => f.place).join(' and ') || 'no queue'}, expected ${place}`);
      else if (!isDeepStrictEqual(files[0].record, s)) problems.push(`${id} holds ${JSON.stringify(files[0].record ?? files[0].problem)}, expected ${JSON.stringify(s)}`);
      if (found?.body !== bodies.get(id)) problems.push(`${id} has body ${JSON.stringify(found?.body)}, expected ${JSON.stringify(bodies.get(id))}`);
    }
    for (const id of disk.keys()) if (!state.has(id)) problems.push(`unknown files of ${id} on disk`);
    if (problems.length > 0) throw new WorkloadDivergence(`workload ${describeOps(ops)}, ${when}: the running spool differs from the workload's expectation:\n  ${problems.join('\n  ')}`);
  }

  worker.kill(); // the crash: whatever the spool would do next never happens
  const messages = new Map<string, MessageLife>();
  for (const [id, after] of [...lives].sort(([a], [b]) => (a < b ? -1 : 1))) messages.set(id, { id, body: bodies.get(id) as string, after });
  return { ops, performed, messages, history: crash.history(), endMs: clock.now() };
}

/** A workload in words: `addNow, deliverDone`. */
export function describeOps(ops: readonly MessageOp[]): string {
  return ops.length === 0 ? '(no operation)' : ops.join(', ');
}
