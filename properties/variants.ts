/**
 * The registry of buggy variants: each catalogued bug (docs/bug-catalogue.md), and a few sequential
 * bugs of our own, as a named configuration of the REAL implementation (a quirk switched on),
 * never a copy of it. The harness must catch every variant; `npm test` checks that it does.
 *
 * To add one: add its quirk to the implementation's quirks type (documented there with the id),
 * then an entry here naming the suites expected to catch it.
 */
import type { JournalQuirks } from '../impl/journal/quirks.ts';
import type { MessageSpoolQuirks } from '../impl/message-spool/quirks.ts';
import type { MultispoolQuirks } from '../impl/multispool/quirks.ts';
import type { RingQuirks } from '../impl/ring/quirks.ts';

/** A buggy variant of a built-in implementation. */
export interface Variant {
  /** The id used on the command line (`--variant ID`), e.g. `MS-2` or `SEQ-1`. */
  readonly id: string;
  /** The catalogue entry it reproduces (`catalogue MS-2`: a bug of the original designs, docs/bug-catalogue.md), or `own` for a bug of our choosing. */
  readonly catalog: string;
  /** The bug in one sentence, and how it shows. */
  readonly description: string;
  /** The suites that must catch it (the CLI runs these when given `--variant`). */
  readonly suites: readonly string[];
  /**
   * The property (`suite/name`) that catches it at the default budget and seed; `npm test`
   * checks exactly that. Absent while the variant is not available.
   */
  readonly caughtBy?: string;
  /** Whether the suites able to catch it exist yet; `false` entries are listed but not run. */
  readonly available: boolean;
  /** The multispool quirks that make the bug. */
  readonly multispool?: MultispoolQuirks;
  /** The ring quirks that make the bug. */
  readonly ring?: RingQuirks;
  /** The journal quirks that make the bug. */
  readonly journal?: JournalQuirks;
  /** The message spool quirks that make the bug. */
  readonly messageSpool?: MessageSpoolQuirks;
}

/** Every variant, in catalog order. */
export const VARIANTS: readonly Variant[] = [
  {
    id: 'SEQ-1',
    catalog: 'own',
    description:
      'checkout save ignores its destination queue and puts the entry back where it was checked out from: a message meant for another queue never arrives there.',
    suites: ['multispool'],
    caughtBy: 'multispool/model-vs-impl-memfs',
    available: true,
    multispool: { saveIgnoresDestination: true },
  },
  {
    id: 'SEQ-2',
    catalog: 'own',
    description:
      "list(q) forgets to skip the '.checkout' directory, so readers see a phantom entry named '.checkout' and fail to check it out.",
    suites: ['multispool', 'queue'],
    caughtBy: 'multispool/model-vs-impl-memfs',
    available: true,
    multispool: { listIncludesCheckoutDir: true },
  },
  {
    id: 'SEQ-3',
    catalog: 'own',
    description:
      'the lexicographic-time-order name generator forgets its zero padding, so names stop sorting in creation order once a counter gains a digit: a strict-FIFO reader dequeues out of order.',
    suites: ['multispool', 'races'],
    caughtBy: 'multispool/fifo-one-reader',
    available: true,
    multispool: { unpaddedNames: true },
  },
  {
    id: 'SEQ-4',
    catalog: 'own',
    description:
      'opening skips the "not empty and not a spool" check and builds a spool inside a directory full of someone else\'s files.',
    suites: ['multispool'],
    caughtBy: 'multispool/open-validation',
    available: true,
    multispool: { skipNotEmptyCheck: true },
  },
  {
    id: 'SEQ-5',
    catalog: 'own',
    description:
      'the Monitor calls a file too old when its age merely equals the limit (>= instead of >): a spurious tooOld problem at the boundary.',
    suites: ['multispool'],
    caughtBy: 'multispool/monitor-fsck',
    available: true,
    multispool: { inclusiveAgeLimit: true },
  },
  {
    id: 'SEQ-6',
    catalog: 'own',
    description:
      'the Monitor daemon raises an alert one check early (after alertAfterCycles checks instead of more than that).',
    suites: ['multispool'],
    caughtBy: 'multispool/monitor-daemon',
    available: true,
    multispool: { alertOneCycleEarly: true },
  },
  {
    id: 'SEQ-7',
    catalog: 'own',
    description:
      'the queue reader treats a momentarily empty queue as the end: dequeue (and so iter) returns stopped instead of waiting, and entries enqueued later are never handled.',
    suites: ['multispool'],
    caughtBy: 'multispool/queue-reader-modes',
    available: true,
    multispool: { emptyMeansStopped: true },
  },
  {
    id: 'SEQ-8',
    catalog: 'own',
    description:
      'the recovery listing (listCheckoutsUnsafe) silently skips a checked-out entry whose metadata cannot be decoded: the very entries recovery is for stay hidden.',
    suites: ['multispool'],
    caughtBy: 'multispool/corrupt-files',
    available: true,
    multispool: { listCheckoutsSkipsCorrupt: true },
  },
  {
    id: 'SEQ-9',
    catalog: 'own',
    description:
      'a failed enqueue (an I/O error while writing) does not clean up: its registry file, staged metadata and data stay behind as orphans.',
    suites: ['multispool'],
    caughtBy: 'multispool/io-faults',
    available: true,
    multispool: { keepFailedEnqueue: true },
  },
  {
    id: 'SEQ-10',
    catalog: 'own (a careless clean-up)',
    description: 'the clean-up of a failed enqueue forgets the queue file: an enqueue that fails after its rename (a directory fsync failing) leaves a published entry whose data it deleted.',
    suites: ['queue'],
    caughtBy: 'queue/faults',
    available: true,
    multispool: { cleanupForgetsQueueFile: true },
  },
  {
    id: 'SEQ-11',
    catalog: 'own (a forgotten line)',
    description: 'giveBack does not spend the checked-out handle: a later save, remove or giveBack through it is not refused, and acts on an entry that is back in its queue (where another holder may have checked it out).',
    suites: ['multispool'],
    caughtBy: 'multispool/model-vs-impl-memfs',
    available: true,
    multispool: { giveBackKeepsHandle: true },
  },
  {
    id: 'SEQ-12',
    catalog: 'own (a check in the wrong place)',
    description: 'dequeue looks at its stop signal (and close) only when it must list the queue again: a reader stopped while its last listing still names entries checks the next one out and hands it over.',
    suites: ['multispool'],
    caughtBy: 'multispool/reader-stop',
    available: true,
    multispool: { stopCheckedOnlyOnRefresh: true },
  },
  {
    id: 'RC-1',
    catalog: 'own',
    description: 'checkout copies the queue file into .checkout and unlinks it, instead of one rename: two racing holders both check the entry out.',
    suites: ['races', 'queue'],
    caughtBy: 'races/checkout-one-winner',
    available: true,
    multispool: { checkoutByCopy: true },
  },
  {
    id: 'MS-1',
    catalog: 'catalogue MS-1',
    description:
      'no directory fsync after reserve/publish/remove: under the strict profile an acknowledged enqueue vanishes after power loss.',
    suites: ['crash', 'queue'],
    caughtBy: 'crash/workloads-strict',
    available: true,
    multispool: { noDirFsync: true },
  },
  {
    id: 'MS-2',
    catalog: 'catalogue MS-2',
    description:
      'remove unlinks the data before the metadata: a crash mid-remove leaves an entry without data that the original Monitor does not report.',
    suites: ['crash', 'kill', 'queue'],
    caughtBy: 'crash/workloads-process-crash',
    available: true,
    multispool: { removeDataFirst: true },
  },
  {
    id: 'MS-3',
    catalog: 'catalogue MS-3',
    description:
      'the queue reader lists BEFORE draining notifications: a file enqueued in between is not seen and the reader sleeps with work waiting.',
    suites: ['races'],
    caughtBy: 'races/reader-never-sleeps',
    available: true,
    multispool: { listBeforeDrain: true },
  },
  {
    id: 'MS-4',
    catalog: 'catalogue MS-4',
    description:
      'name reservation by check-then-create without O_EXCL: two racing enqueuers get the same name and one entry overwrites the other.',
    suites: ['races'],
    caughtBy: 'races/enqueuers-distinct',
    available: true,
    multispool: { reserveWithoutExclusive: true },
  },
  {
    id: 'MS-5',
    catalog: 'catalogue MS-5',
    description:
      'publish before the data file is durable: a crash after publish leaves a queued entry whose data is missing or partial.',
    suites: ['crash', 'kill', 'queue'],
    caughtBy: 'crash/workloads-process-crash',
    available: true,
    multispool: { publishBeforeDataDurable: true },
  },
  {
    id: 'MSG-1',
    catalog: 'catalogue MSG-1',
    description:
      'startup puts a checked-out message back where it sat, not where its status says: after a crash between the two halves of a save, a frozen message reappears in active (or the reverse) and can no longer be changed.',
    suites: ['message-spool'],
    caughtBy: 'message-spool/crash-exhaustive',
    available: true,
    messageSpool: { putBackWhereItSat: true },
  },
  {
    id: 'MSG-2',
    catalog: 'catalogue MSG-2',
    description: 'no spool lock: two spool processes on one directory; one puts back (steals) the other\'s checkout and a message is sent twice.',
    suites: ['message-spool'],
    caughtBy: 'message-spool/two-processes',
    available: true,
    messageSpool: { noLock: true },
  },
  {
    id: 'MSP-1',
    catalog: 'own (docs/message-spool-protocol.md: the original countFromDisk)',
    description: 'countFromDisk lists only active and frozen, as the original does: messages checked out for delivery are not counted.',
    suites: ['message-spool'],
    caughtBy: 'message-spool/model-vs-impl',
    available: true,
    messageSpool: { countSkipsCheckouts: true },
  },
  {
    id: 'MSP-2',
    catalog: 'own (a careless send)',
    description: 'send of a message that failed permanently keeps its recipients in failed: the next attempt goes to no recipient at all.',
    suites: ['message-spool'],
    caughtBy: 'message-spool/adapter-delivery',
    available: true,
    messageSpool: { sendKeepsFailedRecipients: true },
  },
  {
    id: 'MSP-3',
    catalog: 'own (the real spool before issue 12, as the original)',
    description: 'an attempt whose save of its outcome fails (a full disk) leaves the message stuck, without a due time and checked out, until the process restarts.',
    suites: ['message-spool'],
    caughtBy: 'message-spool/adapter-faults',
    available: true,
    messageSpool: { stuckAfterFailedSave: true },
  },
  {
    id: 'MSP-4',
    catalog: 'own (a careless clean-up)',
    description: 'a batch add whose enqueue fails half way gives back the reserved names of the rest from the one after next: one reservation leaks, a registry name the Monitor reports as orphaned forever.',
    suites: ['message-spool'],
    caughtBy: 'message-spool/batch-faults',
    available: true,
    messageSpool: { unreserveSkipsOne: true },
  },
  {
    id: 'MSP-5',
    catalog: 'own (a timer left behind)',
    description: 'when nothing is due any more (the last message due later was frozen, removed or delivered), the delivery pump leaves its wake-up timer armed: it fires for nothing, and on a real clock keeps the process awake until then.',
    suites: ['message-spool'],
    caughtBy: 'message-spool/model-vs-impl',
    available: true,
    messageSpool: { staleTimerKept: true },
  },
  {
    id: 'MSP-6',
    catalog: 'own (the real spool lock before session 30)',
    description: 'the lock takes the next generation without checking that no newer one appeared meanwhile: a process that judged an old lock file free long ago creates a generation that was already used and unlinked, below the newest released marker, and the next process takes the lock over it.',
    suites: ['message-spool'],
    caughtBy: 'message-spool/lock-generations',
    available: true,
    messageSpool: { lockTakesStaleGeneration: true },
  },
  {
    id: 'MSP-7',
    catalog: 'own (a check left out)',
    description: 'startup loads a queue file without comparing the id in its record with the file name: a file holding another message\'s record is taken for that message, listed twice or under a name that is not its file.',
    suites: ['message-spool'],
    caughtBy: 'message-spool/startup-damage',
    available: true,
    messageSpool: { trustRecordName: true },
  },
  {
    id: 'RB-1',
    catalog: 'catalogue RB-1',
    description: 'producer advance ignores a suspend acknowledged after the push: the consumer sees Suspended, drains, and then an item appears.',
    suites: ['ring', 'races'],
    caughtBy: 'ring/suspend-handshake',
    available: true,
    ring: { advanceIgnoresSuspend: true },
  },
  {
    id: 'RB-2',
    catalog: 'catalogue RB-2',
    description: 'one scratch sector buffer shared by concurrent calls (historic CA-179407): a control sector\'s bytes are written into the data area.',
    suites: ['races'],
    caughtBy: 'races/ring-producer-consumer',
    available: true,
    ring: { sharedScratchBuffer: true },
  },
  {
    id: 'RB-3',
    catalog: 'catalogue RB-3',
    description: 'advance and suspend rebuild the control sector from a stale cached record (historic CA-181469): the suspend bit or the pointer is rolled back.',
    suites: ['races'],
    caughtBy: 'races/ring-producer-consumer',
    available: true,
    ring: { staleControlRecord: true },
  },
  {
    id: 'RB-4',
    catalog: 'catalogue RB-4',
    description: 'pop trusts the length header: a torn or garbage header yields a wrong item or an exception instead of an error.',
    suites: ['ring'],
    caughtBy: 'ring/garbage-header',
    available: true,
    ring: { trustLengthHeader: true },
  },
  {
    id: 'RB-5',
    catalog: 'catalogue RB-5',
    description: 'the producer pointer is written before the item reaches the disk (no flush between): after power loss the consumer pops garbage.',
    suites: ['ring'],
    caughtBy: 'ring/crash-torn-8',
    available: true,
    ring: { noFlushBeforePublish: true },
  },
  {
    id: 'RNG-1',
    catalog: 'own',
    description: 'consumer advance consumes everything published, not only what was popped: an item pushed after the last pop is lost without ever being read.',
    suites: ['ring'],
    caughtBy: 'ring/adapter-fifo',
    available: true,
    ring: { advanceConsumesAll: true },
  },
  {
    id: 'RNG-2',
    catalog: 'own (the real ring before issue 12)',
    description: 'after a failed write of its control sector an end keeps its old position without reading the sector back: when the write landed all the same, the producer finds the consumer ahead of it (corrupt for good) or writes over published items.',
    suites: ['ring'],
    caughtBy: 'ring/adapter-ambiguous-write',
    available: true,
    ring: { noRereadAfterFailedWrite: true },
  },
  {
    id: 'RNG-3',
    catalog: 'own (a careless decoder)',
    description: 'a control sector\'s flag byte is read as "1 is true, anything else false": a garbage flag passes for false (a ring that is not suspended) instead of being reported corrupt.',
    suites: ['ring'],
    caughtBy: 'ring/garbage-control',
    available: true,
    ring: { lenientFlagByte: true },
  },
  {
    id: 'RNG-4',
    catalog: 'own (off by the header)',
    description: 'pop checks the length header against the bytes published after the item\'s start, not after its header: a header claiming up to 4 bytes more than was published passes, and the item comes back with bytes that were never published.',
    suites: ['ring'],
    caughtBy: 'ring/garbage-header',
    available: true,
    ring: { lengthCheckCountsHeader: true },
  },
  {
    id: 'RNG-5',
    catalog: 'own (a careless error path)',
    description: 'a sector read that fails with an I/O error is taken as a sector of zeros ("unreadable means empty"): a transient read error turns into a garbage control record or an item of zeros instead of a failed call.',
    suites: ['ring'],
    caughtBy: 'ring/adapter-device-errors',
    available: true,
    ring: { readErrorsAsZeros: true },
  },
  {
    id: 'RNG-6',
    catalog: 'own (a 32-bit habit)',
    description: 'the producer reduces stream positions to 32 bits where it places an item: once the ring has carried 4 GiB, items land at the wrong offset and the consumer pops garbage.',
    suites: ['ring'],
    caughtBy: 'ring/model-vs-impl',
    available: true,
    ring: { positions32Bit: true },
  },
  {
    id: 'JB-1',
    catalog: 'catalogue JB-1',
    description: 'an exception in perform or in decoding kills the journal loop: pushes pile up and are never performed.',
    suites: ['journal'],
    caughtBy: 'journal/trace-conforms',
    available: true,
    journal: { loopDiesOnException: true },
  },
  {
    id: 'JB-2',
    catalog: 'catalogue JB-2',
    description: 'perform returning an error is never retried: the ops stay unperformed until another push comes, although the cause is gone.',
    suites: ['journal'],
    caughtBy: 'journal/trace-conforms',
    available: true,
    journal: { errorResultNotRetried: true },
  },
  {
    id: 'JRN-1',
    catalog: 'own',
    description: 'the journal releases a batch from the ring before performing it: a crash in between loses acknowledged ops (at-most-once).',
    suites: ['journal'],
    caughtBy: 'journal/crash-at-least-once',
    available: true,
    journal: { releaseBeforePerform: true },
  },
  {
    id: 'JRN-2',
    catalog: 'own (the real journal before issue 12: RNG-2 beneath it)',
    description: 'the journal on a ring whose ends keep their old position after a failed control write: after a write that failed yet landed, acknowledged ops are overwritten or never performed, or the ring turns corrupt for good.',
    suites: ['journal'],
    caughtBy: 'journal/ambiguous-write',
    available: true,
    journal: {},
    ring: { noRereadAfterFailedWrite: true },
  },
  {
    id: 'JRN-3',
    catalog: 'own (off by one)',
    description: 'sync waits until the journal has performed beyond its op, not up to it: the sync of the last op pushed never resolves, although the op was performed.',
    suites: ['journal'],
    caughtBy: 'journal/trace-conforms',
    available: true,
    journal: { syncWaitsPastPosition: true },
  },
  {
    id: 'JRN-4',
    catalog: 'own (a forgotten line)',
    description: 'a push that finds the ring full wakes the journal loop without making the pending batch due: the push waits out the flush interval instead of forcing the batch at once.',
    suites: ['journal'],
    caughtBy: 'journal/trace-conforms',
    available: true,
    journal: { fullRingWaitsForInterval: true },
  },
  {
    id: 'JRN-5',
    catalog: 'own (a forgotten line)',
    description: 'shutdown stops the journal loop without waking its waiters: a sync started before it is never settled, and a push waiting for room hangs.',
    suites: ['journal'],
    caughtBy: 'journal/trace-conforms',
    available: true,
    journal: { shutdownWakesNoWaiters: true },
  },
  {
    id: 'JRN-6',
    catalog: 'own (a careless error path)',
    description: 'a failure to read the ring while folding a batch (a device error) is taken as "nothing to do": no retry is scheduled, and acknowledged ops wait for a later push that may never come.',
    suites: ['journal'],
    caughtBy: 'journal/device-errors',
    available: true,
    journal: { ringErrorNotRetried: true },
  },
  {
    id: 'JRN-7',
    catalog: 'own (the real journal before issue 15)',
    description: 'a push whose ring advance fails returns the error without telling the loop: when the failure came after the producer position was written, the op is published yet left unperformed in the ring until some later push.',
    suites: ['journal'],
    caughtBy: 'journal/device-errors',
    available: true,
    journal: { failedPushLeavesLoopAsleep: true },
  },
  {
    id: 'JRN-8',
    catalog: 'own (the real journal before issue 15)',
    description: 'pushes are not serialized: two pushes in flight at once both write their item at the producer\'s position before either advances, so the second overwrites the first, whose push still resolves: an acknowledged op is never performed.',
    suites: ['journal'],
    caughtBy: 'journal/concurrent-pushes',
    available: true,
    journal: { pushesNotSerialized: true },
  },
  {
    id: 'JRN-9',
    catalog: 'own (a lost wake-up)',
    description: 'a push that finds the ring full listens for progress only after its look at the ring: a batch released while it was looking wakes nobody, and the push waits for room that is already free until another batch is released, for ever if none comes.',
    suites: ['journal'],
    caughtBy: 'journal/concurrent-pushes',
    available: true,
    journal: { progressListenedLate: true },
  },
  {
    id: 'JRN-10',
    catalog: 'own (a forgotten await)',
    description: 'shutdown returns without waiting for the journal loop: the batch in progress is still being performed after the device was let go, and is then not released.',
    suites: ['journal'],
    caughtBy: 'journal/concurrent-pushes',
    available: true,
    journal: { shutdownReturnsAtOnce: true },
  },
];

/** Finds a variant by id (case-insensitive), or `undefined`. */
export function findVariant(id: string): Variant | undefined {
  const wanted = id.toUpperCase();
  return VARIANTS.find((v) => v.id.toUpperCase() === wanted);
}
