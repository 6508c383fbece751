/**
 * The message spool's errors: one class whose `kind` names the failure
 * (`docs/message-spool-protocol.md`, "Errors"). Branch on `kind`, never on the message.
 */

/**
 * - `locked`: another live process holds the spool's lock (or this process opened it already);
 * - `killed`: the operation came after `killAndFlush`;
 * - `notFound`: no such message in the spool (in memory, or in the queue the operation looks in);
 * - `busy`: the message is being delivered or changed by another operation right now;
 * - `notFrozen`: `remove` of a message that is not frozen;
 * - `changedOnDisk`: the queue file differs from the spool's view (someone else changed it);
 * - `invalidArgument`: a bad argument (the message says which);
 * - `spool`: the multispool underneath failed (its SpoolError is the `cause`).
 */
export type MessageSpoolErrorKind = 'locked' | 'killed' | 'notFound' | 'busy' | 'notFrozen' | 'changedOnDisk' | 'invalidArgument' | 'spool';

/** A failed message spool operation. */
export class MessageSpoolError extends Error {
  readonly kind: MessageSpoolErrorKind;

  constructor(kind: MessageSpoolErrorKind, message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MessageSpoolError';
    this.kind = kind;
  }
}

/** True when `e` is a MessageSpoolError (of the given kind, when one is given). */
export function isMessageSpoolError(e: unknown, kind?: MessageSpoolErrorKind): e is MessageSpoolError {
  return e instanceof MessageSpoolError && (kind === undefined || e.kind === kind);
}
