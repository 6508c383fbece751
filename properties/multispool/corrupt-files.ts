/**
 * Bytes the codecs cannot decode (a torn or foreign file: invalid UTF-8, or text that is no
 * JSON) in a queue file, a checkout file or a data file: every operation that reads the file
 * fails with a clear `corrupt` error about exactly that file (its path, the codec's error as the
 * cause), and nothing is lost on the way (an entry whose checkout read fails stays checked out;
 * the other entries are untouched and still readable).
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { readWholeFile, writeWholeFile } from '../../impl/io/files.ts';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import { Multispool, SpoolError, type Entry } from '../../impl/multispool/index.ts';
import type { PropertyDef, RunContext } from '../suite.ts';
import { candidateNames } from './side-by-side.ts';
import { clearErrorProblems } from './clear-errors.ts';
import { quirksOf } from './model-vs-impl.ts';
import { metaArb } from './test-spool-arbitraries.ts';
import { START_MS, TEST_SPOOLABLE, type TestMeta, type TestQueue } from './test-spoolable.ts';
import { reversedReaddirVfs } from './unordered-vfs.ts';

/** Which file of the victim entry is overwritten, and which operation then reads it. */
export type Corruption =
  | { readonly file: 'queue'; readonly read: 'directContents' | 'tryCheckout' | 'checkout' | 'withEntry' | 'tryWithEntry' | 'dequeueAvailable' | 'iterAvailable' }
  | { readonly file: 'checkout'; readonly read: 'listCheckoutsUnsafe' }
  | { readonly file: 'data'; readonly read: 'dataFile.load' | 'withEntry' };

const corruptionArb: fc.Arbitrary<Corruption> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      file: fc.constant('queue' as const),
      read: fc.constantFrom('directContents' as const, 'tryCheckout' as const, 'checkout' as const, 'withEntry' as const, 'tryWithEntry' as const, 'dequeueAvailable' as const, 'iterAvailable' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ file: fc.constant('checkout' as const), read: fc.constant('listCheckoutsUnsafe' as const) }) },
  { weight: 2, arbitrary: fc.record({ file: fc.constant('data' as const), read: fc.constantFrom('dataFile.load' as const, 'withEntry' as const) }) },
);

/** Bytes no UTF-8 decoder in fatal mode accepts. */
const INVALID_UTF8: readonly (readonly number[])[] = [[0xff], [0xc3, 0x28], [0xe2, 0x82], [0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]];

/** Bytes the JSON metadata codec rejects: invalid UTF-8, or UTF-8 text that is no JSON (a torn write). */
const badMetadataArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constantFrom(...INVALID_UTF8).map((b) => Uint8Array.from(b)),
  fc.constantFrom('', '{"label":"new","rev"', 'not json', '{"label"').map((t) => new TextEncoder().encode(t)),
);

/** Bytes the text data codec rejects: invalid UTF-8 only (any valid UTF-8 is some text). */
const badDataArb: fc.Arbitrary<Uint8Array> = fc.constantFrom(...INVALID_UTF8).map((b) => Uint8Array.from(b));

/** Corrupt files are reported as clear `corrupt` errors about exactly that file, and nothing is lost. */
export const corruptFiles: PropertyDef = {
  suite: 'multispool',
  requires: ['builtin'],
  name: 'corrupt-files',
  description:
    'undecodable bytes in a queue, checkout or data file: every read of it fails with a clear corrupt error naming exactly that file, and no entry is lost',
  defaultRuns: 500,
  testRuns: 100,
  build: (ctx: RunContext) =>
    fc.asyncProperty(
      fc.array(metaArb, { minLength: 1, maxLength: 4 }),
      fc.nat(),
      corruptionArb,
      badMetadataArb,
      badDataArb,
      async (metas, victimIndex, corruption, badMetadata, badData) => {
        const clock = manualClock(START_MS);
        const vfs = reversedReaddirVfs(memfsVfs({ clock }));
        const S = '/spool';
        const spool = await Multispool.create(vfs, S, TEST_SPOOLABLE, { clock, ...quirksOf(ctx) });
        const entries: Entry<TestQueue>[] = [];
        for (const [i, metadata] of metas.entries()) entries.push(await spool.enqueue('alpha', metadata, `body ${i}`, { reserve: candidateNames([`e${i}`]) }));
        const v = victimIndex % entries.length;
        const victim = entries[v] as Entry<TestQueue>;
        const story = `${metas.length} entr(y/ies) e0..e${metas.length - 1} in alpha; victim ${victim.name}'s ${corruption.file} file overwritten, then ${corruption.read}`;

        let path: string;
        if (corruption.file === 'checkout') {
          await spool.checkout(victim);
          path = spool.layout.checkoutFile('alpha', victim.name);
        } else {
          path = corruption.file === 'queue' ? spool.layout.queueFile('alpha', victim.name) : spool.layout.dataFile(victim.name);
        }
        await writeWholeFile(vfs, path, corruption.file === 'data' ? badData : badMetadata);

        const handler = async (contents: TestMeta, dataFile: { load(): Promise<string> }): Promise<{ action: { kind: 'remove' }; result: string }> => {
          await dataFile.load();
          return { action: { kind: 'remove' }, result: JSON.stringify(contents) };
        };
        let outcome: unknown;
        let failure: unknown;
        try {
          switch (corruption.read) {
            case 'directContents':
              outcome = await spool.direct.contents(victim);
              break;
            case 'tryCheckout':
              outcome = await spool.tryCheckout(victim);
              break;
            case 'checkout':
              outcome = await spool.checkout(victim);
              break;
            case 'withEntry':
              outcome = await spool.withEntry(victim, handler);
              break;
            case 'tryWithEntry':
              outcome = await spool.tryWithEntry(victim, handler);
              break;
            case 'dequeueAvailable': {
              // Readers take names in order: first check out the entries before the victim.
              for (const e of entries.slice(0, v)) await spool.checkout(e);
              const reader = spool.queueReader('alpha');
              try {
                outcome = await reader.dequeueAvailable();
              } finally {
                reader.close();
              }
              break;
            }
            case 'iterAvailable': {
              const reader = spool.queueReader('alpha');
              try {
                outcome = await reader.iterAvailable(async (contents) => ({ action: { kind: 'save', metadata: contents, queue: 'beta' }, result: contents }));
              } finally {
                reader.close();
              }
              break;
            }
            case 'listCheckoutsUnsafe':
              outcome = (await spool.listCheckoutsUnsafe('alpha')).map((e) => e.name);
              break;
            case 'dataFile.load': {
              const held = await spool.checkout(victim);
              outcome = await held.dataFile.load();
              break;
            }
          }
        } catch (e) {
          failure = e;
        }
        if (!(failure instanceof SpoolError)) {
          if (failure !== undefined) throw failure;
          throw new Error(`${corruption.read} read the corrupt ${path} without an error (it gave ${JSON.stringify(outcome)}). ${story}`);
        }
        const unclear = clearErrorProblems(failure, S);
        if (unclear !== undefined) throw new Error(`${corruption.read} threw an ${unclear}\n  ${story}`);
        // Where the victim is now: a read that checks the entry out first moves the corrupt file to `.checkout`.
        const victimAt = corruption.read === 'directContents' ? spool.layout.queueFile('alpha', victim.name) : spool.layout.checkoutFile('alpha', victim.name);
        const about = corruption.file === 'data' ? path : victimAt;
        if (failure.kind !== 'corrupt' || failure.path !== about) {
          throw new Error(`${corruption.read} failed with ${failure.kind} about ${String(failure.path)}, expected corrupt about ${about}: "${failure.message}". ${story}`);
        }
        if (!(failure.cause instanceof Error)) throw new Error(`the corrupt error does not keep the codec's error as its cause (${String(failure.cause)}). ${story}`);

        // Nothing is lost: the victim is where the failed read left it (a read after a checkout
        // leaves it checked out), with its bytes untouched; every other entry is in one place,
        // readable, with its metadata and data as enqueued.
        const left = await readWholeFile(vfs, victimAt).catch(() => undefined);
        const written = corruption.file === 'data' ? badData : badMetadata;
        if (corruption.file !== 'data' && (left === undefined || !isDeepStrictEqual([...left], [...written]))) {
          throw new Error(`after the failed read the victim's corrupt file is not (unchanged) at ${victimAt}. ${story}`);
        }
        if (corruption.file === 'data' && left === undefined) throw new Error(`after the failed read the victim is not checked out at ${victimAt}. ${story}`);
        await spool.stat(victim);
        for (const [i, e] of entries.entries()) {
          if (i === v) continue;
          const places = [spool.layout.queueFile('alpha', e.name), spool.layout.checkoutFile('alpha', e.name), spool.layout.queueFile('beta', e.name)];
          const found: TestMeta[] = [];
          for (const place of places) {
            const bytes = await readWholeFile(vfs, place).catch(() => undefined);
            if (bytes !== undefined) found.push(TEST_SPOOLABLE.metadata.decode(bytes));
          }
          const data = TEST_SPOOLABLE.data.decode(await readWholeFile(vfs, spool.layout.dataFile(e.name)));
          if (found.length !== 1 || !isDeepStrictEqual(found[0], metas[i]) || data !== `body ${i}`) {
            throw new Error(`entry ${e.name} is not intact: metadata ${JSON.stringify(found)} in ${found.length} place(s), data ${JSON.stringify(data)}. ${story}`);
          }
        }
      },
    ) as unknown as fc.IAsyncProperty<never>,
};
