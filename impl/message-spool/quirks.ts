/**
 * Quirks: switches that turn the real message spool into a named buggy variant (see
 * `properties/variants.ts`). Each re-creates one bug of the original in place, in the real code
 * path; with none set the implementation is the correct one. Never set these in production.
 */
export interface MessageSpoolQuirks {
  /**
   * MSG-1: startup puts a checked-out message back into the queue whose `.checkout` it sits in, not
   * the queue its status names (as the original): after a crash between the two halves of a save,
   * a frozen message reappears in `active` (or the reverse) and can no longer be changed.
   */
  readonly putBackWhereItSat?: boolean;
  /**
   * MSP-1 (own, after docs/message-spool-protocol.md's note on the original): countFromDisk lists only `active` and
   * `frozen`, so messages checked out for delivery are not counted.
   */
  readonly countSkipsCheckouts?: boolean;
  /**
   * MSP-2 (own): `send` of a message that failed permanently does not give its failed recipients
   * back to the remaining ones, so the next attempt is made to no recipient at all.
   */
  readonly sendKeepsFailedRecipients?: boolean;
  /**
   * MSP-3 (own; the real spool before issue 12, as the original): a save that fails (a full
   * disk) leaves the entry checked out: after a delivery attempt the message is stuck, in memory
   * without a due time, and after a freeze, send or remove it is no longer where its status says,
   * until the process restarts.
   */
  readonly stuckAfterFailedSave?: boolean;
  /**
   * MSP-4 (own; a careless clean-up): when an enqueue of a batch fails, the names reserved for the
   * rest are given back from the one after next (an off-by-one), so one reservation leaks: a
   * registry name with no message, which the Monitor reports as orphaned forever.
   */
  readonly unreserveSkipsOne?: boolean;
  /**
   * MSP-5 (own; a timer left behind): when nothing is due any more (the last message due later is
   * frozen, removed or delivered), the pump's wake-up timer is left armed instead of disarmed: it
   * fires for nothing, and on a real clock keeps the process awake until then.
   */
  readonly staleTimerKept?: boolean;
  /**
   * MSP-6 (own; the real spool lock before session 30): a process that judged an old lock file
   * free creates the next generation without checking that no newer one appeared meanwhile. A
   * generation whose file was unlinked can so be created again, below the newest `released`
   * marker, and the next process takes the lock over it: two live holders.
   */
  readonly lockTakesStaleGeneration?: boolean;
  /**
   * MSP-7 (own; a check left out): startup loads a queue file without comparing the id in its
   * record with its name: a file that holds another message's record (a copy made by hand, a
   * misdirected write) is taken for that message, which is then listed twice or under a name that
   * is not its file.
   */
  readonly trustRecordName?: boolean;
  /** MSG-2: no spool lock (as the original's code): two processes on one directory steal each other's checkouts and send twice. */
  readonly noLock?: boolean;
}

/** No quirk: the correct implementation. */
export const NO_MESSAGE_SPOOL_QUIRKS: MessageSpoolQuirks = {};
