/**
 * Arbitrary spool states that API use could never produce: orphans in every directory, names
 * in two places, entries without data, files of every age around the Monitor's limits. They
 * are laid out on disk with `writeSpoolState` and shown to the Monitor.
 */
import fc from 'fast-check';
import type { Limits } from '../../model/multispool/index.ts';
import type { MetadataFile, QueueState, SpoolState } from '../../model/multispool/state.ts';
import { dataArb, metaArb } from './test-spool-arbitraries.ts';
import { TEST_QUEUES, type TestMeta } from './test-spoolable.ts';

/** The mtime of every data file the layouts write. */
export const DATA_MTIME_MS = 1_600_000_000_000;

/**
 * The names broken layouts use. The last, `.checkout`, is a stray file no API call makes; it can
 * sit anywhere but in a queue directory (where `.checkout` is the checkout directory itself), and
 * the Monitor must report it like any other file.
 */
const NAMES = ['n0', 'n1', 'n2', 'n3', 'n4', '.checkout'] as const;

/** The four places an entry's metadata can sit. */
const PLACES = TEST_QUEUES.flatMap((q) => [`${q}`, `${q}/.checkout`]);

/** The places a file named `.checkout` can sit: the checkout directories. */
const CHECKOUT_PLACES = TEST_QUEUES.map((q) => `${q}/.checkout`);

/** Limits a Monitor may be given: the defaults, shorter ones, and a queue age limit. */
export const limitsArb: fc.Arbitrary<Limits> = fc.record({
  maxTmpFileAgeMs: fc.constantFrom(600_000, 60_000),
  maxCheckedOutAgeMs: fc.constantFrom(600_000, 120_000),
  maxQueueAgesMs: fc.constantFrom<ReadonlyMap<string, number>>(new Map(), new Map([['alpha', 300_000]])),
});

/** Mtimes close to every limit boundary (relative to `now`), and some plainly young or old. */
function mtimeArb(now: number): fc.Arbitrary<number> {
  const offsets = [0, 10, 60_000, 60_001, 120_000, 120_001, 300_000, 300_001, 600_000, 600_001, 599_999, 5_000_000];
  return fc.constantFrom(...offsets.map((o) => now - o));
}

/** One name's files: registry, tmp, data, and the places its metadata sits. */
interface NameFiles {
  readonly registry: number | undefined;
  readonly tmp: MetadataFile<TestMeta> | undefined;
  readonly data: string | undefined;
  readonly places: ReadonlyArray<readonly [string, MetadataFile<TestMeta>]>;
}

/**
 * One name's files. (fast-check's `freq` is the inverse probability of `nil`: a registry or data
 * file is missing one time in four, a `.tmp` file one time in two.)
 */
function nameFilesArb(now: number, places: readonly string[]): fc.Arbitrary<NameFiles> {
  const file = fc.record({ metadata: metaArb, mtimeMs: mtimeArb(now) });
  return fc.record({
    registry: fc.option(mtimeArb(now), { nil: undefined, freq: 4 }),
    tmp: fc.option(file, { nil: undefined, freq: 2 }),
    data: fc.option(dataArb, { nil: undefined, freq: 4 }),
    places: fc.uniqueArray(fc.tuple(fc.constantFrom(...places), file), { maxLength: 2, selector: (p) => p[0] }),
  });
}

/** Arbitrary (usually broken) spool state, with files aged around `now`. */
export function brokenStateArb(now: number): fc.Arbitrary<SpoolState<TestMeta, string>> {
  return fc.tuple(...NAMES.map((name) => nameFilesArb(now, name === '.checkout' ? CHECKOUT_PLACES : PLACES))).map((perName) => {
    const registry = new Map<string, number>();
    const tmp = new Map<string, MetadataFile<TestMeta>>();
    const data = new Map<string, string>();
    const queues = new Map<string, { queued: Map<string, MetadataFile<TestMeta>>; checkedOut: Map<string, MetadataFile<TestMeta>> }>(
      TEST_QUEUES.map((q) => [q, { queued: new Map(), checkedOut: new Map() }]),
    );
    perName.forEach((files, i) => {
      const name = NAMES[i] as string;
      if (files.registry !== undefined) registry.set(name, files.registry);
      if (files.tmp !== undefined) tmp.set(name, files.tmp);
      if (files.data !== undefined) data.set(name, files.data);
      for (const [place, file] of files.places) {
        const [q, sub] = place.split('/');
        const qs = queues.get(q as string);
        if (qs === undefined) throw new Error(`harness bug: unknown place ${place}`);
        (sub === undefined ? qs.queued : qs.checkedOut).set(name, file);
      }
    });
    return { registry, tmp, data, queues: queues as ReadonlyMap<string, QueueState<TestMeta>> };
  });
}
