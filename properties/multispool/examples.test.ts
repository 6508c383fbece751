/**
 * Hand-broken layouts, one per Problem kind, and the error a reader of a spool gets for
 * unreadable metadata: fixed examples that pin what the random properties cover in bulk, and
 * a regression table (what a crash at each point of the original leaves, and what the Monitor
 * says of it).
 */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../impl/io/clock.ts';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import { writeWholeFile } from '../../impl/io/files.ts';
import { isSpoolError, Monitor, Multispool } from '../../impl/multispool/index.ts';
import { DEFAULT_LIMITS, emptySpool, fsck, sortProblems, type Problem } from '../../model/multispool/index.ts';
import type { MetadataFile, SpoolState } from '../../model/multispool/state.ts';
import { writeSpoolState } from './disk-state.ts';
import { DATA_MTIME_MS } from './broken-layouts.ts';
import { START_MS, TEST_QUEUES, TEST_SPOOLABLE, type TestMeta } from './test-spoolable.ts';

const NOW = START_MS + 3_600_000;
const OLD = NOW - 600_001;
const meta = (mtimeMs: number): MetadataFile<TestMeta> => ({ metadata: { label: 'new', rev: 0 }, mtimeMs });

/** A spool state built from a list of files: `.registry/n`, `.tmp/n`, `.data/n`, `alpha/n`, `alpha/.checkout/n`. */
function layout(files: ReadonlyArray<readonly [string, number]>): SpoolState<TestMeta, string> {
  const base = emptySpool<TestMeta, string>(TEST_QUEUES);
  const registry = new Map(base.registry);
  const tmp = new Map(base.tmp);
  const data = new Map(base.data);
  const queues = new Map([...base.queues].map(([q, s]) => [q, { queued: new Map(s.queued), checkedOut: new Map(s.checkedOut) }]));
  for (const [path, mtimeMs] of files) {
    const parts = path.split('/');
    const name = parts[parts.length - 1] as string;
    if (parts[0] === '.registry') registry.set(name, mtimeMs);
    else if (parts[0] === '.tmp') tmp.set(name, meta(mtimeMs));
    else if (parts[0] === '.data') data.set(name, 'body');
    else {
      const qs = queues.get(parts[0] as string);
      if (qs === undefined) throw new Error(`bad path ${path}`);
      (parts.length === 3 ? qs.checkedOut : qs.queued).set(name, meta(mtimeMs));
    }
  }
  return { registry, tmp, data, queues };
}

async function problemsOf(state: SpoolState<TestMeta, string>): Promise<Problem[]> {
  const clock = manualClock(NOW);
  const vfs = memfsVfs({ clock });
  await writeSpoolState(vfs, '/spool', state, TEST_SPOOLABLE, DATA_MTIME_MS);
  const monitor = await Monitor.open(vfs, '/spool', TEST_SPOOLABLE, { clock });
  return sortProblems((await monitor.runOnce()) as Problem[]);
}

const file = (name: string, mtimeMs: number): { name: string; mtimeMs: number } => ({ name, mtimeMs });

describe('the Monitor on hand-broken layouts (one per Problem kind)', () => {
  it.each<[string, ReadonlyArray<readonly [string, number]>, Problem[]]>([
    ['a complete entry: nothing', [['.registry/n1', NOW], ['.data/n1', 0], ['alpha/n1', NOW]], []],
    ['tooOld(tmp)', [['.registry/n1', NOW], ['.tmp/n1', OLD], ['alpha/n1', NOW], ['.data/n1', 0]], [
      { kind: 'tooOld', file: file('n1', OLD), location: { kind: 'tmp' } },
    ]],
    ['tooOld(checkout)', [['.registry/n1', NOW], ['.data/n1', 0], ['beta/.checkout/n1', OLD]], [
      { kind: 'tooOld', file: file('n1', OLD), location: { kind: 'checkout', queue: 'beta' } },
    ]],
    ['orphaned(registry)', [['.registry/n1', NOW]], [{ kind: 'orphaned', file: file('n1', NOW), location: { kind: 'registry' } }]],
    ['orphaned(data)', [['.data/n1', 0]], [{ kind: 'orphaned', file: file('n1', DATA_MTIME_MS), location: { kind: 'data' } }]],
    ['orphaned(queue) and missingData', [['alpha/n1', NOW]], [
      { kind: 'missingData', file: file('n1', NOW), location: { kind: 'queue', queue: 'alpha' } },
      { kind: 'orphaned', file: file('n1', NOW), location: { kind: 'queue', queue: 'alpha' } },
    ]],
    ['duplicated', [['.registry/n1', NOW], ['.data/n1', 0], ['alpha/n1', NOW], ['beta/.checkout/n1', NOW]], [
      { kind: 'duplicated', file: file('n1', NOW), locations: [{ kind: 'queue', queue: 'alpha' }, { kind: 'checkout', queue: 'beta' }] },
    ]],
    ['missingData (the original\'s blind spot: remove that unlinked data first)', [['.registry/n1', NOW], ['alpha/n1', NOW]], [
      { kind: 'missingData', file: file('n1', NOW), location: { kind: 'queue', queue: 'alpha' } },
    ]],
  ])('%s', async (_what, files, expected) => {
    const state = layout(files);
    const actual = await problemsOf(state);
    expect(actual).toEqual(sortProblems(expected));
    expect(sortProblems(fsck(state, DEFAULT_LIMITS, NOW, DATA_MTIME_MS))).toEqual(sortProblems(expected));
  });

  it('judges ages strictly: exactly at the limit is not too old', async () => {
    const atLimit = NOW - 600_000;
    expect(await problemsOf(layout([['.registry/n1', NOW], ['.data/n1', 0], ['alpha/.checkout/n1', atLimit]]))).toEqual([]);
  });
});

describe('unreadable metadata', () => {
  it('checkout of an entry whose metadata does not decode fails with kind corrupt, naming the file', async () => {
    const clock = manualClock(NOW);
    const vfs = memfsVfs({ clock });
    const spool = await Multispool.create(vfs, '/spool', TEST_SPOOLABLE, { clock });
    const entry = await spool.enqueue('alpha', { label: 'new', rev: 0 }, 'body', { reserve: { next: (a) => `n${a}` } });
    await writeWholeFile(vfs, '/spool/alpha/n0', new TextEncoder().encode('{not json'));
    const failure = await spool.checkout(entry).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSpoolError(failure, 'corrupt')).toBe(true);
    expect((failure as Error).message).toContain('/spool/alpha/.checkout/n0');
    await expect(spool.direct.contents(spool.entry('alpha', 'n0'))).rejects.toSatisfy((e: unknown) => isSpoolError(e, 'notFound'));
  });
});
