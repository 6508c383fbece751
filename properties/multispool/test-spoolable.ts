/**
 * The spool type the multispool properties run on: two queues, JSON metadata, text data.
 * Its arbitraries are in test-spool-arbitraries.ts: this file is loaded by the kill suite's child
 * processes too, which must not load fast-check.
 */
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

/** The clock time the properties start at (ms since the epoch, 2023-11-14). */
export const START_MS = 1_700_000_000_000;
