/**
 * The spool type the multispool properties run on: two queues, JSON metadata, text data.
 * Small value pools make collisions (same metadata in two entries, a save that changes
 * nothing) likely, which is where confusions between entries show.
 */
import fc from 'fast-check';
import { jsonCodec, textCodec, type Spoolable } from '../../impl/multispool/spoolable.ts';

/** The queues of the test spool type. */
export type TestQueue = 'alpha' | 'beta';

/** Metadata of a test entry: a label and a revision, as a message's status and retry count. */
export interface TestMeta {
  readonly label: string;
  readonly rev: number;
}

/** The test spool type. Queue directories are named after the queues. */
export const TEST_SPOOLABLE: Spoolable<TestQueue, TestMeta, string> = {
  queues: ['alpha', 'beta'],
  queueDir: (q) => q,
  metadata: jsonCodec<TestMeta>(),
  data: textCodec,
};

/** The queue directory names of {@link TEST_SPOOLABLE}, in its order. */
export const TEST_QUEUES: readonly TestQueue[] = TEST_SPOOLABLE.queues;

/** Arbitrary queue. */
export const queueArb: fc.Arbitrary<TestQueue> = fc.constantFrom(...TEST_QUEUES);

/**
 * Arbitrary metadata from a small pool. Plain objects (not null-prototype ones), so they compare
 * deep-strict-equal to what the JSON codec decodes from disk.
 */
export const metaArb: fc.Arbitrary<TestMeta> = fc.record(
  {
    label: fc.constantFrom('new', 'retry', 'frozen'),
    rev: fc.integer({ min: 0, max: 3 }),
  },
  { noNullPrototype: true },
);

/** Arbitrary data: short text, sometimes empty, sometimes non-ASCII. */
export const dataArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', 'hello', 'Grüße ✉'),
  fc.string({ maxLength: 12 }),
);

/** The clock time the properties start at (ms since the epoch, 2023-11-14). */
export const START_MS = 1_700_000_000_000;
