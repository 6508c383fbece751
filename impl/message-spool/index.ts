/**
 * The SMTP message spool: the public API. See `docs/message-spool-protocol.md` for the contract.
 */
export {
  DEFAULT_MAX_CONCURRENT_JOBS,
  DEFAULT_RETRY_INTERVALS,
  MessageSpool,
  type Envelope,
  type FlushOutcome,
  type IdResult,
  type MessageSpoolOptions,
  type SendWhich,
} from './message-spool.ts';
export { MessageSpoolError, isMessageSpoolError, type MessageSpoolErrorKind } from './errors.ts';
export type { MessageEvent } from './events.ts';
export { alwaysSendNow, type Delivery, type Presend, type PresendDecision, type SendOutcome, type Sender } from './hooks.ts';
export { acquireSpoolLock, DEFAULT_LOCK_GRACE_MS, lockGeneration, lockPath, type LockOptions, type SpoolLock } from './lock.ts';
export { NO_MESSAGE_SPOOL_QUIRKS, type MessageSpoolQuirks } from './quirks.ts';
export { MESSAGE_SPOOLABLE, QUEUES, queueOf, recordCodec, recordProblem, type MessageRecord, type Queue, type Status } from './record.ts';
export type { BackgroundError } from './runtime.ts';
export type { StartupReport, UnreadableFile } from './startup.ts';
