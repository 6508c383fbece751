/**
 * What the crash-simulating Vfs records: the durable image at the start of recording, then, in
 * order, every mutating call with the logical steps it made, and the markers a workload drops
 * (for example "enqueue #2 returned") so a crash point can be related to what was acknowledged.
 *
 * Fault contract, in plain words: a history injects nothing; it is the raw material from which a
 * persistence profile derives the crash states.
 */
import type { DiskImage, ImageStep, Inode } from './disk-image.ts';

/** One mutating Vfs call that succeeded: its label (`rename /a /b`) and its logical steps. */
export interface CallRecord {
  readonly kind: 'call';
  /** 1-based number of the call in the history. */
  readonly id: number;
  readonly label: string;
  readonly steps: readonly ImageStep[];
}

/** A workload's marker: nothing changes on disk, but everything before it has returned. */
export interface MarkRecord {
  readonly kind: 'mark';
  readonly label: string;
}

/** A recorded history. */
export interface History {
  /** The image at the start of recording; everything in it is durable. */
  readonly baseline: DiskImage;
  /** The kind of every inode the history mentions. */
  readonly kinds: ReadonlyMap<Inode, 'file' | 'dir'>;
  readonly records: readonly (CallRecord | MarkRecord)[];
}
