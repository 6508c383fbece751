/**
 * The message record (the multispool metadata of a spooled message), its statuses and queues, and
 * the Spoolable that stores records as JSON and bodies as UTF-8 text. See
 * `docs/message-spool-protocol.md`, "The message record".
 */
import { jsonCodec, textCodec, type Codec, type Spoolable } from '../multispool/index.ts';

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

/** A spooled message, as stored in its queue file. Times in clock milliseconds, intervals in ms. */
export interface MessageRecord {
  /** The multispool entry name. */
  readonly id: string;
  /** The id of the message this batch came from (given by the caller of add). */
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

/** The queue a status lives in; `undefined` for delivered (the message is deleted). */
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

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Why `value` is not a status, or undefined when it is one. */
function statusProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'status is not an object';
  const s = value as { kind?: unknown; at?: unknown; reason?: unknown };
  switch (s.kind) {
    case 'sendNow':
    case 'sending':
    case 'frozen':
    case 'removed':
    case 'delivered':
      return undefined;
    case 'sendAt':
      return isTime(s.at) ? undefined : 'status sendAt without a numeric `at`';
    case 'quarantined':
      return typeof s.reason === 'string' ? undefined : 'status quarantined without a string `reason`';
    default:
      return `unknown status kind ${JSON.stringify(s.kind)}`;
  }
}

/** Why `value` is not a message record, or undefined when it is one. */
export function recordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const r = value as Record<string, unknown>;
  for (const key of ['id', 'parentId', 'sender'] as const) if (typeof r[key] !== 'string') return `field ${key} is not a string`;
  if (!isTime(r.spoolDate)) return 'field spoolDate is not a number';
  for (const key of ['recipients', 'remainingRecipients', 'failedRecipients'] as const) if (!isStringArray(r[key])) return `field ${key} is not a list of strings`;
  if (!Array.isArray(r.retryIntervals) || !r.retryIntervals.every((x) => isTime(x) && x >= 0)) return 'field retryIntervals is not a list of non-negative numbers';
  if (!Number.isSafeInteger(r.attempts) || (r.attempts as number) < 0) return 'field attempts is not a non-negative integer';
  return statusProblem(r.status);
}

const json = jsonCodec<MessageRecord>();

/** Records as JSON; decoding refuses (throws) anything that is not a well-formed record. */
export const recordCodec: Codec<MessageRecord> = {
  encode: (record) => json.encode(record),
  decode(bytes) {
    const value: unknown = json.decode(bytes);
    const problem = recordProblem(value);
    if (problem !== undefined) throw new Error(`not a message record: ${problem}`);
    return value as MessageRecord;
  },
};

/** What a message spool stores in its multispool: records as metadata, bodies as data. */
export const MESSAGE_SPOOLABLE: Spoolable<Queue, MessageRecord, string> = {
  queues: QUEUES,
  queueDir: (q) => q,
  metadata: recordCodec,
  data: textCodec,
};
