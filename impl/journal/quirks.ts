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
}
