/**
 * Arbitrary values of the test spool type (test-spoolable.ts). Small value pools make collisions
 * (same metadata in two entries, a save that changes nothing) likely, which is where confusions
 * between entries show.
 */
import fc from 'fast-check';
import { TEST_QUEUES, type TestMeta, type TestQueue } from './test-spoolable.ts';

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
