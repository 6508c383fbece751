/**
 * spoolcheck's library entry point (`import { ... } from 'spoolcheck'`): what a user needs to
 * check an implementation of their own from code. The command line (`npx spoolcheck run
 * --target FILE`) and the vitest helper (`spoolcheck/vitest`) are built on the same pieces.
 */

// What is checked: targets, their capabilities, and the adapter contracts.
export type { Target, Capability, BuiltinImplementations } from './targets/target.ts';
export { asTarget, capabilitiesOf, missingCapabilities, CAPABILITIES, TARGET_PARTS } from './targets/target.ts';
export type { QueueAdapter, QueueHandle, QueueWorld, QueueSurvives } from './targets/queue-adapter.ts';
export { QUEUE_SURVIVES } from './targets/queue-adapter.ts';
export type { RingAdapter, RingProducerHandle, RingConsumerHandle, RingWorld, RingSurvives } from './targets/ring-adapter.ts';
export { RING_SURVIVES, RING_DEVICE, RING_MIN_CAPACITY_BYTES } from './targets/ring-adapter.ts';
export type { JournalAdapter, JournalHandle, JournalWorld, JournalSurvives } from './targets/journal-adapter.ts';
export { JOURNAL_SURVIVES } from './targets/journal-adapter.ts';
export type { DeliveryOutcome, MailMessage, MessageSpoolAdapter, MessageSpoolHandle, MessageSpoolSurvives, MessageSpoolWorld, SpooledMessage, SpooledState } from './targets/message-spool-adapter.ts';
export { MESSAGE_SPOOL_SURVIVES } from './targets/message-spool-adapter.ts';
export type { FileWriter, FileWriterAdapter, FileWriterPromise } from './targets/file-writer-adapter.ts';
export { FILE_WRITER_PROMISES } from './targets/file-writer-adapter.ts';
export type { FileLock, LockAdapter } from './targets/lock-adapter.ts';
export type { AppendLog, AppendLogAdapter, AppendLogOpener, AppendLogPromise } from './targets/append-log-adapter.ts';
export { APPEND_LOG_PROMISES } from './targets/append-log-adapter.ts';
export type { RoutedCode } from './targets/routed-code.ts';
export { REAL_TARGET, variantTarget, builtinTargets, PACKAGE_TARGETS } from './targets/builtin.ts';

// Code that imports node:fs itself, on the simulated disk: route it, then run it on a world's Vfs.
export { routeOnce as routeCode } from './properties/routed-code.ts';
export { onVfs } from './sim/node-fs/on-vfs.ts';

// Running the suites.
export { runSuites, DEFAULT_SEED, type RunSuitesOptions, type SuitesReport } from './cli/run-suites.ts';
export { PROPERTIES, suiteNames } from './cli/suites.ts';
export { runProperty, type PropertyDef, type PropertyOutcome, type RunContext } from './properties/suite.ts';
export { VARIANTS, findVariant, type Variant } from './properties/variants.ts';

// The world an implementation runs in: the Vfs and BlockDevice interfaces, their adapters, clocks.
export type { Vfs, VfsFile, VfsStat, OpenFlags, DirWatcher, VfsErrorCode } from './impl/io/vfs.ts';
export { VfsError, isVfsError, join, dirname, basename } from './impl/io/vfs.ts';
export type { BlockDevice, BlockDeviceErrorCode } from './impl/io/block-device.ts';
export { BlockDeviceError, isBlockDeviceError } from './impl/io/block-device.ts';
export { memoryBlockDevice, type MemoryBlockDevice, type MemoryBlockDeviceOptions } from './impl/io/memory-block-device.ts';
export { faultyBlockDevice, type FaultyBlockDevice, type FaultyBlockDeviceOptions } from './sim/faulty-block.ts';
export { nodeVfs, makeTempDir, type TempDir } from './impl/io/node-vfs.ts';
export { memfsVfs, type MemfsVfsOptions } from './impl/io/memfs-vfs.ts';
export type { ProcessProbe } from './impl/io/processes.ts';
export { manualClock, systemClock, clockFromTimers, type Clock, type ManualClock, type TimerSource } from './impl/io/clock.ts';
export { crashVfs, type CrashVfs, type CrashVfsOptions } from './sim/crash-vfs.ts';
export { PROFILES, findProfile, type PersistenceProfile, type ProfileName } from './sim/crash/profiles.ts';
