/**
 * The message-spool reference model (docs/message-spool-protocol.md): plain data in, plain data out. See
 * `docs/message-spool-protocol.md`. `initialModel(config)` is a fresh spool on an empty
 * directory; `step(state, op)` applies one operation (ending with the delivery pump).
 */
export {
  queueOf,
  QUEUES,
  recordsEqual,
  statusesEqual,
  type AttemptOutcome,
  type DiskEntry,
  type Envelope,
  type IdResult,
  type MessageErrorKind,
  type MessageEvent,
  type MessageRecord,
  type ModelOp,
  type ModelResult,
  type PresendDecision,
  type Queue,
  type SendOutcome,
  type Status,
} from './types.ts';
export {
  compareIds,
  DEFAULT_MAX_CONCURRENT_JOBS,
  DEFAULT_RETRY_INTERVALS,
  fullConfig,
  initialModel,
  statusOf,
  type FlushWaiter,
  type ModelConfig,
  type ModelState,
} from './state.ts';
export { countFromDisk, sendTargets, type SendWhich } from './operations.ts';
export { nextDue } from './pump.ts';
export { step, type StepOutcome } from './step.ts';
