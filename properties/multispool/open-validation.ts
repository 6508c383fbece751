/**
 * Opening a spool (`load`, `create`) on arbitrary directory trees: the implementation accepts
 * exactly the trees the model accepts, creates exactly the directories the model says, and
 * refuses the rest with the model's error kind and a message that names the offending path.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import { join, type Vfs } from '../../impl/io/vfs.ts';
import { isSpoolError, Multispool } from '../../impl/multispool/index.ts';
import { openSpool, type Tree } from '../../model/multispool/index.ts';
import type { PropertyDef, RunContext } from '../suite.ts';
import { quirksOf } from './model-vs-impl.ts';
import { TEST_QUEUES, TEST_SPOOLABLE } from './test-spoolable.ts';

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

/** Arbitrary tree at the spool path: missing, a file, or a directory with some spool parts. */
export const spoolTreeArb: fc.Arbitrary<Tree | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(FILE) },
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

/** Opening validation agrees with the model. */
export const openValidation: PropertyDef = {
  suite: 'multispool',
  name: 'open-validation',
  description: 'load/create accept exactly the directory trees the model accepts, create what it says, and name what is wrong',
  defaultRuns: 3000,
  testRuns: 150,
  build: (ctx: RunContext) =>
    fc.asyncProperty(spoolTreeArb, fc.boolean(), async (tree, createIfMissing) => {
      const vfs = memfsVfs();
      const S = '/srv/spool';
      await vfs.mkdir('/srv');
      if (tree !== undefined) await writeTree(vfs, S, tree);
      const expected = openSpool(tree, TEST_QUEUES, createIfMissing);
      const story = `tree before: ${renderTree(tree).join(' ')}; createIfMissing=${createIfMissing}; model: ${JSON.stringify(expected)}`;
      let outcome: { kind: 'ok' } | { kind: 'error'; error: string; message: string };
      try {
        await Multispool.load(vfs, S, TEST_SPOOLABLE, { createIfMissing, ...quirksOf(ctx) });
        outcome = { kind: 'ok' };
      } catch (e) {
        if (!isSpoolError(e)) throw e;
        outcome = { kind: 'error', error: e.kind, message: e.message };
      }
      if (expected.kind === 'error') {
        if (outcome.kind === 'ok') throw new Error(`load succeeded where the model refuses with ${expected.error}. ${story}`);
        if (outcome.error !== expected.error) throw new Error(`load failed with ${outcome.error}, the model says ${expected.error}. ${story}`);
        const named = expected.path === '' ? S : join(S, expected.path);
        if (!outcome.message.includes(named)) {
          throw new Error(`the error message does not name the offending path ${named}: "${outcome.message}". ${story}`);
        }
        return;
      }
      if (outcome.kind === 'error') throw new Error(`load failed with ${outcome.error} ("${outcome.message}") where the model accepts. ${story}`);
      const after = await readTree(vfs, S);
      const predicted = withCreated(tree, expected.created);
      if (!isDeepStrictEqual(after, predicted)) {
        throw new Error(`after load the tree is ${renderTree(after).join(' ')}, the model predicts ${renderTree(predicted).join(' ')}. ${story}`);
      }
    }) as unknown as fc.IAsyncProperty<never>,
};
