/**
 * Every way of reading a queue delivers every entry exactly once, even while an enqueuer races
 * with one or two readers call by call (fast-check's scheduler interleaves their Vfs calls):
 * strict-FIFO `dequeue` (one reader: in enqueue order), plain `dequeue`, `iter` with a handler,
 * repeated `iterAvailable` passes and repeated `dequeueAvailable` calls (as a set: each entry
 * once, whichever reader won it). The readers see each entry's metadata and data as enqueued, and
 * move it out (remove it, or save it into the other queue with new metadata): at the end nothing
 * is left in the queue, and every moved entry sits in the other queue with what was saved.
 * Meanwhile a recovery scan (`listCheckoutsUnsafe`) may race them: entries that vanish under it
 * are skipped, never an error, and it only ever shows real entries.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { memfsVfs, newVolume } from '../../impl/io/memfs-vfs.ts';
import type { Vfs } from '../../impl/io/vfs.ts';
import {
  CHECKOUT_DIR,
  lexicographicTimeOrder,
  Monitor,
  Multispool,
  SpoolError,
  type CheckedOutEntry,
  type DataFile,
  type EntryHandler,
  type QueueReader,
} from '../../impl/multispool/index.ts';
import { scheduledVfs } from '../../sim/scheduled-vfs.ts';
import { interleavingSeedArb, seededScheduler } from '../../sim/racing-processes.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { clearErrorProblems } from './clear-errors.ts';
import { settle } from './fifo.ts';
import { quirksOf } from './model-vs-impl.ts';
import { metaArb } from './test-spool-arbitraries.ts';
import { START_MS, TEST_SPOOLABLE, type TestMeta, type TestQueue } from './test-spoolable.ts';

/**
 * How the reader takes entries out of the queue. `strict-late` is strict-FIFO `dequeue` by one
 * reader while the entries are published at moments of the reader's own choosing (right before
 * it lists the queue, right before a checkout attempt, instead of a wait), so that listings often
 * hold names newer than the notifications drained before them: where the strict pass must end.
 */
export type ReaderMode = 'dequeue-strict' | 'dequeue' | 'iter' | 'iterAvailable' | 'dequeueAvailable' | 'strict-late';

/** What the reader does with each entry it got. */
export type ReaderAction = 'remove' | 'move';

const MODES: readonly ReaderMode[] = ['dequeue-strict', 'dequeue', 'iter', 'iterAvailable', 'dequeueAvailable', 'strict-late'];

/** Moments of a reader's own calls at which a test may act (publish entries). */
interface ReaderHooks {
  beforeList?(): Promise<void>;
  beforeAttempt?(): Promise<void>;
  beforeWait?(): Promise<void>;
}

/** The metadata a moving reader saves an entry with. */
function movedMetadata(m: TestMeta): TestMeta {
  return { label: 'moved', rev: m.rev + 1 };
}

/** How the test stops the readers at the end: aborting the signal they got, or closing them. */
export type StopBy = 'signal' | 'close';

/** What a reader did, as seen from its Vfs: drained notifications, listed the queue, tried to check out a name. */
type TraceEvent =
  | { readonly kind: 'drain'; readonly names: readonly string[] }
  | { readonly kind: 'list'; readonly names: readonly string[] }
  | { readonly kind: 'attempt'; readonly name: string };

/**
 * Wraps a reader's Vfs to record, in call order, its listings of `S/alpha`, the notifications its
 * watchers drained, and its checkout attempts (the touch of `S/alpha/<name>` that a checkout makes
 * right before its rename).
 */
function tracingVfs(inner: Vfs, trace: TraceEvent[], hooks: ReaderHooks): Vfs {
  return {
    ...inner,
    readdir: async (path) => {
      if (path === '/spool/alpha') await hooks.beforeList?.();
      const names = await inner.readdir(path);
      if (path === '/spool/alpha') trace.push({ kind: 'list', names: names.filter((n) => n !== CHECKOUT_DIR).sort() });
      return names;
    },
    utimes: async (path, a, m) => {
      const name = path.slice('/spool/alpha/'.length);
      if (path.startsWith('/spool/alpha/') && !name.includes('/')) {
        trace.push({ kind: 'attempt', name });
        await hooks.beforeAttempt?.();
      }
      return inner.utimes(path, a, m);
    },
    watch: async (path) => {
      const watcher = await inner.watch(path);
      return {
        drain: () => {
          const names = watcher.drain();
          trace.push({ kind: 'drain', names });
          return names;
        },
        wait: async (signal) => {
          await hooks.beforeWait?.();
          return watcher.wait(signal);
        },
        close: () => watcher.close(),
      };
    },
  };
}

/**
 * What is wrong with a reader's trace, or `undefined`: every checkout attempt is of a name of the
 * latest listing, after the previous attempt in that listing's (code-unit) order; with strict
 * FIFO, when the listing holds the newest name the drain before it reported, no attempt goes
 * past that name before the next listing (the pass ends there).
 */
function traceProblem(trace: readonly TraceEvent[], strict: boolean): string | undefined {
  let drained: readonly string[] = [];
  let listing: readonly string[] | undefined;
  let limit: string | undefined;
  let last: string | undefined;
  for (const [i, e] of trace.entries()) {
    const at = `event #${i + 1} of ${trace.length}`;
    if (e.kind === 'drain') drained = e.names;
    else if (e.kind === 'list') {
      listing = e.names;
      last = undefined;
      const newest = drained.length === 0 ? undefined : drained.reduce((a, b) => (b > a ? b : a));
      limit = strict && newest !== undefined && listing.includes(newest) ? newest : undefined;
      drained = [];
    } else {
      if (listing === undefined || !listing.includes(e.name)) return `${at}: attempt to check out ${e.name}, which the latest listing (${listing?.join(', ') ?? 'none yet'}) does not hold`;
      if (last !== undefined && !(last < e.name)) return `${at}: attempt to check out ${e.name} after ${last}: not in listing order`;
      if (limit !== undefined && e.name > limit) return `${at}: strict FIFO: attempt to check out ${e.name}, past ${limit}, the newest name notified before the listing`;
      last = e.name;
    }
  }
  return undefined;
}

/** One entry as the reader saw it. */
interface Delivery {
  readonly name: string;
  readonly contents: TestMeta;
  readonly data: string;
}

/** Every reader mode delivers each enqueued entry exactly once and leaves the queue empty. */
export const queueReaderModes: PropertyDef = {
  suite: 'multispool',
  requires: ['builtin'],
  name: 'queue-reader-modes',
  description:
    'strict and plain dequeue, iter, iterAvailable and dequeueAvailable, racing an enqueuer: every entry is delivered once (strict: in enqueue order) with its metadata and data, and none is left behind',
  defaultRuns: 150,
  testRuns: 40,
  build: (ctx: RunContext) =>
    fc.asyncProperty(
      interleavingSeedArb,
      fc.constantFrom(...MODES),
      fc.constantFrom<ReaderAction>('remove', 'move'),
      fc.array(metaArb, { minLength: 1, maxLength: 14 }),
      fc.nat({ max: 3 }),
      fc.constantFrom(1, 2),
      fc.nat({ max: 6 }),
      fc.constantFrom<StopBy>('signal', 'close'),
      fc.array(fc.nat({ max: 2 }), { maxLength: 16 }),
      async (seed, mode, action, metas, clockSteps, chosenReaderCount, scans, stopBy, batches) => {
        const s = seededScheduler(seed);
        const late = mode === 'strict-late';
        const readerCount = late ? 1 : chosenReaderCount;
        const clock = manualClock(START_MS);
        const volume = newVolume();
        const options = { clock, ...quirksOf(ctx) };
        const writerVfs = scheduledVfs(memfsVfs({ volume, clock }), s, 'enqueuer');
        writerVfs.enabled = false;
        const writer = await Multispool.create(writerVfs, '/spool', TEST_SPOOLABLE, options);
        writerVfs.enabled = true;
        const traces: TraceEvent[][] = [];
        // strict-late: entries are published by an unscheduled process, in batches, at the reader's hooks.
        const names = lexicographicTimeOrder(clock, builtinOf(ctx).multispool);
        const enqueued: string[] = [];
        const publisher = await Multispool.load(memfsVfs({ volume, clock }), '/spool', TEST_SPOOLABLE, options);
        const publish = async (atLeastOne: boolean): Promise<void> => {
          let size = Math.min(batches.shift() ?? 1, metas.length - enqueued.length);
          if (atLeastOne) size = Math.max(size, Math.min(1, metas.length - enqueued.length));
          for (let k = 0; k < size; k++) {
            const i = enqueued.length;
            enqueued.push((await publisher.enqueue('alpha', metas[i] as TestMeta, `body ${i}`, { reserve: names })).name);
          }
        };
        const hooks: ReaderHooks = late ? { beforeList: () => publish(false), beforeAttempt: () => publish(false), beforeWait: () => publish(true) } : {};
        const openProcess = async (label: string, traced: boolean): Promise<Multispool<TestQueue, TestMeta, string>> => {
          const vfs = scheduledVfs(memfsVfs({ volume, clock }), s, label);
          const trace: TraceEvent[] = [];
          if (traced) traces.push(trace);
          vfs.enabled = false;
          const spool = await Multispool.load(traced ? tracingVfs(vfs, trace, hooks) : vfs, '/spool', TEST_SPOOLABLE, options);
          vfs.enabled = true;
          trace.length = 0;
          return spool;
        };
        const readerSpools = [await openProcess('reader A', true), ...(readerCount === 2 ? [await openProcess('reader B', true)] : [])];
        const scanner = await openProcess('scanner', false);
        const monitorVfs = scheduledVfs(memfsVfs({ volume, clock }), s, 'monitor');
        monitorVfs.enabled = false;
        const monitor = await Monitor.open(monitorVfs, '/spool', TEST_SPOOLABLE, { clock, ...quirksOf(ctx) });
        monitorVfs.enabled = true;
        const inspector = await Multispool.load(memfsVfs({ volume, clock }), '/spool', TEST_SPOOLABLE, options);

        let enqueuerDone = false;
        const enqueuer = (async () => {
          for (const [i, metadata] of (late ? [] : metas).entries()) {
            const entry = await writer.enqueue('alpha', metadata, `body ${i}`, { reserve: names });
            enqueued.push(entry.name);
            if (i % 4 === 3 && clockSteps > 0) clock.advance(clockSteps);
          }
          enqueuerDone = true;
        })();

        const delivered: Delivery[] = [];
        const stop = new AbortController();
        const stopAll = (): void => {
          stop.abort();
          if (stopBy === 'close') for (const reader of readers) reader.close();
        };
        const see = async (name: string, contents: TestMeta, dataFile: DataFile<string>): Promise<void> => {
          delivered.push({ name, contents, data: await dataFile.load() });
          if (delivered.length >= metas.length) stopAll();
        };
        const stopOptions = stopBy === 'signal' ? { signal: stop.signal } : undefined;
        /** The test's own handling of a checked-out entry (the modes without a handler). */
        const handle = async (entry: CheckedOutEntry<TestQueue, TestMeta, string>): Promise<void> => {
          await see(entry.name, entry.contents, entry.dataFile);
          if (action === 'remove') {
            await entry.remove();
          } else {
            entry.update(movedMetadata);
            await entry.save('beta');
          }
        };
        const handler: EntryHandler<TestQueue, TestMeta, string, string> = async (contents, dataFile) => {
          const name = dataFile.path.slice(dataFile.path.lastIndexOf('/') + 1);
          await see(name, contents, dataFile);
          return { action: action === 'remove' ? { kind: 'remove' } : { kind: 'save', metadata: movedMetadata(contents), queue: 'beta' }, result: name };
        };
        const strict = mode === 'dequeue-strict' || late;
        const waits = strict || mode === 'dequeue' || mode === 'iter';
        const readers = readerSpools.map((spool) => spool.queueReader('alpha', { strictFifo: strict }));
        const read = async (reader: QueueReader<TestQueue, TestMeta, string>): Promise<void> => {
          switch (mode) {
            case 'dequeue-strict':
            case 'strict-late':
            case 'dequeue':
              while (delivered.length < metas.length) {
                const r = await reader.dequeue(stopOptions);
                if (r.kind === 'stopped') return;
                await handle(r.entry);
              }
              return;
            case 'iter':
              await reader.iter(handler, stopOptions);
              return;
            case 'iterAvailable':
              // Passes until one that started after the enqueuer finished: that one sees everything left.
              for (;;) {
                const last = enqueuerDone;
                await reader.iterAvailable(handler);
                if (last) return;
              }
            case 'dequeueAvailable':
              for (;;) {
                const last = enqueuerDone;
                const entry = await reader.dequeueAvailable();
                if (entry !== undefined) await handle(entry);
                else if (last) return;
              }
          }
        };
        const readerTasks = Promise.all(readers.map(read));
        // The recovery scan: every entry it shows is a real one, checked out, with metadata as
        // enqueued or as a reader saved it; one that vanishes while it reads is skipped. And the
        // Monitor, checking while files come and go: a file gone before its stat is skipped.
        const scanned: Delivery[] = [];
        const problemNames = new Set<string>();
        // Its failure is kept (not left unhandled) and reported once the readers are done.
        const scannerFailure = (async () => {
          for (let i = 0; i < scans && delivered.length < metas.length; i++) {
            for (const e of await scanner.listCheckoutsUnsafe('alpha')) scanned.push({ name: e.name, contents: e.contents, data: '' });
            for (const p of await monitor.fsck(clock.now())) problemNames.add(p.file.name);
          }
        })().then(
          () => undefined,
          (e: unknown) => e,
        );

        const story = (): string =>
          `mode ${mode}, ${readerCount} reader(s), action ${action}, stopped by ${stopBy}; enqueued ${enqueued.join(', ')}; delivered ${delivered.map((d) => d.name).join(', ') || 'nothing'}`;
        try {
          try {
            await s.waitFor(enqueuer);
            if (waits) {
              // Let the readers run until they have nothing left to do: if entries are still missing
              // then, a reader went to sleep (or stopped) with work waiting.
              await settle(s);
              if (delivered.length < metas.length) {
                stopAll();
                await s.waitFor(readerTasks);
                throw new Error(`the reader(s) stopped making progress with ${metas.length - delivered.length} entr(y/ies) waiting: ${story()}`);
              }
            }
            await s.waitFor(readerTasks);
            const failed = await s.waitFor(scannerFailure);
            if (failed !== undefined) {
              const what = failed instanceof SpoolError ? `${clearErrorProblems(failed, '/spool') ?? ''} ${failed.kind}: ${failed.message}` : String(failed);
              throw new Error(`the recovery scan or the Monitor, racing the readers, failed: ${what}; ${story()}`);
            }
          } catch (e) {
            if (e instanceof SpoolError) throw new Error(`a reader failed: ${clearErrorProblems(e, '/spool') ?? ''} ${e.kind}: ${e.message}; ${story()}`);
            throw e;
          }
        } finally {
          for (const reader of readers) reader.close();
        }

        for (const [r, trace] of traces.entries()) {
          const problem = traceProblem(trace, strict);
          if (problem !== undefined) {
            const shown = trace.map((e, i) => `    ${i + 1}. ${e.kind} ${'name' in e ? e.name : e.names.join(',') || '-'}`).join('\n');
            throw new Error(`reader ${r === 0 ? 'A' : 'B'}: ${problem}; ${story()}\n  its trace:\n${shown}`);
          }
        }
        for (const name of problemNames) {
          if (!enqueued.includes(name)) throw new Error(`the Monitor, checking during the run, reported a problem about ${name}, which is no entry; ${story()}`);
        }
        for (const seen of scanned) {
          const m = metas[enqueued.indexOf(seen.name)];
          if (m === undefined || !(isDeepStrictEqual(seen.contents, m) || isDeepStrictEqual(seen.contents, movedMetadata(m)))) {
            throw new Error(`the recovery scan showed ${seen.name} with ${JSON.stringify(seen.contents)}, which is no entry's metadata; ${story()}`);
          }
        }
        const deliveredNames = delivered.map((d) => d.name);
        if (strict && readerCount === 1 && deliveredNames.join(',') !== enqueued.join(',')) {
          throw new Error(`strict-FIFO dequeue order differs from enqueue order: ${story()}`);
        }
        if (new Set(deliveredNames).size !== deliveredNames.length || !isDeepStrictEqual([...deliveredNames].sort(), [...enqueued].sort())) {
          throw new Error(`every entry must be delivered exactly once: ${story()}`);
        }
        for (const d of delivered) {
          const i = enqueued.indexOf(d.name);
          if (!isDeepStrictEqual(d.contents, metas[i]) || d.data !== `body ${i}`) {
            throw new Error(
              `entry ${d.name} (enqueue #${i}) was delivered with ${JSON.stringify(d.contents)} / ${JSON.stringify(d.data)}, enqueued with ${JSON.stringify(metas[i])} / "body ${i}"; ${story()}`,
            );
          }
        }
        const leftQueued = await inspector.list('alpha');
        const leftCheckedOut = (await inspector.listCheckoutsUnsafe('alpha')).map((e) => e.name);
        if (leftQueued.length > 0 || leftCheckedOut.length > 0) {
          throw new Error(`entries left behind in alpha: queued ${leftQueued.join(', ') || 'none'}, checked out ${leftCheckedOut.join(', ') || 'none'}; ${story()}`);
        }
        const inBeta = await inspector.list('beta');
        const expectedInBeta = action === 'move' ? [...enqueued].sort() : [];
        if (!isDeepStrictEqual(inBeta, expectedInBeta)) {
          throw new Error(`beta holds ${inBeta.join(', ') || 'nothing'}, expected ${expectedInBeta.join(', ') || 'nothing'}; ${story()}`);
        }
        for (const name of inBeta) {
          const i = enqueued.indexOf(name);
          const saved = await inspector.direct.contents(inspector.entry('beta', name));
          const m = metas[i];
          if (m === undefined || !isDeepStrictEqual(saved, movedMetadata(m))) {
            throw new Error(`entry ${name} was saved into beta with ${JSON.stringify(saved)}, the reader saved ${JSON.stringify(m && movedMetadata(m))}; ${story()}`);
          }
        }
      },
    ) as unknown as fc.IAsyncProperty<never>,
};
