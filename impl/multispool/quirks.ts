/**
 * Quirks: switches that turn the real multispool into a named buggy variant (see
 * `properties/variants.ts`). Each quirk re-creates one bug, in place, in the real code path; with
 * no quirk set the implementation is the correct one. Never set these in production.
 */
export interface MultispoolQuirks {
  /** SEQ-1 (own): `checkedOut.save(q2)` puts the entry back into the queue it came from, ignoring q2. */
  readonly saveIgnoresDestination?: boolean;
  /** SEQ-2 (own): `list(q)` does not skip the `.checkout` directory. */
  readonly listIncludesCheckoutDir?: boolean;
  /** SEQ-3 (own): the lexicographic-time-order generator does not zero-pad, so string order is not creation order. */
  readonly unpaddedNames?: boolean;
  /** SEQ-4 (own): opening does not refuse a non-empty directory that is not a spool. */
  readonly skipNotEmptyCheck?: boolean;
  /** SEQ-5 (own): the Monitor calls a file too old when its age EQUALS the limit (>= instead of >). */
  readonly inclusiveAgeLimit?: boolean;
  /** SEQ-6 (own): the Monitor daemon alerts one check early (count >= alertAfterCycles instead of >). */
  readonly alertOneCycleEarly?: boolean;
  /** SEQ-7 (own): the queue reader's `dequeue` (and so `iter`) returns `stopped` when the queue is empty instead of waiting for an entry. */
  readonly emptyMeansStopped?: boolean;
  /** SEQ-8 (own): `listCheckoutsUnsafe` silently skips a checked-out entry whose metadata cannot be decoded. */
  readonly listCheckoutsSkipsCorrupt?: boolean;
  /** SEQ-9 (own): a failed enqueue does not clean up (no step 5): its registry, staged metadata and data files stay behind. */
  readonly keepFailedEnqueue?: boolean;
  /**
   * SEQ-10 (own): the clean-up of a failed enqueue forgets the queue file: an enqueue that fails
   * after its rename (a directory fsync failing) leaves a published entry whose data it deleted.
   */
  readonly cleanupForgetsQueueFile?: boolean;
  /** SEQ-11 (own, a forgotten line): `checkedOut.giveBack()` does not spend the handle: a later save, remove or giveBack of it is not refused. */
  readonly giveBackKeepsHandle?: boolean;
  /**
   * SEQ-12 (own, a check in the wrong place): `dequeue` looks at its stop signal (and `close`) only
   * when it must list the queue again: a reader stopped with names left from its last listing
   * still checks the next one out.
   */
  readonly stopCheckedOnlyOnRefresh?: boolean;
  /** RC-1 (own): checkout reads the queue file, writes the checkout file and unlinks the queue file, instead of one rename: two racing holders can both win. */
  readonly checkoutByCopy?: boolean;
  /** MS-1: no directory is ever fsynced (as the original). */
  readonly noDirFsync?: boolean;
  /** MS-2: remove unlinks the data file first, then the metadata, then the registry file (as the original). */
  readonly removeDataFirst?: boolean;
  /** MS-3: the queue reader lists first and drains notifications second. */
  readonly listBeforeDrain?: boolean;
  /** MS-4: reserve checks that the registry name is free with `stat`, then creates it without O_EXCL. */
  readonly reserveWithoutExclusive?: boolean;
  /** MS-5: publish (rename into the queue) before the data file is written and fsynced. */
  readonly publishBeforeDataDurable?: boolean;
}

/** The correct implementation: no quirk. */
export const NO_QUIRKS: MultispoolQuirks = {};
