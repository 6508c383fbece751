/**
 * I/O failures: one Vfs call of an operation fails (EIO, ENOSPC, EACCES). The operation then
 * fails too, with a clear `io` SpoolError about the failing call's path whose cause is exactly the
 * Vfs's error (it is neither swallowed, nor mistaken for a protocol outcome such as `notFound`,
 * nor for a name clash); an operation whose calls all succeed succeeds. A failed `enqueue`
 * leaves nothing of the new entry behind (docs/multispool-protocol.md step 5), except the registry file when the
 * failure hit `reserve` itself.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import type { VfsErrorCode } from '../../impl/io/vfs.ts';
import { Monitor, Multispool, SpoolError, type CheckedOutEntry } from '../../impl/multispool/index.ts';
import type { PropertyDef, RunContext } from '../suite.ts';
import { clearErrorProblems, isInside } from './clear-errors.ts';
import { readSpoolState } from './disk-state.ts';
import { faultyVfs } from './faulty-vfs.ts';
import { quirksOf } from './model-vs-impl.ts';
import { candidateNames } from './side-by-side.ts';
import { metaArb } from './test-spool-arbitraries.ts';
import { START_MS, TEST_QUEUES, TEST_SPOOLABLE, type TestMeta, type TestQueue } from './test-spoolable.ts';
import { reversedReaddirVfs } from './unordered-vfs.ts';

/** The operations the property breaks. `held` is e0, checked out; `queued` is the last entry, in alpha. */
const OPERATIONS = [
  'enqueue',
  'enqueueUse',
  'reserve',
  'list',
  'stat',
  'directContents',
  'directSave',
  'directRemove',
  'tryCheckout',
  'checkout',
  'withEntry',
  'tryWithEntry',
  'save',
  'remove',
  'dataFileLoad',
  'dataFileStat',
  'listCheckoutsUnsafe',
  'dequeue',
  'dequeueAvailable',
  'iterAvailable',
  'fsck',
  'load',
  'monitorOpen',
] as const;

/** One operation of {@link OPERATIONS}. */
export type FaultedOperation = (typeof OPERATIONS)[number];

const S = '/spool';

/** I/O failures make the failing operation fail with a clear `io` error caused by exactly that failure. */
export const ioFaults: PropertyDef = {
  suite: 'multispool',
  requires: ['builtin'],
  name: 'io-faults',
  description:
    'one failing Vfs call (EIO, ENOSPC, EACCES) makes its operation fail with a clear io error caused by exactly that call; a failed enqueue leaves no trace',
  defaultRuns: 600,
  testRuns: 150,
  build: (ctx: RunContext) =>
    fc.asyncProperty(
      fc.array(metaArb, { minLength: 2, maxLength: 3 }),
      fc.constantFrom(...OPERATIONS),
      // Which call fails: often the very first (or one of the first few) of the operation.
      fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat({ max: 3 }) }, { weight: 2, arbitrary: fc.nat({ max: 24 }) }),
      fc.constantFrom<VfsErrorCode>('EIO', 'ENOSPC', 'EACCES'),
      async (metas, operation, failAt, code) => {
        const clock = manualClock(START_MS);
        const vfs = faultyVfs(reversedReaddirVfs(memfsVfs({ clock })));
        const options = { clock, ...quirksOf(ctx) };
        const spool = await Multispool.create(vfs, S, TEST_SPOOLABLE, options);
        const names: string[] = [];
        for (const [i, metadata] of metas.entries()) names.push((await spool.enqueue('alpha', metadata, `body ${i}`, { reserve: candidateNames([`e${i}`]) })).name);
        const held: CheckedOutEntry<TestQueue, TestMeta, string> = await spool.checkout(spool.entry('alpha', 'e0'));
        const queued = spool.entry('alpha', names[names.length - 1] as string);
        await spool.reserve(candidateNames(['u0']));
        const before = await readSpoolState(vfs, S, TEST_QUEUES, TEST_SPOOLABLE);
        const reader = spool.queueReader('alpha', { strictFifo: operation === 'dequeue' });

        const run = async (): Promise<unknown> => {
          switch (operation) {
            case 'enqueue':
              return spool.enqueue('beta', { label: 'new', rev: 0 }, 'fresh', { reserve: candidateNames(['f0']) });
            case 'enqueueUse':
              return spool.enqueue('beta', { label: 'new', rev: 0 }, 'fresh', { use: 'u0' });
            case 'reserve':
              return spool.reserve(candidateNames(['e0', 'r0']));
            case 'list':
              return spool.list('alpha');
            case 'stat':
              return spool.stat(queued);
            case 'directContents':
              return spool.direct.contents(queued);
            case 'directSave':
              return spool.direct.save(queued, { label: 'retry', rev: 1 });
            case 'directRemove':
              return spool.direct.remove(queued);
            case 'tryCheckout':
              return spool.tryCheckout(queued);
            case 'checkout':
              return spool.checkout(queued);
            case 'withEntry':
              return spool.withEntry(queued, async (contents, dataFile) => ({ action: { kind: 'save', metadata: contents, queue: 'beta' }, result: await dataFile.load() }));
            case 'tryWithEntry':
              return spool.tryWithEntry(queued, async (_contents, dataFile) => ({ action: { kind: 'remove' }, result: (await dataFile.stat()).size }));
            case 'save':
              return held.save('beta');
            case 'remove':
              return held.remove();
            case 'dataFileLoad':
              return held.dataFile.load();
            case 'dataFileStat':
              return held.dataFile.stat();
            case 'listCheckoutsUnsafe':
              return spool.listCheckoutsUnsafe('alpha');
            case 'dequeue':
            case 'dequeueAvailable':
            case 'iterAvailable': {
              if (operation === 'dequeue') return await reader.dequeue();
              if (operation === 'dequeueAvailable') return await reader.dequeueAvailable();
              return await reader.iterAvailable(async (contents) => ({ action: { kind: 'save', metadata: contents, queue: 'beta' }, result: contents }));
            }
            case 'fsck': {
              const monitor = await Monitor.open(vfs, S, TEST_SPOOLABLE, options);
              vfs.arm(failAt, code);
              return monitor.fsck(clock.now());
            }
            case 'load':
              return Multispool.load(vfs, S, TEST_SPOOLABLE, options);
            case 'monitorOpen':
              return Monitor.open(vfs, S, TEST_SPOOLABLE, options);
          }
        };

        const story = `${names.join(', ')} in alpha (e0 checked out, u0 reserved); ${operation} with call #${failAt} failing with ${code}`;
        let failure: unknown;
        vfs.arm(operation === 'fsck' ? 1_000_000 : failAt, code);
        try {
          await run();
        } catch (e) {
          failure = e;
        }
        const injected = vfs.disarm();
        try {
          if (injected === undefined) {
            if (failure !== undefined) throw new Error(`${operation} failed although no call failed: ${String(failure)}. ${story}`);
            return;
          }
          const at = `${story} (the failing call: ${injected.syscall} ${injected.path})`;
          if (!(failure instanceof SpoolError)) {
            throw new Error(failure === undefined ? `${operation} succeeded although a call failed. ${at}` : `${operation} threw a non-SpoolError: ${String(failure)}. ${at}`);
          }
          const unclear = clearErrorProblems(failure, S);
          if (unclear !== undefined) throw new Error(`${operation} threw an ${unclear}\n  ${at}`);
          if (failure.kind !== 'io' || failure.cause !== injected || failure.path !== injected.path) {
            throw new Error(
              `${operation} failed with ${failure.kind} about ${String(failure.path)} (cause ${String(failure.cause)}): expected io about ${injected.path}, caused by the failing call. ${at}`,
            );
          }
          if (operation === 'dequeue' && injected.syscall === 'watch') {
            // A reader whose watcher could not be made makes a new one next time.
            const retry = await reader.dequeue();
            if (retry.kind !== 'checkedOut') throw new Error(`after its failed watch, the reader's next dequeue gave ${retry.kind}. ${at}`);
          }
          if (operation === 'enqueue' || operation === 'enqueueUse') {
            const after = await readSpoolState(vfs, S, TEST_QUEUES, TEST_SPOOLABLE);
            const newNames = [...after.registry.keys()].filter((n) => !before.registry.has(n));
            const reserving = operation === 'enqueue' && isInside(injected.path, `${S}/.registry`);
            const leftovers =
              !isDeepStrictEqual(after.tmp, before.tmp) ||
              !isDeepStrictEqual(after.data, before.data) ||
              !isDeepStrictEqual(after.queues, before.queues) ||
              newNames.length > (reserving ? 1 : 0);
            if (leftovers) {
              throw new Error(
                `the failed enqueue left traces: registry ${[...after.registry.keys()].join(', ')}, .tmp ${[...after.tmp.keys()].join(', ') || '-'}, .data ${[...after.data.keys()].join(', ')}, beta ${[...(after.queues.get('beta')?.queued.keys() ?? [])].join(', ') || '-'}. ${at}`,
              );
            }
          }
        } finally {
          reader.close();
        }
      },
    ) as unknown as fc.IAsyncProperty<never>,
};
