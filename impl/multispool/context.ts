/**
 * The spool context: everything an operation of one open spool needs (the Vfs, the paths, the
 * codecs, the clock, the quirks). Shared by the Multispool, its entries and its queue readers.
 */
import type { Clock } from '../io/clock.ts';
import type { Vfs } from '../io/vfs.ts';
import type { SpoolLayout } from './layout.ts';
import type { MultispoolQuirks } from './quirks.ts';
import type { Spoolable } from './spoolable.ts';

/** The open spool's fixed surroundings; a plain value, never changed after opening. */
export interface SpoolContext<Q extends string, M, D> {
  /** The file system the spool lives on. */
  readonly vfs: Vfs;
  /** The spool's paths. */
  readonly layout: SpoolLayout<Q>;
  /** The queues and codecs. */
  readonly spoolable: Spoolable<Q, M, D>;
  /** Where touches and name generators get their time. */
  readonly clock: Clock;
  /** The bugs switched on (none in production). */
  readonly quirks: MultispoolQuirks;
  /** How many name clashes `reserve` accepts before `namesExhausted`. */
  readonly maxReserveAttempts: number;
}
