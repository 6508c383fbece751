/**
 * The multispool reference model: plain data in, plain data out. See `docs/multispool-protocol.md`.
 */
export { emptySpool, type MetadataFile, type QueueState, type SpoolState } from './state.ts';
export { err, ok, type ErrorKind, type Result } from './result.ts';
export { isValidName, type NameSource } from './names.ts';
export { initialWorld } from './operations.ts';
export type {
  CheckedOut,
  EntryRef,
  HandleState,
  HeldEntry,
  ModelWorld,
  NameChoice,
  Op,
  OpKind,
  OpOf,
  OpValues,
  TryCheckoutValue,
} from './operations.ts';
export { step, type StepOutcome } from './step.ts';
export { looksLikeSpool, openSpool, SPOOL_DIRS, spoolPaths, type OpenOutcome, type Tree } from './layout.ts';
export {
  DEFAULT_LIMITS,
  fsck,
  locationKey,
  locationsOf,
  problemKey,
  sortProblems,
  type FileInfo,
  type Limits,
  type Location,
  type Problem,
} from './fsck.ts';
export { eventify, initialAlertState, type AlertEvent, type AlertState, type CountedProblem } from './monitor.ts';
export { checkCheckoutRegistered, checkInvariants, checkNoReuse, checkQuiescent } from './invariants.ts';
