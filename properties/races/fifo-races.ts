/**
 * `races/fifo-one-enqueuer` (docs/multispool-protocol.md, 1.6, 5.3): one enqueuer and one strict-FIFO queue reader
 * (`queueReader(q, {strictFifo: true})`, driven by `iter` with a stop signal), racing processes
 * on one memfs volume (`sim/racing-processes.ts`): every Vfs call of either is an interleaving
 * point of fast-check's scheduler, and either may be killed at an interleaving point fast-check
 * chooses. Names come from `lexicographicTimeOrder` on the shared manual clock, which stands
 * still or moves a few ms every fourth enqueue; up to 13 entries are enqueued, so the sequence
 * counter passes the 9 → 10 digit boundary within one millisecond (where unpadded names stop
 * sorting in creation order: SEQ-3).
 *
 * Checked once everything has run: no live process failed; a live reader does not sleep with
 * work waiting (MS-3); the reader took entries exactly in enqueue order (the order the enqueues
 * returned, followed by the entry a killed enqueuer had already published, if any), each once;
 * and whatever it did not take is still on disk (queued, or checked out by a killed reader).
 *
 * The multispool suite's `fifo-one-reader` checks the same order without kills; this one adds
 * kills and the race reports (timelines and the scheduler's interleaving).
 */
import fc from 'fast-check';
import { basename } from '../../impl/io/vfs.ts';
import { lexicographicTimeOrder, Multispool } from '../../impl/multispool/index.ts';
import { interleavingSeedArb, racingVolume, seededScheduler } from '../../sim/racing-processes.ts';
import { START_MS, TEST_SPOOLABLE } from '../multispool/test-spoolable.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { killedReach } from './kill-reach.ts';
import { RACE_QUEUE } from './race-history-model.ts';
import { raceViolation } from './race-violation.ts';

const DIR = '/spool';

/** One FIFO race, as fast-check generates it. */
export interface FifoScenario {
  /** Entries to enqueue. */
  readonly count: number;
  /** Ms the clock moves after every fourth enqueue (0: it stands still). */
  readonly clockStep: number;
  /**
   * Whether the reader loads each entry's data (and checks it). A reader that does, works a
   * little longer per entry than the enqueuer and so falls behind (several entries queued at one
   * listing: where name order matters); one that does not keeps up (the queue is often empty when
   * it lists: where a missed notification matters).
   */
  readonly readData: boolean;
  /** The enqueuer's and the reader's kill points (undefined: not killed). */
  readonly killEnqueuerAt: number | undefined;
  readonly killReaderAt: number | undefined;
}

/** A kill point, or (more often) none; shrinks towards none. */
const killPoint = (max: number): fc.Arbitrary<number | undefined> =>
  fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: fc.nat({ max }), weight: 1 });

/** Scenarios: short queues, and queues long enough to cross a digit boundary of the sequence. */
export const fifoScenarioArb: fc.Arbitrary<FifoScenario> = fc.record({
  count: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 11, max: 13 })),
  clockStep: fc.nat({ max: 2 }),
  readData: fc.boolean(),
  killEnqueuerAt: killPoint(400),
  killReaderAt: killPoint(400),
});

/** Runs one race; throws a RaceViolation at the first thing that breaks. */
export async function runFifoRace(s: fc.Scheduler, sc: FifoScenario, ctx: RunContext): Promise<void> {
  const world = racingVolume(s, { startMs: START_MS });
  const quirks = builtinOf(ctx).multispool;
  const options = { clock: world.clock, quirks };
  await Multispool.create(world.inspect, DIR, TEST_SPOOLABLE, options);
  const enq = world.spawn('enqueuer', sc.killEnqueuerAt === undefined ? {} : { killAt: sc.killEnqueuerAt });
  const rdr = world.spawn('reader', sc.killReaderAt === undefined ? {} : { killAt: sc.killReaderAt });
  const writer = Multispool.loadUnsafe(enq.vfs, DIR, TEST_SPOOLABLE, options);
  const reader = Multispool.loadUnsafe(rdr.vfs, DIR, TEST_SPOOLABLE, options).queueReader(RACE_QUEUE, { strictFifo: true });
  const names = lexicographicTimeOrder(world.clock, quirks);

  const enqueued: string[] = [];
  const dequeued: string[] = [];
  const failures: string[] = [];
  const wrongData: string[] = [];
  const failed = (who: string) => (err: unknown) => {
    failures.push(`${who} failed: ${err instanceof Error ? err.message : String(err)}`);
  };
  /** Where the enqueue in flight started in the enqueuer's timeline. */
  let enqueueFrom = 0;
  let iterating = false;
  const stop = new AbortController();
  world.racing = true;
  void (async () => {
    for (let i = 0; i < sc.count; i++) {
      enqueueFrom = enq.process.timeline().length;
      const entry = await writer.enqueue(RACE_QUEUE, { label: `#${i}`, rev: i }, `body ${i}`, { reserve: names });
      enqueued.push(entry.name);
      if (i % 4 === 3 && sc.clockStep > 0) world.clock.advance(sc.clockStep);
    }
  })().catch(failed('the enqueuer'));
  iterating = true;
  void reader
    .iter(
      async (contents, dataFile) => {
        const name = basename(dataFile.path);
        dequeued.push(name);
        if (sc.readData) {
          const data = await dataFile.load();
          if (data !== `body ${contents.rev}`) wrongData.push(`${name} (${contents.label}) holds ${JSON.stringify(data)}`);
        }
        return { action: { kind: 'remove' }, result: undefined };
      },
      { signal: stop.signal },
    )
    .then(
      () => {
        iterating = false;
      },
      (err: unknown) => {
        iterating = false;
        failed('the reader')(err);
      },
    );

  await world.settle();
  const inspector = Multispool.loadUnsafe(world.inspect, DIR, TEST_SPOOLABLE, options);
  const queued = await inspector.list(RACE_QUEUE);
  const sleeping = rdr.process.alive && iterating && queued.length > 0;
  stop.abort();
  await world.settle();
  reader.close();
  world.racing = false;

  // What the reader should take, in order: what the enqueuer was told, then what a killed enqueuer had published.
  const expected = [...enqueued];
  if (!enq.process.alive && enqueued.length < sc.count) {
    const last = killedReach({ kind: 'enqueue', metadata: { label: '', rev: 0 }, data: '' }, enq.process.timeline().slice(enqueueFrom), DIR);
    if (last.reach === 'published' && last.subject !== undefined) expected.push(last.subject);
  }
  const story = `Enqueued (in order): ${expected.join(', ') || 'nothing'}\nDequeued (in order): ${dequeued.join(', ') || 'nothing'}`;
  if (failures.length > 0) throw raceViolation(`A racing process failed: ${failures.join('; ')}`, world, story);
  if (sleeping) {
    throw raceViolation(`The queue reader sleeps with work waiting: once nothing else could run, ${queued.join(', ')} sat in ${RACE_QUEUE} and the reader waited for a notification.`, world, story);
  }
  const firstWrong = dequeued.findIndex((name, i) => name !== expected[i]);
  if (firstWrong >= 0) {
    throw raceViolation(
      `Not FIFO: dequeue number ${firstWrong + 1} took ${dequeued[firstWrong]}, but the next entry in enqueue order is ${expected[firstWrong] ?? '(none: nothing more was enqueued)'}.`,
      world,
      story,
    );
  }
  if (wrongData.length > 0) throw raceViolation(`The reader read data of another entry: ${wrongData.join('; ')}.`, world, story);
  const checkedOut = await world.inspect.readdir(`${DIR}/${RACE_QUEUE}/.checkout`);
  const lost = expected.slice(dequeued.length).filter((name) => !queued.includes(name) && !checkedOut.includes(name));
  if (lost.length > 0) throw raceViolation(`Lost: ${lost.join(', ')} enqueued, never dequeued, and neither queued nor checked out.`, world, story);
  if (rdr.process.alive && dequeued.length < expected.length) {
    throw raceViolation(`The live reader took ${dequeued.length} of ${expected.length} entries.`, world, story);
  }
}

/** The property: one enqueuer, one strict-FIFO reader, call by call, kills: FIFO order, nothing lost. */
export const fifoOneEnqueuer: PropertyDef = {
  suite: 'races',
  requires: ['builtin'],
  name: 'fifo-one-enqueuer',
  description:
    'one enqueuer and one strict-FIFO queue reader with lexicographic-time-order names, interleaved call by call, either maybe killed: the reader takes entries in enqueue order, each once, and nothing is lost',
  defaultRuns: 150,
  testRuns: 50,
  build: (ctx) =>
    fc.asyncProperty(interleavingSeedArb, fifoScenarioArb, async (seed, scenario) => {
      const s = seededScheduler(seed);
      await runFifoRace(s, scenario, ctx);
    }) as unknown as fc.IAsyncProperty<never>,
};
