/**
 * Opening a spool (`load`, `create`) on arbitrary directory trees: the implementation accepts
 * exactly the trees the model accepts, creates exactly the directories the model says, and
 * refuses the rest with the model's error kind and a clear error whose path is the offending one
 * (and without creating anything when it may not). `Monitor.open` validates the same tree like a
 * `load` without `createIfMissing`, creates nothing, and fills in its default limits.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import { join, type Vfs } from '../../impl/io/vfs.ts';
import { DEFAULT_MONITOR_LIMITS, isSpoolError, Monitor, Multispool, type MonitorLimits } from '../../impl/multispool/index.ts';
import { openSpool, type OpenOutcome, type Tree } from '../../model/multispool/index.ts';
import type { PropertyDef, RunContext } from '../suite.ts';
import { clearErrorProblems } from './clear-errors.ts';
import { quirksOf } from './model-vs-impl.ts';
import { START_MS, TEST_QUEUES, TEST_SPOOLABLE, type TestQueue } from './test-spoolable.ts';

const FILE: Tree = { kind: 'file' };
const dir = (entries: Array<[string, Tree | undefined]>): Tree => ({
  kind: 'dir',
  entries: new Map(entries.filter((e): e is [string, Tree] => e[1] !== undefined)),
});

/** A node that is usually a directory, sometimes a file, sometimes absent. */
const slotArb = (inside: fc.Arbitrary<Array<[string, Tree | undefined]>>): fc.Arbitrary<Tree | undefined> =>
  fc.oneof(
    { weight: 6, arbitrary: inside.map(dir) },
    { weight: 1, arbitrary: fc.constant(FILE) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

const queueDirArb = slotArb(
  fc.tuple(
    slotArb(fc.constant([])).map((t): [string, Tree | undefined] => ['.checkout', t]),
    fc.option(fc.constant(FILE), { nil: undefined }).map((t): [string, Tree | undefined] => ['n0', t]),
  ),
);

/**
 * Arbitrary tree at the spool path: missing, a file, an empty directory, a directory holding only
 * someone else's file, or a directory with some spool parts.
 */
export const spoolTreeArb: fc.Arbitrary<Tree | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(FILE) },
  { weight: 1, arbitrary: fc.constant(dir([])) },
  { weight: 1, arbitrary: fc.constant(dir([['stray.txt', FILE]])) },
  {
    weight: 10,
    arbitrary: fc
      .tuple(
        slotArb(fc.constant([])),
        slotArb(fc.constant([])),
        slotArb(fc.constant([])),
        queueDirArb,
        queueDirArb,
        fc.option(fc.constant(FILE), { nil: undefined }),
      )
      .map(([registry, tmp, data, alpha, beta, stray]) =>
        dir([
          ['.registry', registry],
          ['.tmp', tmp],
          ['.data', data],
          ['alpha', alpha],
          ['beta', beta],
          ['stray.txt', stray],
        ]),
      ),
  },
);

/** Lays a tree out at `path` (which must not exist). */
export async function writeTree(vfs: Vfs, path: string, tree: Tree): Promise<void> {
  if (tree.kind === 'file') {
    await (await vfs.open(path, { write: true, create: true, exclusive: true })).close();
    return;
  }
  if (tree.kind === 'other') throw new Error(`cannot lay out a special file at ${path}`);
  await vfs.mkdir(path);
  for (const [name, child] of tree.entries) await writeTree(vfs, join(path, name), child);
}

/** Reads the tree at `path`, or `undefined` when nothing is there. */
export async function readTree(vfs: Vfs, path: string): Promise<Tree | undefined> {
  let kind: string;
  try {
    kind = (await vfs.stat(path)).kind;
  } catch {
    return undefined;
  }
  if (kind === 'file') return FILE;
  if (kind !== 'directory') return { kind: 'other' };
  const entries = new Map<string, Tree>();
  for (const name of (await vfs.readdir(path)).sort()) {
    const child = await readTree(vfs, join(path, name));
    if (child !== undefined) entries.set(name, child);
  }
  return { kind: 'dir', entries };
}

/** `tree` with empty directories added at the given relative paths ('' is the root itself). */
function withCreated(tree: Tree | undefined, created: readonly string[]): Tree | undefined {
  let result = tree;
  for (const path of created) {
    if (path === '') {
      result = dir([]);
      continue;
    }
    result = addDir(result, path.split('/'));
  }
  return result;
}

function addDir(tree: Tree | undefined, parts: readonly string[]): Tree {
  if (tree === undefined || tree.kind !== 'dir') throw new Error('harness bug: creating below a non-directory');
  const [head, ...rest] = parts;
  if (head === undefined) return tree;
  const entries = new Map(tree.entries);
  entries.set(head, rest.length === 0 ? dir([]) : addDir(entries.get(head), rest));
  return { kind: 'dir', entries };
}

/** Which directories of the spool, relative, in words. */
function renderTree(tree: Tree | undefined, prefix = ''): string[] {
  if (tree === undefined) return [`${prefix || '.'} (missing)`];
  if (tree.kind !== 'dir') return [`${prefix || '.'} (${tree.kind})`];
  const lines = [`${prefix || '.'}/`];
  for (const [name, child] of tree.entries) lines.push(...renderTree(child, prefix === '' ? name : `${prefix}/${name}`));
  return lines;
}

/** The spool directory the property opens; its parent is `/srv`. */
const S = '/srv/spool';

/** The Monitor's documented default limits: 10 minutes for `.tmp` and checkout files, no queue limit. */
const DOCUMENTED_DEFAULTS = { maxTmpFileAgeMs: 600_000, maxCheckedOutAgeMs: 600_000, maxQueueAgesMs: new Map() };

/** Some of the Monitor's limits, as a caller may give them (the rest take their defaults). */
const monitorLimitsArb: fc.Arbitrary<Partial<MonitorLimits<TestQueue>> | undefined> = fc.option(
  fc.record(
    {
      maxTmpFileAgeMs: fc.constantFrom(1_000, 60_000),
      maxCheckedOutAgeMs: fc.constantFrom(2_000, 120_000),
      maxQueueAgesMs: fc.constant<ReadonlyMap<TestQueue, number>>(new Map([['alpha', 300_000]])),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

/** What an opener did: succeeded, or failed with a (clear) SpoolError. */
type Opened = { readonly kind: 'ok' } | { readonly kind: 'error'; readonly error: string; readonly path: string | undefined; readonly message: string };

/** Runs `open`; a SpoolError must be a clear error (else this throws), anything else is rethrown. */
async function opening(open: () => Promise<unknown>, who: string, story: string): Promise<Opened> {
  try {
    await open();
    return { kind: 'ok' };
  } catch (e) {
    if (!isSpoolError(e)) throw e;
    const unclear = clearErrorProblems(e, S);
    if (unclear !== undefined) throw new Error(`${who} threw an ${unclear}\n  ${story}`);
    return { kind: 'error', error: e.kind, path: e.path, message: e.message };
  }
}

/** Throws unless `outcome` is the failure `expected` predicts: same kind, and the offending path as the error's path. */
function checkRefused(who: string, outcome: Opened, expected: Extract<OpenOutcome, { kind: 'error' }>, story: string): void {
  if (outcome.kind === 'ok') throw new Error(`${who} succeeded where the model refuses with ${expected.error}. ${story}`);
  if (outcome.error !== expected.error) throw new Error(`${who} failed with ${outcome.error} ("${outcome.message}"), the model says ${expected.error}. ${story}`);
  const named = expected.path === '' ? S : join(S, expected.path);
  if (outcome.path !== named) {
    throw new Error(`${who}'s ${outcome.error} error is about ${String(outcome.path)}, but the offending path is ${named}: "${outcome.message}". ${story}`);
  }
}

/** What listing the directory at relative `path` of `tree` (at S) gives: fine, or the error kind. */
function listingOutcome(tree: Tree | undefined, path: string): 'ok' | 'missing' | 'notADirectory' {
  let node = tree;
  for (const part of path.split('/')) {
    if (node === undefined) return 'missing';
    if (node.kind !== 'dir') return 'notADirectory';
    node = node.entries.get(part);
  }
  if (node === undefined) return 'missing';
  return node.kind === 'dir' ? 'ok' : 'notADirectory';
}

/**
 * `loadUnsafe` checks nothing; the operations then meet a damaged tree themselves: `list(alpha)`,
 * `listCheckoutsUnsafe(beta)` and a queue reader of alpha (whose first `dequeue` watches and lists
 * alpha) fail with `missing` or `notADirectory` about the directory they list, or succeed.
 */
async function checkUnsafeReads(vfs: Vfs, tree: Tree | undefined, story: string): Promise<void> {
  const spool = Multispool.loadUnsafe(vfs, S, TEST_SPOOLABLE);
  const reads: Array<[string, string, () => Promise<unknown>]> = [
    ['list(alpha)', 'alpha', () => spool.list('alpha')],
    ['listCheckoutsUnsafe(beta)', 'beta/.checkout', () => spool.listCheckoutsUnsafe('beta')],
  ];
  if (listingOutcome(tree, 'alpha') !== 'ok') {
    reads.push([
      'queueReader(alpha).dequeue()',
      'alpha',
      async () => {
        const reader = spool.queueReader('alpha');
        try {
          return await reader.dequeue();
        } finally {
          reader.close();
        }
      },
    ]);
  }
  for (const [what, path, read] of reads) {
    const expected = listingOutcome(tree, path);
    const outcome = await opening(read, `loadUnsafe then ${what}`, story);
    if (expected === 'ok') {
      if (outcome.kind === 'error') throw new Error(`loadUnsafe then ${what} failed with ${outcome.error} ("${outcome.message}"). ${story}`);
    } else {
      checkRefused(`loadUnsafe then ${what}`, outcome, { kind: 'error', error: expected, path }, story);
    }
  }
}

/** Opening validation agrees with the model. */
export const openValidation: PropertyDef = {
  suite: 'multispool',
  requires: ['builtin'],
  name: 'open-validation',
  description:
    'load/create accept exactly the directory trees the model accepts, create what it says, and name what is wrong; Monitor.open validates alike and creates nothing',
  defaultRuns: 1000,
  testRuns: 150,
  build: (ctx: RunContext) =>
    fc.asyncProperty(
      spoolTreeArb,
      fc.constantFrom<boolean | undefined>(true, false, undefined),
      fc.constantFrom<'exists' | 'missing' | 'file'>('exists', 'exists', 'exists', 'exists', 'missing', 'file'),
      monitorLimitsArb,
      async (tree, givenCreateIfMissing, parent, limits) => {
        // Not giving createIfMissing means false.
        const createIfMissing = givenCreateIfMissing ?? false;
        const loadOptions = { ...(givenCreateIfMissing === undefined ? {} : { createIfMissing: givenCreateIfMissing }), ...quirksOf(ctx) };
        if (parent !== 'exists') {
          // S's parent is missing (S cannot be created: `missing` of S) or a file (S is no directory: `notADirectory` of S).
          const vfs = memfsVfs();
          if (parent === 'file') await writeTree(vfs, '/srv', FILE);
          const story = `/srv ${parent === 'file' ? 'is a file' : 'does not exist'}; createIfMissing=${String(givenCreateIfMissing)}`;
          const refusal = { kind: 'error', error: parent === 'file' ? 'notADirectory' : 'missing', path: '' } as const;
          checkRefused('load', await opening(() => Multispool.load(vfs, S, TEST_SPOOLABLE, loadOptions), 'load', story), refusal, story);
          checkRefused('Monitor.open', await opening(() => Monitor.open(vfs, S, TEST_SPOOLABLE, quirksOf(ctx)), 'Monitor.open', story), refusal, story);
          if (!isDeepStrictEqual(await readTree(vfs, '/srv'), parent === 'file' ? FILE : undefined)) throw new Error(`load changed /srv. ${story}`);
          return;
        }
        const vfs = memfsVfs();
        await vfs.mkdir('/srv');
        if (tree !== undefined) await writeTree(vfs, S, tree);
        const expected = openSpool(tree, TEST_QUEUES, createIfMissing);
        const story = `tree before: ${renderTree(tree).join(' ')}; createIfMissing=${String(givenCreateIfMissing)}; model: ${JSON.stringify(expected)}`;
        const outcome = await opening(() => Multispool.load(vfs, S, TEST_SPOOLABLE, loadOptions), 'load', story);
        const after = await readTree(vfs, S);
        if (expected.kind === 'error') {
          checkRefused('load', outcome, expected, story);
          if ((!createIfMissing || expected.path === '') && !isDeepStrictEqual(after, tree)) {
            throw new Error(`load failed as it should, but changed the tree to ${renderTree(after).join(' ')} (it may create nothing here). ${story}`);
          }
        } else {
          if (outcome.kind === 'error') throw new Error(`load failed with ${outcome.error} ("${outcome.message}") where the model accepts. ${story}`);
          const predicted = withCreated(tree, expected.created);
          if (!isDeepStrictEqual(after, predicted)) {
            throw new Error(`after load the tree is ${renderTree(after).join(' ')}, the model predicts ${renderTree(predicted).join(' ')}. ${story}`);
          }
        }

        // The Monitor, on a fresh copy of the same tree.
        const monitorVfs = memfsVfs();
        await monitorVfs.mkdir('/srv');
        if (tree !== undefined) await writeTree(monitorVfs, S, tree);
        const forMonitor = openSpool(tree, TEST_QUEUES, false);
        const clock = manualClock(START_MS);
        const monitorStory = `${story}; Monitor.open with limits ${limits === undefined ? 'none' : JSON.stringify({ ...limits, maxQueueAgesMs: limits.maxQueueAgesMs && [...limits.maxQueueAgesMs] })}; model (without createIfMissing): ${JSON.stringify(forMonitor)}`;
        let monitor: Monitor<TestQueue, unknown, unknown> | undefined;
        const opened = await opening(
          async () => {
            monitor = await Monitor.open(monitorVfs, S, TEST_SPOOLABLE, { clock, ...(limits === undefined ? {} : { limits }), ...quirksOf(ctx) });
          },
          'Monitor.open',
          monitorStory,
        );
        if (!isDeepStrictEqual(await readTree(monitorVfs, S), tree)) {
          throw new Error(`Monitor.open changed the tree to ${renderTree(await readTree(monitorVfs, S)).join(' ')}; it may create nothing. ${monitorStory}`);
        }
        await checkUnsafeReads(monitorVfs, tree, story);
        if (forMonitor.kind === 'error') {
          checkRefused('Monitor.open', opened, forMonitor, monitorStory);
          return;
        }
        if (opened.kind === 'error' || monitor === undefined) throw new Error(`Monitor.open failed where the model accepts. ${monitorStory}`);
        const inForce = {
          maxTmpFileAgeMs: limits?.maxTmpFileAgeMs ?? DOCUMENTED_DEFAULTS.maxTmpFileAgeMs,
          maxCheckedOutAgeMs: limits?.maxCheckedOutAgeMs ?? DOCUMENTED_DEFAULTS.maxCheckedOutAgeMs,
          maxQueueAgesMs: limits?.maxQueueAgesMs ?? DOCUMENTED_DEFAULTS.maxQueueAgesMs,
        };
        if (!isDeepStrictEqual(monitor.limits, inForce) || !isDeepStrictEqual(DEFAULT_MONITOR_LIMITS, DOCUMENTED_DEFAULTS)) {
          throw new Error(`the Monitor's limits are ${JSON.stringify({ ...monitor.limits, maxQueueAgesMs: [...monitor.limits.maxQueueAgesMs] })}, expected ${JSON.stringify({ ...inForce, maxQueueAgesMs: [...inForce.maxQueueAgesMs] })}. ${monitorStory}`);
        }
        const once = await monitor.runOnce();
        const atNow = await monitor.fsck(clock.now());
        if (!isDeepStrictEqual(once, atNow)) {
          throw new Error(`runOnce() reported ${JSON.stringify(once)}, fsck(clock.now()) ${JSON.stringify(atNow)}. ${monitorStory}`);
        }
      },
    ) as unknown as fc.IAsyncProperty<never>,
};
