/**
 * Quirks: switches that turn the real ring into a named buggy variant (properties/variants.ts).
 * Each re-creates one catalogued bug in place, in the real code path. Never set in production.
 */
export interface RingQuirks {
  /** RB-1: producer `advance` publishes without re-checking the consumer's suspend request. */
  readonly advanceIgnoresSuspend?: boolean;
  /** RB-4: `pop` trusts the length header instead of checking it against the published bytes. */
  readonly trustLengthHeader?: boolean;
  /** RB-5: producer `advance` writes the producer pointer without flushing the item first. */
  readonly noFlushBeforePublish?: boolean;
}
