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
  /**
   * RB-2 (historic CA-179407): calls on a handle are not serialised and every sector read lands
   * in one scratch buffer per device, so one call's read can overwrite the sector another call
   * is about to write back.
   */
  readonly sharedScratchBuffer?: boolean;
  /**
   * RB-3 (historic CA-181469): calls on a handle are not serialised and a control sector is
   * rebuilt from the record cached when the call began, rolling back a newer pointer or flag.
   */
  readonly staleControlRecord?: boolean;
  /**
   * RNG-1 (own): consumer `advance` moves the consumer to the producer's position, whatever
   * position it was given: items published but not yet popped are consumed unseen.
   */
  readonly advanceConsumesAll?: boolean;
  /**
   * RNG-2 (own; the real ring before issue 12): after a failed write of its control sector an end
   * keeps its old position and flag, without reading the sector back: when the write landed all
   * the same (an ambiguous write), the end works from a stale position.
   */
  readonly noRereadAfterFailedWrite?: boolean;
  /**
   * RNG-3 (own, a careless decoder): a control sector's flag byte is read as "true if 1, else
   * false", so a garbage flag (0, 3, 255) passes for false instead of being reported corrupt.
   */
  readonly lenientFlagByte?: boolean;
  /**
   * RNG-4 (own, off by the header): `pop` checks the length header against the bytes published
   * after the item's START, not after its header: a header claiming up to 4 bytes more than was
   * published passes, and the item is read with bytes that were never published.
   */
  readonly lengthCheckCountsHeader?: boolean;
  /**
   * RNG-5 (own, a careless error path): a sector read that fails with an I/O error is taken as a
   * sector of zeros ("unreadable means empty"), so a transient error reads as a garbage control
   * record or an item of zeros instead of failing the call.
   */
  readonly readErrorsAsZeros?: boolean;
  /**
   * RNG-6 (own, a 32-bit habit): the producer reduces a stream position to 32 bits (`>>> 0`) where
   * it places an item's bytes: once the ring has carried 4 GiB, items land at the wrong offset
   * (wherever 2^32 is not a multiple of the data area) and the consumer reads garbage.
   */
  readonly positions32Bit?: boolean;
}
