/**
 * The adapter a multispool-like queue implements to be checked by spoolcheck: a durable queue of
 * items, each taken for exclusive processing (checkout), then given back (release) or done
 * (remove). Everything is checked through these calls alone, so the queue may keep its files in
 * any layout it likes, as long as it reaches the disk only through `world.vfs`.
 *
 * The contract the `queue` suite checks, in plain words:
 * - `enqueue` resolves once the item is stored as promised by `survives` (see below), with an id
 *   no other stored item of this queue has (the id of a removed item may be handed out again);
 * - `list` gives the ids of the items that are stored and not checked out, once each;
 * - `checkout(id)` gives the data of an available item and makes it unavailable to every other
 *   checkout (this handle's and any other process's) until it is released or removed; it gives
 *   `undefined` for an id that is not available (never enqueued, removed, or checked out);
 * - `release(id)` makes a checked-out item available again; `remove(id)` deletes it for good;
 * - `open` is also recovery: opening after a crash or a kill gives back every item that was
 *   checked out when the previous process stopped (at-least-once), and loses no stored item;
 * - optionally (`reader: true`), `take` is a queue reader: it waits until an item is available,
 *   checks it out and gives it, however the item arrived (this process's enqueue or another's),
 *   and it never sleeps while an item is available.
 *
 * A crash (`survives`) is checked by running a workload on the crash-simulating file system,
 * deriving every disk state a power loss (or a kill) may leave, and calling `open` on each:
 * every acknowledged enqueue not followed by an acknowledged remove must come back with its data
 * in full, nothing must come back that was never enqueued or whose remove was acknowledged, and
 * no item may come back twice.
 */
import type { Clock } from '../impl/io/clock.ts';
import type { Vfs } from '../impl/io/vfs.ts';

/** What `open` is given: the world the queue lives in. */
export interface QueueWorld {
  /** The file system: every file access of the queue must go through it (the harness simulates crashes, faults and races here). */
  readonly vfs: Vfs;
  /** An absolute directory on `vfs`, empty at the first open, the queue's own. */
  readonly dir: string;
  /** The time: the queue must read the clock only through this (names from timestamps, ages). */
  readonly clock: Clock;
}

/** One open queue (one process's view of it). */
export interface QueueHandle {
  /** Stores `data` as a new item; resolves with its id once it is stored as `survives` promises. */
  enqueue(data: string): Promise<string>;
  /** The ids of the available items (stored and not checked out), each once, in any order. */
  list(): Promise<readonly string[]>;
  /** Takes an available item for exclusive processing: its data, or `undefined` if `id` is not available. */
  checkout(id: string): Promise<string | undefined>;
  /** Gives an item this handle checked out back to the queue (available again, same data). */
  release(id: string): Promise<void>;
  /** Deletes an item this handle checked out, for good. */
  remove(id: string): Promise<void>;
  /**
   * A queue reader's next item (only when the adapter says `reader: true`): waits until an item is
   * available, checks it out (as `checkout` does) and gives its id and data; `undefined` once
   * `signal` aborts.
   */
  take?(signal: AbortSignal): Promise<{ readonly id: string; readonly data: string } | undefined>;
  /** Lets go of everything the handle holds (watchers, locks); optional. */
  close?(): Promise<void>;
}

/** What a queue may claim to survive with every acknowledged item intact. */
export const QUEUE_SURVIVES = ['process-crash', 'power-loss'] as const;

/** What a queue survives with every acknowledged item intact. */
export type QueueSurvives = (typeof QUEUE_SURVIVES)[number];

/** A queue implementation, as spoolcheck checks it. */
export interface QueueAdapter {
  /**
   * Opens the queue in `world.dir` (creating it when the directory is empty); after a crash this
   * is the recovery, and it must give back the items that were checked out.
   */
  open(world: QueueWorld): Promise<QueueHandle>;
  /**
   * What the queue promises to survive with every acknowledged item intact: `process-crash`
   * (kill -9: completed calls stay done) or also `power-loss` (the strict and ext4-ordered
   * persistence profiles). Absent: it promises neither, and the crash properties do not apply.
   */
  readonly survives?: readonly QueueSurvives[];
  /** True if every handle has `take` (a queue reader that waits for items): the reader properties apply. */
  readonly reader?: boolean;
}
