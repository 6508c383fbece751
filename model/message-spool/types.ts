/**
 * The vocabulary of the message-spool model (`docs/message-spool-protocol.md`): queues, statuses,
 * message records, where a message sits on disk, events, the operations the model accepts and
 * what they return.
 *
 * The record, status and event shapes are the implementation's (`impl/message-spool/record.ts`,
 * `impl/message-spool/events.ts`), defined again here because a model imports nothing of ours
 * outside `model/`. Comparisons of model and implementation use these shapes as they are.
 */

/** The four queues of a message spool; each is a directory of the same name. */
export type Queue = 'active' | 'frozen' | 'removed' | 'quarantine';

/** Every queue, in the order startup visits their checkouts. */
export const QUEUES: readonly Queue[] = ['active', 'frozen', 'removed', 'quarantine'];

/** Where a message is in its life. `sending` exists in memory only; `delivered` never on disk. */
export type Status =
  | { readonly kind: 'sendNow' }
  | { readonly kind: 'sendAt'; readonly at: number }
  | { readonly kind: 'sending' }
  | { readonly kind: 'frozen' }
  | { readonly kind: 'removed' }
  | { readonly kind: 'quarantined'; readonly reason: string }
  | { readonly kind: 'delivered' };

/** A spooled message (the multispool metadata). Times in clock milliseconds, intervals in ms. */
export interface MessageRecord {
  /** The multispool entry name. */
  readonly id: string;
  /** The id of the message this batch came from (given by the caller of add / quarantine). */
  readonly parentId: string;
  /** Clock time of the add (or quarantine). */
  readonly spoolDate: number;
  readonly status: Status;
  /** Envelope sender. */
  readonly sender: string;
  /** Envelope recipients as added; never changes. */
  readonly recipients: readonly string[];
  /** Recipients still to deliver to. */
  readonly remainingRecipients: readonly string[];
  /** Recipients that failed permanently (moved back to remaining by `send`). */
  readonly failedRecipients: readonly string[];
  /** Retry intervals left; the head is used at the next "try later". */
  readonly retryIntervals: readonly number[];
  /** Sender calls made so far. */
  readonly attempts: number;
}

/** The queue a status lives in: sendNow, sendAt, sending → active; delivered → `undefined` (deleted). */
export function queueOf(status: Status): Queue | undefined {
  switch (status.kind) {
    case 'sendNow':
    case 'sendAt':
    case 'sending':
      return 'active';
    case 'frozen':
      return 'frozen';
    case 'removed':
      return 'removed';
    case 'quarantined':
      return 'quarantine';
    case 'delivered':
      return undefined;
  }
}

/** Deep equality of two statuses. */
export function statusesEqual(a: Status, b: Status): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'sendAt' && b.kind === 'sendAt') return a.at === b.at;
  if (a.kind === 'quarantined' && b.kind === 'quarantined') return a.reason === b.reason;
  return true;
}

const arraysEqual = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Deep equality of two records: the test of withFile step 3 ("the on-disk metadata differs"). */
export function recordsEqual(a: MessageRecord, b: MessageRecord): boolean {
  return (
    a.id === b.id &&
    a.parentId === b.parentId &&
    a.spoolDate === b.spoolDate &&
    statusesEqual(a.status, b.status) &&
    a.sender === b.sender &&
    arraysEqual(a.recipients, b.recipients) &&
    arraysEqual(a.remainingRecipients, b.remainingRecipients) &&
    arraysEqual(a.failedRecipients, b.failedRecipients) &&
    arraysEqual(a.retryIntervals, b.retryIntervals) &&
    a.attempts === b.attempts
  );
}

/** Where a message is on disk: its queue, whether it is checked out of it, its record and body. */
export interface DiskEntry {
  /** The queue whose directory (or `.checkout` directory) holds the metadata file. */
  readonly queue: Queue;
  /** True when the metadata file sits in `<queue>/.checkout`. */
  readonly checkedOut: boolean;
  /** The metadata file's record. */
  readonly record: MessageRecord;
  /** The data file (the email body). */
  readonly body: string;
}

/** What `add` and `quarantine` take per message: routing, body, and optional own retry intervals. */
export interface Envelope {
  readonly sender: string;
  readonly recipients: readonly string[];
  readonly body: string;
  /** Default: the spool's `retryIntervals`. */
  readonly retryIntervals?: readonly number[];
}

/** One event; `at` is the clock time the change was saved (the spool date for `spooled`). */
export type MessageEvent =
  | { readonly kind: 'spooled' | 'delivered' | 'frozen' | 'removed' | 'unfrozen'; readonly id: string; readonly at: number }
  | { readonly kind: 'delayed'; readonly id: string; readonly at: number; readonly until: number }
  | { readonly kind: 'recovered'; readonly id: string; readonly at: number; readonly from: 'removed' | 'quarantine' }
  | { readonly kind: 'quarantined'; readonly id: string; readonly at: number; readonly reason: string };

/** The kinds of message-spool errors (the protocol's "Errors"); the model never returns `locked` nor `spool`. */
export type MessageErrorKind = 'locked' | 'killed' | 'notFound' | 'busy' | 'notFrozen' | 'changedOnDisk' | 'invalidArgument' | 'spool';

/** The answer of a bulk operation for one id: `ok` or an error kind. */
export interface IdResult {
  readonly id: string;
  readonly result: 'ok' | MessageErrorKind;
}

/** What the presend hook decided for an attempt. */
export type PresendDecision =
  | { readonly kind: 'sendNow' }
  | { readonly kind: 'freeze' }
  | { readonly kind: 'remove' }
  | { readonly kind: 'sendAt'; readonly at: number };

/** What the sender answered; a sender that throws or rejects is `tryLater` for the model. */
export type SendOutcome = 'done' | 'tryLater' | 'failPermanently';

/** How one attempt ends: the presend decision and, when it is sendNow, the sender's outcome. */
export interface AttemptOutcome {
  /**
   * The presend hook's decision, or `failed` when it threw or rejected: that counts as "try
   * later" without a sender call and without counting an attempt.
   */
  readonly presend: PresendDecision | { readonly kind: 'failed' };
  /** Required when `presend` is sendNow; ignored otherwise. */
  readonly send?: SendOutcome;
}

/** One operation on the model: a call on the spool, a clock tick, the end of an attempt, or a process restart. */
export type ModelOp =
  /** `add(envelopes, { initialStatus, parentId })`; `ids` are the names the name generator hands out, one per envelope. */
  | {
      readonly kind: 'add';
      readonly ids: readonly string[];
      readonly envelopes: readonly Envelope[];
      readonly initialStatus: 'sendNow' | 'frozen';
      readonly parentId: string;
    }
  /** `quarantine(reason, envelopes, { parentId })`; `ids` as for add. */
  | { readonly kind: 'quarantine'; readonly ids: readonly string[]; readonly reason: string; readonly envelopes: readonly Envelope[]; readonly parentId: string }
  /** `freeze(ids)`. */
  | { readonly kind: 'freeze'; readonly ids: readonly string[] }
  /** `send(which, { retryIntervals })`. */
  | {
      readonly kind: 'send';
      readonly which: { readonly all: true } | { readonly frozenOnly: true } | { readonly ids: readonly string[] };
      readonly retryIntervals: readonly number[];
    }
  /** `remove(ids)`. */
  | { readonly kind: 'remove'; readonly ids: readonly string[] }
  /** `recover({ ids, from })`. */
  | { readonly kind: 'recover'; readonly ids: readonly string[]; readonly from: 'removed' | 'quarantine' }
  /** The clock advances by `ms` (>= 0). */
  | { readonly kind: 'tick'; readonly ms: number }
  /** Ends the running attempt of `id` with `outcome` (the presend hook's and the sender's answers). */
  | { readonly kind: 'resolve'; readonly id: string; readonly outcome: AttemptOutcome }
  /** `killAndFlush({ timeoutMs })`. */
  | { readonly kind: 'killAndFlush'; readonly timeoutMs?: number }
  /** `setMaxConcurrentJobs(n)`. */
  | { readonly kind: 'setMaxConcurrentJobs'; readonly n: number }
  /** `countFromDisk()`. */
  | { readonly kind: 'countFromDisk' }
  /** The process is killed (kill -9) between operations and a new one starts on the same directory. */
  | { readonly kind: 'restart' };

/** What an operation returned. */
export type ModelResult =
  /** add, quarantine: the ids spooled. */
  | { readonly kind: 'ids'; readonly ids: readonly string[] }
  /** freeze, send, remove, recover: one answer per id handled. */
  | { readonly kind: 'perId'; readonly results: readonly IdResult[] }
  /** A whole-call refusal (`killed`, `invalidArgument`). */
  | { readonly kind: 'error'; readonly error: MessageErrorKind }
  /** countFromDisk. */
  | { readonly kind: 'count'; readonly count: number }
  /** killAndFlush: the index of its waiter in `flushWaiters` (its outcome may already be final). */
  | { readonly kind: 'flush'; readonly waiter: number }
  /** restart: names put back from checkouts, queue order active, frozen, removed, quarantine, then by name. */
  | { readonly kind: 'restarted'; readonly putBack: readonly string[] }
  /** tick, resolve, setMaxConcurrentJobs. */
  | { readonly kind: 'done' };
