/**
 * `queue/reader-never-sleeps`: for a queue with a reader (`take`), two processes enqueue while a
 * third takes items with `take` and removes each, every file-system call of the three an
 * interleaving point chosen (and replayed) by fast-check's scheduler. Once the enqueuers are done
 * and everything has run, the reader must have taken every enqueued item exactly once, with its
 * data: a reader that sleeps while an item is available (a notification missed between its
 * listing and its wait) leaves items behind.
 */
import fc from 'fast-check';
import { interleavingSeedArb, racingVolume, seededScheduler } from '../../sim/racing-processes.ts';
import type { QueueHandle } from '../../targets/queue-adapter.ts';
import { START_MS } from '../multispool/test-spoolable.ts';
import { raceViolation } from '../races/race-violation.ts';
import { errorText } from '../session-report.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { itemData } from './driver.ts';
import { QUEUE_DIR } from './sequential.ts';

export const readerNeverSleeps: PropertyDef = {
  suite: 'queue',
  name: 'reader-never-sleeps',
  requires: ['queue', 'queue-reader'],
  description: 'two processes enqueue while a third takes with its reader and removes, interleaved call by call: every item is taken exactly once, with its data; the reader never sleeps while an item waits',
  defaultRuns: 300,
  testRuns: 40,
  build: (ctx) =>
    fc.asyncProperty(interleavingSeedArb, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.nat({ max: 6 }), async (seed, countA, countB, pause) => {
      const adapter = adapterOf(ctx, 'queue');
      const world = racingVolume(seededScheduler(seed), { startMs: START_MS });
      await world.inspect.mkdir(QUEUE_DIR);
      const open = (who: string): Promise<QueueHandle> => adapter.open({ vfs: world.spawn(who).vfs, dir: QUEUE_DIR, clock: world.clock });
      const [a, b, r] = [await open('a'), await open('b'), await open('reader')];
      const take = r.take?.bind(r);
      if (take === undefined) throw new Error(`target ${ctx.target.name} says its queue has a reader, but its handle has no take()`);
      world.racing = true;
      const errors: string[] = [];
      const enqueued: string[] = [];
      const taken: { id: string; data: string }[] = [];
      const failed = (who: string) => (err: unknown) => void errors.push(`${who} failed: ${errorText(err)}`);
      // Between two enqueues a process does other work (here: `pause` lists), so the reader can catch up and wait.
      const enqueue = async (h: QueueHandle, count: number, first: number): Promise<void> => {
        for (let i = 0; i < count; i++) {
          await h.enqueue(itemData(first + i));
          enqueued.push(itemData(first + i));
          for (let p = 0; p < pause; p++) await h.list();
        }
      };
      const stop = new AbortController();
      const reading = (async () => {
        for (;;) {
          const next = await take(stop.signal);
          if (next === undefined) {
            if (!stop.signal.aborted) errors.push('take() gave nothing (undefined) though it was not stopped: a reader must wait for items');
            return;
          }
          taken.push(next);
          await r.remove(next.id);
        }
      })().catch(failed('the reader'));
      void enqueue(a, countA, 100).catch(failed('a'));
      void enqueue(b, countB, 200).catch(failed('b'));
      await world.settle();
      const missing = enqueued.filter((d) => !taken.some((t) => t.data === d));
      stop.abort();
      await world.settle();
      await reading;
      await Promise.all([a, b, r].map((h) => h.close?.()));
      world.racing = false;
      const twice = taken.filter((t, i) => taken.findIndex((u) => u.data === t.data) !== i);
      const problems = [
        ...errors,
        ...(missing.length > 0 ? [`the reader sleeps with work waiting: ${missing.map((d) => JSON.stringify(d)).join(', ')} enqueued but never taken`] : []),
        ...twice.map((t) => `taken twice: ${JSON.stringify(t.data)} (id ${t.id})`),
        ...taken.filter((t) => !enqueued.includes(t.data)).map((t) => `taken, never enqueued: id ${t.id} with data ${JSON.stringify(t.data)}`),
      ];
      if (problems.length > 0) throw raceViolation([...problems, `taken: ${taken.map((t) => `${t.id}=${JSON.stringify(t.data)}`).join(', ') || 'nothing'}`].join('\n'), world);
    }) as unknown as fc.IAsyncProperty<never>,
};
