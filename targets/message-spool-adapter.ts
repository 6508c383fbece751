/**
 * The adapter a mail (SMTP) spool implements to be checked by spoolcheck: messages are spooled
 * ("250 Queued"), delivered by a delivery function the harness provides, retried when it says "try
 * later", held while frozen, and removed for good. Everything is checked through these calls and
 * through what the spool asks the delivery function to send, so the spool may keep its files in
 * any layout, as long as it reaches the disk only through `world.vfs` and time only through
 * `world.clock`.
 *
 * The contract the message-spool adapter properties check, in plain words:
 * - `add` resolves once the message is stored as `survives` promises, with an id no other message
 *   of this spool has; a message added not frozen is delivered soon (at once, or when the clock
 *   reaches a time the spool chose, at most `maxRetryDelayMs` later);
 * - `world.deliver` is called only for a message that is in the spool, not frozen and not removed,
 *   with the sender, recipients and body it was added with, and never again once it answered
 *   `delivered` (unless a crash came between: delivery is at least once across crashes);
 * - after `delivered` the message leaves the spool; after `failed` the spool gives up on it: it is
 *   held frozen until `send`; after `try-later` it is tried again within `maxRetryDelayMs`, or the
 *   spool gives up on it (frozen), but it is never lost;
 * - `freeze(id)` of a waiting message holds it: no delivery starts until `send(id)`;
 *   `send(id)` of a frozen message makes it waiting (delivered soon); `remove(id)` of a frozen
 *   message deletes it for good: never delivered, never listed again;
 * - `status` lists every message that is waiting or frozen, once each, and nothing else;
 * - `open` is also recovery: after a crash or a kill, every message whose add was acknowledged
 *   and whose removal was not is still there (frozen if its freeze was acknowledged), and is
 *   delivered once sent; nothing comes back that was never added or whose removal was acknowledged.
 *
 * Calls are made one at a time (the harness waits for each to resolve and the spool to go quiet
 * before the next); `world.deliver` answers at once.
 */
import type { Clock } from '../impl/io/clock.ts';
import type { ProcessProbe } from '../impl/io/processes.ts';
import type { Vfs } from '../impl/io/vfs.ts';

/** One message: its envelope and body. */
export interface MailMessage {
  readonly sender: string;
  readonly recipients: readonly string[];
  readonly body: string;
}

/** What one delivery attempt achieved: delivered, try again later, or failed for good. */
export type DeliveryOutcome = 'delivered' | 'try-later' | 'failed';

/** What `open` is given: the world the spool lives in. */
export interface MessageSpoolWorld {
  /** The file system: every file access of the spool must go through it. */
  readonly vfs: Vfs;
  /** An absolute directory on `vfs`, empty at the first open, the spool's own. */
  readonly dir: string;
  /** The time: the spool must read the clock and sleep only through this. */
  readonly clock: Clock;
  /** Who this process is and whether another is alive (for a lock file naming its owner). */
  readonly processes: ProcessProbe;
  /** Delivers one message (the SMTP client): `id` is the spool's id of the message. A throw counts as `try-later`. */
  deliver(id: string, message: MailMessage): Promise<DeliveryOutcome>;
}

/** Where a message stands, as `status` reports it. */
export type SpooledState = 'waiting' | 'frozen';

/** One message of `status`. */
export interface SpooledMessage {
  readonly id: string;
  readonly state: SpooledState;
}

/** One open spool (one process's). */
export interface MessageSpoolHandle {
  /** Spools a message, frozen (held) or to be delivered; resolves with its id once stored as `survives` promises. */
  add(message: MailMessage, options: { readonly frozen: boolean }): Promise<string>;
  /** Holds a waiting message: no delivery of it starts until it is sent. */
  freeze(id: string): Promise<void>;
  /** Makes a frozen message waiting again: it is delivered soon. */
  send(id: string): Promise<void>;
  /** Deletes a frozen message for good. */
  remove(id: string): Promise<void>;
  /** Every message waiting or frozen, each once, in any order. */
  status(): Promise<readonly SpooledMessage[]>;
  /** Stops: once it resolves no delivery runs or starts, and every lock is let go. */
  close(): Promise<void>;
}

/** What a spool may claim to survive with every acknowledged message intact. */
export const MESSAGE_SPOOL_SURVIVES = ['process-crash', 'power-loss'] as const;

/** What a spool survives with every acknowledged message intact. */
export type MessageSpoolSurvives = (typeof MESSAGE_SPOOL_SURVIVES)[number];

/** A mail spool implementation, as spoolcheck checks it. */
export interface MessageSpoolAdapter {
  /** Opens the spool in `world.dir` (creating it when the directory is empty); after a crash this is the recovery. */
  open(world: MessageSpoolWorld): Promise<MessageSpoolHandle>;
  /** The longest time after a `try-later` (or an add) before the spool tries again, in ms of `world.clock`. */
  readonly maxRetryDelayMs: number;
  /**
   * What the spool promises to survive with every acknowledged message intact: `process-crash`
   * (kill -9) or also `power-loss`. Absent: neither, and the crash properties do not apply.
   */
  readonly survives?: readonly MessageSpoolSurvives[];
}
