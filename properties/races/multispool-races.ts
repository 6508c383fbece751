/**
 * Multispool races (docs/multispool-protocol.md, 1.6, 5.3): several processes share one spool directory on one
 * simulated disk; each process has its own Vfs handle whose every call is an interleaving point
 * chosen by fast-check's scheduler (so failures shrink to a short interleaving and replay from
 * the seed and path). Checked:
 * - `enqueuers-distinct`: racing enqueuers whose name generators propose the same names never
 *   share a name: every enqueue that returned is in the queue, once, with its own contents;
 * - `checkout-one-winner`: racing checkouts of one entry: exactly one wins, the rest get
 *   `notFound`, and the winner sees the entry's contents;
 * - `reader-never-sleeps`: two enqueuers and one queue reader: once the enqueuers are done and
 *   everything has run, the reader has taken every entry exactly once (it never sleeps while
 *   work is waiting).
 * The processes are `sim/racing-processes.ts` processes (never killed in these three), so a
 * failure shows every process's timeline and the scheduler's interleaving. The suite also holds
 * `multispool-linearizable` (kills, linearizability against the model, exactly once),
 * `fifo-one-enqueuer` (FIFO order with kills) and the ring's `ring-producer-consumer`.
 */
import fc from 'fast-check';
import type { Vfs } from '../../impl/io/vfs.ts';
import { Multispool } from '../../impl/multispool/index.ts';
import type { NameGenerator } from '../../impl/multispool/spoolable.ts';
import { interleavingSeedArb, racingVolume, seededScheduler, type RacingVolume } from '../../sim/racing-processes.ts';
import { START_MS, TEST_SPOOLABLE, type TestMeta, type TestQueue } from '../multispool/test-spoolable.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { fifoOneEnqueuer } from './fifo-races.ts';
import { multispoolLinearizable } from './multispool-linearizable.ts';
import { raceViolation } from './race-violation.ts';
import { ringHandlesLinearizable } from './ring-handles-linearizable.ts';
import { ringRaces } from './ring-races.ts';

type Spool = Multispool<TestQueue, TestMeta, string>;

/**
 * `count` racing processes (`sim/racing-processes.ts`, never killed here) on one volume holding a
 * fresh spool: each its own scheduled view and spool handle (opened without checks: the set-up
 * created the spool). `world.racing` is on.
 */
async function processes(s: fc.Scheduler, count: number, ctx: RunContext): Promise<{ spools: Spool[]; world: RacingVolume; inspect: Vfs }> {
  const world = racingVolume(s, { startMs: START_MS });
  const quirks = builtinOf(ctx).multispool;
  const options = { clock: world.clock, quirks };
  await Multispool.create(world.inspect, '/spool', TEST_SPOOLABLE, options);
  const spools: Spool[] = [];
  for (let i = 0; i < count; i++) spools.push(Multispool.loadUnsafe(world.spawn(`p${i + 1}`).vfs, '/spool', TEST_SPOOLABLE, options));
  world.racing = true;
  return { spools, world, inspect: world.inspect };
}

/** Names n1, n2, ...: every process proposes the same sequence, as processes on one clock would. */
function sharedSequence(): NameGenerator {
  let n = 0;
  return { next: () => `n${++n}` };
}

const meta = (p: number, i: number): TestMeta => ({ label: `p${p}`, rev: i });

/** A process's run that never rejects: its failure, if any, comes back as a value to report. */
function caught(run: Promise<unknown>): Promise<unknown> {
  return run.then(
    () => undefined,
    (err: unknown) => err ?? new Error('rejected'),
  );
}

/** Throws if any process failed, naming the first failure. */
function noFailure(what: string, failures: readonly unknown[], world: RacingVolume): void {
  const failure = failures.find((f) => f !== undefined);
  if (failure !== undefined) throw raceViolation(`${what} failed: ${failure instanceof Error ? failure.message : String(failure)}`, world);
}

/** Racing enqueuers with colliding name proposals. */
export const enqueuersDistinct: PropertyDef = {
  suite: 'races',
  requires: ['builtin'],
  name: 'enqueuers-distinct',
  description: 'racing enqueuers proposing the same names never share one: every returned enqueue is in the queue once, with its own contents',
  defaultRuns: 400,
  testRuns: 60,
  build: (ctx) =>
    fc.asyncProperty(interleavingSeedArb, fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 3 }), async (seed, k, each) => {
      const s = seededScheduler(seed);
      const { spools, world, inspect } = await processes(s, k, ctx);
      const done: Array<{ name: string; metadata: TestMeta; data: string }> = [];
      const runs = spools.map((spool, p) => caught((async () => {
        const names = sharedSequence();
        for (let i = 0; i < each; i++) {
          const metadata = meta(p + 1, i);
          const data = `data of p${p + 1} #${i}`;
          const entry = await spool.enqueue('alpha', metadata, data, { reserve: names });
          done.push({ name: entry.name, metadata, data });
        }
      })()));
      await world.settle();
      noFailure('a racing enqueue', await Promise.all(runs), world);
      const check = await Multispool.load(inspect, '/spool', TEST_SPOOLABLE);
      const listed = await check.list('alpha');
      const names = done.map((d) => d.name);
      if (new Set(names).size !== names.length) throw raceViolation(`two enqueues returned the same name: ${names.join(', ')}`, world);
      for (const d of done) {
        const contents = await check.direct.contents(check.entry('alpha', d.name));
        if (JSON.stringify(contents) !== JSON.stringify(d.metadata)) {
          throw raceViolation(`entry ${d.name} holds ${JSON.stringify(contents)}, but its enqueue wrote ${JSON.stringify(d.metadata)}: one entry overwrote another`, world);
        }
      }
      if (listed.length !== done.length) throw raceViolation(`${done.length} enqueues returned but alpha lists ${listed.length} entries: ${listed.join(', ')}`, world);
    }) as unknown as fc.IAsyncProperty<never>,
};

/** Racing checkouts of one entry. */
export const checkoutOneWinner: PropertyDef = {
  suite: 'races',
  requires: ['builtin'],
  name: 'checkout-one-winner',
  description: 'racing checkouts of one entry: exactly one wins and sees its contents, the others get notFound',
  defaultRuns: 400,
  testRuns: 60,
  build: (ctx) =>
    fc.asyncProperty(interleavingSeedArb, fc.integer({ min: 2, max: 4 }), async (seed, k) => {
      const s = seededScheduler(seed);
      const { spools, world, inspect } = await processes(s, k, ctx);
      const setup = await Multispool.load(inspect, '/spool', TEST_SPOOLABLE);
      const entry = await setup.enqueue('alpha', { label: 'x', rev: 1 }, 'payload', { use: await setup.reserve({ next: () => 'e1' }) });
      const outcomes = spools.map((spool) => spool.tryCheckout(spool.entry('alpha', entry.name)));
      const failures = outcomes.map(caught);
      await world.settle();
      noFailure('a racing checkout', await Promise.all(failures), world);
      const results = await Promise.all(outcomes);
      const winners = results.filter((r) => r.kind === 'checkedOut');
      if (winners.length !== 1) throw raceViolation(`${winners.length} of ${k} racing checkouts won (expected exactly one)`, world);
      const w = winners[0];
      if (w?.kind === 'checkedOut' && JSON.stringify(w.entry.contents) !== JSON.stringify({ label: 'x', rev: 1 })) throw raceViolation('the winner saw the wrong contents', world);
    }) as unknown as fc.IAsyncProperty<never>,
};

/** Two enqueuers and one reader. */
export const readerNeverSleeps: PropertyDef = {
  suite: 'races',
  requires: ['builtin'],
  name: 'reader-never-sleeps',
  description: 'two enqueuers and a queue reader, interleaved call by call: the reader takes every entry exactly once and never sleeps while work is waiting',
  defaultRuns: 400,
  testRuns: 60,
  build: (ctx) =>
    fc.asyncProperty(interleavingSeedArb, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 4 }), async (seed, a, b) => {
      const s = seededScheduler(seed);
      const { spools, world } = await processes(s, 3, ctx);
      const [e1, e2, r] = spools as [Spool, Spool, Spool];
      let n = 0;
      const unique = (prefix: string): NameGenerator => ({ next: (attempt) => `${prefix}${++n}_${attempt}` });
      const enqueued: string[] = [];
      const enqueue = async (spool: Spool, count: number, prefix: string): Promise<void> => {
        const names = unique(prefix);
        for (let i = 0; i < count; i++) enqueued.push((await spool.enqueue('alpha', meta(0, i), prefix, { reserve: names })).name);
      };
      const taken: string[] = [];
      const stop = new AbortController();
      const reader = r.queueReader('alpha');
      const reading = caught((async () => {
        for (;;) {
          const next = await reader.dequeue({ signal: stop.signal });
          if (next.kind === 'stopped') return;
          taken.push(next.entry.name);
          await next.entry.remove();
        }
      })());
      const writers = Promise.all([caught(enqueue(e1, a, 'a')), caught(enqueue(e2, b, 'b'))]);
      await world.settle();
      noFailure('an enqueue', await writers, world);
      await world.settle();
      const missing = enqueued.filter((x) => !taken.includes(x));
      stop.abort();
      await world.settle();
      noFailure('the queue reader', [await reading], world);
      reader.close();
      if (missing.length > 0) throw raceViolation(`the reader sleeps with work waiting: ${missing.join(', ')} enqueued but never taken (taken: ${taken.join(', ') || 'nothing'})`, world);
      if (new Set(taken).size !== taken.length) throw raceViolation(`an entry was taken twice: ${taken.join(', ')}`, world);
    }) as unknown as fc.IAsyncProperty<never>,
};

/** The races suite: the multispool's races (the linearizability check with kills, FIFO), then the ring's. */
export const RACES_PROPERTIES: readonly PropertyDef[] = [enqueuersDistinct, checkoutOneWinner, readerNeverSleeps, multispoolLinearizable, fifoOneEnqueuer, ringRaces, ringHandlesLinearizable];
