/**
 * One enqueuer and one queue reader, racing on a shared file system (every Vfs call of either
 * interleaved by fast-check's scheduler): with lexicographic-time-order names the reader
 * dequeues every entry, in exactly the order they were enqueued, and never falls asleep while
 * an entry is waiting. The enqueuer's name generator may already have named entries before the
 * run (`namedBefore`, just short of a digit boundary of its sequence counter), as a long-running
 * process's has: the names that cross a boundary must still sort in creation order. The reader
 * may start late (`backlog`: once that many entries are enqueued), so that it finds a backlog
 * in one listing, as a reader restarted after an outage does.
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { memfsVfs, newVolume } from '../../impl/io/memfs-vfs.ts';
import { lexicographicTimeOrder, Multispool } from '../../impl/multispool/index.ts';
import { scheduledVfs } from '../../sim/scheduled-vfs.ts';
import { interleavingSeedArb, seededScheduler } from '../../sim/racing-processes.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { quirksOf } from './model-vs-impl.ts';
import { metaArb } from './test-spool-arbitraries.ts';
import { START_MS, TEST_SPOOLABLE } from './test-spoolable.ts';

/** Runs scheduled calls until none is pending, even after every promise chain has moved on. */
export async function settle(s: fc.Scheduler): Promise<void> {
  for (;;) {
    while (s.count() > 0) await s.waitAll();
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (s.count() === 0) return;
  }
}

/**
 * How many names the enqueuer's generator handed out before the run: none (a fresh process), or
 * two short of a boundary where the sequence counter gains a digit (10, 100, 1000, and a billion,
 * where a 9-digit sequence field overflowed), so that the run's names cross it within one millisecond.
 */
const namedBeforeArb = fc.constantFrom(0, 8, 98, 998, 999_999_998);

/** FIFO order for one enqueuer and one reader. */
export const fifoOneReader: PropertyDef = {
  suite: 'multispool',
  requires: ['builtin'],
  name: 'fifo-one-reader',
  description: 'one enqueuer and one strict-FIFO queue reader, interleaved call by call: every entry is dequeued once, in enqueue order',
  defaultRuns: 300,
  testRuns: 40,
  build: (ctx: RunContext) =>
    fc.asyncProperty(interleavingSeedArb, fc.array(metaArb, { minLength: 1, maxLength: 14 }), fc.nat({ max: 3 }), namedBeforeArb, fc.nat({ max: 4 }), async (seed, metas, clockSteps, namedBefore, backlog) => {
      const s = seededScheduler(seed);
      const clock = manualClock(START_MS);
      const volume = newVolume();
      const writerVfs = scheduledVfs(memfsVfs({ volume, clock }), s, 'enqueuer');
      const readerVfs = scheduledVfs(memfsVfs({ volume, clock }), s, 'reader');
      writerVfs.enabled = false;
      readerVfs.enabled = false;
      const options = { clock, ...quirksOf(ctx) };
      const writer = await Multispool.create(writerVfs, '/spool', TEST_SPOOLABLE, options);
      const readerSpool = await Multispool.load(readerVfs, '/spool', TEST_SPOOLABLE, options);
      writerVfs.enabled = true;
      readerVfs.enabled = true;

      const names = lexicographicTimeOrder(clock, builtinOf(ctx).multispool, namedBefore);
      const enqueued: string[] = [];
      const dequeued: string[] = [];
      let backlogReady = (): void => undefined;
      const readerMayStart = new Promise<void>((resolve) => {
        backlogReady = resolve;
      });
      if (Math.min(backlog, metas.length) === 0) backlogReady();
      const enqueuer = (async () => {
        for (const [i, metadata] of metas.entries()) {
          const entry = await writer.enqueue('alpha', metadata, `body ${i}`, { reserve: names });
          enqueued.push(entry.name);
          if (enqueued.length === Math.min(backlog, metas.length)) backlogReady();
          if (i % 4 === 3 && clockSteps > 0) clock.advance(clockSteps);
        }
      })();
      const stop = new AbortController();
      const reader = readerSpool.queueReader('alpha', { strictFifo: true });
      const dequeuer = (async () => {
        await readerMayStart;
        while (dequeued.length < metas.length) {
          const r = await reader.dequeue({ signal: stop.signal });
          if (r.kind === 'stopped') return;
          dequeued.push(r.entry.name);
          await r.entry.remove();
        }
      })();
      try {
        await s.waitFor(enqueuer);
        // Let the reader run until it has nothing left to do: if it still misses entries then,
        // it went to sleep with work waiting.
        await settle(s);
        if (dequeued.length < metas.length) {
          stop.abort();
          await s.waitFor(dequeuer);
          throw new Error(
            `the reader stopped making progress with ${metas.length - dequeued.length} entr(y/ies) waiting: enqueued ${enqueued.join(', ')}; dequeued ${dequeued.join(', ') || 'nothing'}`,
          );
        }
        await s.waitFor(dequeuer);
        if (dequeued.join(',') !== enqueued.join(',')) {
          throw new Error(`dequeue order differs from enqueue order:\n  enqueued ${enqueued.join(', ')}\n  dequeued ${dequeued.join(', ')}`);
        }
      } finally {
        reader.close();
      }
    }) as unknown as fc.IAsyncProperty<never>,
};
