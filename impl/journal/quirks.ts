/**
 * Quirks: switches that turn the real journal into a named buggy variant (properties/variants.ts).
 * Never set in production.
 */
export interface JournalQuirks {
  /** JB-1: an exception in perform or in decoding escapes and kills the loop (as the original). */
  readonly loopDiesOnException?: boolean;
  /** JB-2: perform returning an error is not retried; the batch waits for the next push (as the original). */
  readonly errorResultNotRetried?: boolean;
  /** JRN-1 (own): the batch is released from the ring BEFORE perform runs: at-most-once after a crash. */
  readonly releaseBeforePerform?: boolean;
  /**
   * JRN-3 (own, off by one): `sync` waits until the journal has performed BEYOND its op's position,
   * not up to it: the sync of the last op pushed never resolves until another op is performed.
   */
  readonly syncWaitsPastPosition?: boolean;
  /**
   * JRN-4 (own, a forgotten line): a push that finds the ring full wakes the loop without making
   * the pending batch due: it waits out the flush interval instead of forcing the batch at once.
   */
  readonly fullRingWaitsForInterval?: boolean;
  /**
   * JRN-5 (own, a forgotten line): `shutdown` stops the loop without waking the waiters: a `sync`
   * (or a push waiting for room) started before it waits for ever.
   */
  readonly shutdownWakesNoWaiters?: boolean;
  /**
   * JRN-6 (own, a careless error path): a failure to read the ring (a device error while folding
   * the batch) is taken as "nothing to do": no retry is scheduled, so the acknowledged ops wait
   * until some later push wakes the loop, forever if none comes.
   */
  readonly ringErrorNotRetried?: boolean;
  /**
   * JRN-7 (own; the real journal before issue 15): a push whose ring advance fails returns the
   * error without telling the loop; when the failure came after the producer position was
   * written, the op is published yet left in the ring until some later push wakes the loop.
   */
  readonly failedPushLeavesLoopAsleep?: boolean;
  /**
   * JRN-8 (own; the real journal before issue 15): pushes are not serialized. Two pushes made
   * concurrently (a user's event loop does not wait for one before the next) each write their item
   * at the producer's current position before either advances: the second overwrites the first,
   * whose push still resolves, so an acknowledged op is never performed.
   */
  readonly pushesNotSerialized?: boolean;
  /**
   * JRN-9 (own, a lost wake-up): a push that finds the ring full starts listening for progress
   * only after its look at the ring, not before: a batch released while it was looking wakes
   * nobody, and the push waits for room that is already there until some other batch is released.
   */
  readonly progressListenedLate?: boolean;
  /**
   * JRN-10 (own, a forgotten await): `shutdown` returns without waiting for the loop: a batch
   * in progress is still being performed (and then cannot be released) after the device was let go.
   */
  readonly shutdownReturnsAtOnce?: boolean;
}
