/**
 * The multispool: the public API. See `docs/multispool-protocol.md` for the exact protocol.
 */
export { Multispool, type MultispoolOptions, type TryWithEntryResult } from './multispool.ts';
export { CheckedOutEntry } from './checked-out-entry.ts';
export type { TryCheckoutResult } from './checkout.ts';
export type { DataFile } from './data-file.ts';
export type { DirectAccess } from './direct.ts';
export type { EnqueueName } from './enqueue.ts';
export type { Entry } from './entry.ts';
export { SpoolError, isSpoolError, type SpoolErrorKind } from './errors.ts';
export { CHECKOUT_DIR, DATA_DIR, REGISTRY_DIR, TMP_DIR, isValidName, spoolLayout, validateName, type SpoolLayout } from './layout.ts';
export { DEFAULT_MAX_RESERVE_ATTEMPTS, lexicographicTimeOrder } from './names.ts';
export { Monitor, type DaemonOptions, type MonitorDaemon, type MonitorEvent, type MonitorOptions } from './monitor.ts';
export { DEFAULT_MONITOR_LIMITS, locationDir, problemKey, type Location, type MonitoredFile, type MonitorLimits, type Problem } from './problems.ts';
export { QueueReader, type DequeueResult, type QueueReaderOptions, type StopOptions } from './queue-reader.ts';
export { NO_QUIRKS, type MultispoolQuirks } from './quirks.ts';
export { jsonCodec, textCodec, type Codec, type NameGenerator, type Spoolable } from './spoolable.ts';
export type { EntryAction, EntryHandler, EntryOutcome } from './with-entry.ts';
