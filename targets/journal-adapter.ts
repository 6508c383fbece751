/**
 * The adapter a journal implements to be checked by spoolcheck: a durable log of operations on a
 * block device that performs them, in batches, in push order, at least once (even across power
 * cuts). Everything is checked through these calls and the `perform` callback alone, so the
 * journal may store its log as it likes, as long as it reaches the device only through
 * `world.device` and reads time only from `world.clock`.
 *
 * The contract the journal's adapter property checks, in plain words:
 * - `push(op)` resolves once `op` is durable: from then on it will be performed, at least once,
 *   even if the power goes (as `survives` promises);
 * - `perform` is called with batches of ops in push order; a batch may repeat ops already
 *   performed (after a crash), but the journal never skips one: after a restart it resumes no
 *   later than the first op not yet performed;
 * - `start` on a device of zeros creates the journal; on a device that holds one (after a crash)
 *   it is recovery, and performs what is left.
 */
import type { Clock } from '../impl/io/clock.ts';
import type { BlockDevice } from '../impl/io/block-device.ts';

/** What `start` is given. */
export interface JournalWorld {
  /** The device: the journal must read and write only through it (the harness cuts the power here). */
  readonly device: BlockDevice;
  /** The time: every interval (flush, retry) must be measured on it. */
  readonly clock: Clock;
  /** Performs one batch of ops in order; `'error'` means retry it later. */
  readonly perform: (batch: readonly string[]) => Promise<'ok' | 'error'>;
}

/** A started journal. */
export interface JournalHandle {
  /** Appends `op`; resolves once it is durable (it will be performed, at least once). */
  push(op: string): Promise<void>;
  /** Stops performing and lets go of the device. */
  shutdown(): Promise<void>;
}

/** What a journal may claim to survive (see `RingSurvives`: the same device faults). */
export const JOURNAL_SURVIVES = ['power-loss', 'torn-writes'] as const;

/** `power-loss`: a power cut on a sector-atomic device; `torn-writes`: also on one tearing sectors at 8 bytes. */
export type JournalSurvives = (typeof JOURNAL_SURVIVES)[number];

/** A journal implementation, as spoolcheck checks it. */
export interface JournalAdapter {
  /** Starts the journal on `world.device` (creating it on a device of zeros; recovering it otherwise). */
  start(world: JournalWorld): Promise<JournalHandle>;
  /** What the journal promises to survive with every acknowledged op performed; absent: nothing. */
  readonly survives?: readonly JournalSurvives[];
}
