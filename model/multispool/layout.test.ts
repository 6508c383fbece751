import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openSpool, spoolPaths, type Tree } from './layout.ts';

const file: Tree = { kind: 'file' };
const other: Tree = { kind: 'other' };
const dir = (entries: Record<string, Tree> = {}): Tree => ({ kind: 'dir', entries: new Map(Object.entries(entries)) });
const QUEUES = ['alpha', 'beta'];

/** A complete spool of QUEUES, with `overrides` replacing or adding top-level entries. */
const spool = (overrides: Record<string, Tree | undefined> = {}): Tree => {
  const entries: Record<string, Tree | undefined> = {
    '.registry': dir(),
    '.tmp': dir(),
    '.data': dir(),
    alpha: dir({ '.checkout': dir() }),
    beta: dir({ '.checkout': dir() }),
    ...overrides,
  };
  return dir(Object.fromEntries(Object.entries(entries).filter((e): e is [string, Tree] => e[1] !== undefined)));
};

describe('openSpool', () => {
  it('lists the checked paths in protocol order', () => {
    expect(spoolPaths(QUEUES)).toEqual(['.registry', '.tmp', '.data', 'alpha', 'alpha/.checkout', 'beta', 'beta/.checkout']);
  });

  it('a missing S: created with everything when asked, else missing', () => {
    expect(openSpool(undefined, QUEUES, true)).toEqual({ kind: 'ok', created: ['', ...spoolPaths(QUEUES)] });
    expect(openSpool(undefined, QUEUES, false)).toEqual({ kind: 'error', error: 'missing', path: '' });
  });

  it('S that is not a directory: notADirectory', () => {
    expect(openSpool(file, QUEUES, true)).toEqual({ kind: 'error', error: 'notADirectory', path: '' });
    expect(openSpool(other, QUEUES, false)).toEqual({ kind: 'error', error: 'notADirectory', path: '' });
  });

  it('an empty directory: created when asked, else missing .registry', () => {
    expect(openSpool(dir(), QUEUES, true)).toEqual({ kind: 'ok', created: spoolPaths(QUEUES) });
    expect(openSpool(dir(), QUEUES, false)).toEqual({ kind: 'error', error: 'missing', path: '.registry' });
  });

  it('a non-empty directory that does not look like a spool: notEmpty, even when asked to create', () => {
    expect(openSpool(dir({ 'notes.txt': file }), QUEUES, true)).toEqual({ kind: 'error', error: 'notEmpty', path: '' });
    // .tmp as a file: does not look like a spool.
    expect(openSpool(dir({ '.registry': dir(), '.tmp': file }), QUEUES, true)).toEqual({ kind: 'error', error: 'notEmpty', path: '' });
  });

  it('a complete spool: nothing created, extra names ignored', () => {
    expect(openSpool(spool({ extra: file }), QUEUES, false)).toEqual({ kind: 'ok', created: [] });
  });

  it('a spool missing pieces: they are created in order, or the first is missing', () => {
    const partial = spool({ '.data': undefined, beta: undefined, alpha: dir() });
    expect(openSpool(partial, QUEUES, true)).toEqual({ kind: 'ok', created: ['.data', 'alpha/.checkout', 'beta', 'beta/.checkout'] });
    expect(openSpool(partial, QUEUES, false)).toEqual({ kind: 'error', error: 'missing', path: '.data' });
    expect(openSpool(spool({ alpha: dir() }), QUEUES, false)).toEqual({ kind: 'error', error: 'missing', path: 'alpha/.checkout' });
  });

  it('a piece that is not a directory: notADirectory at its path', () => {
    expect(openSpool(spool({ '.data': file }), QUEUES, true)).toEqual({ kind: 'error', error: 'notADirectory', path: '.data' });
    expect(openSpool(spool({ beta: file }), QUEUES, true)).toEqual({ kind: 'error', error: 'notADirectory', path: 'beta' });
    expect(openSpool(spool({ alpha: dir({ '.checkout': other }) }), QUEUES, true)).toEqual({
      kind: 'error',
      error: 'notADirectory',
      path: 'alpha/.checkout',
    });
  });

  it('reports the first error in check order', () => {
    // .data missing comes before beta being a file; without createIfMissing .data is reported.
    const tree = spool({ '.data': undefined, beta: file });
    expect(openSpool(tree, QUEUES, false)).toEqual({ kind: 'error', error: 'missing', path: '.data' });
    expect(openSpool(tree, QUEUES, true)).toEqual({ kind: 'error', error: 'notADirectory', path: 'beta' });
  });
});

describe('property: create then load', () => {
  /** `tree` with the directories at `paths` added (parents first, as `created` lists them). */
  function withDirs(tree: Tree | undefined, paths: readonly string[]): Tree {
    let root: Tree = tree ?? dir();
    for (const path of paths.filter((p) => p !== '')) {
      const add = (node: Tree, parts: string[]): Tree => {
        if (node.kind !== 'dir') throw new Error('created a path under a non-directory');
        const [head, ...rest] = parts as [string, ...string[]];
        const child = node.entries.get(head);
        const next = rest.length === 0 ? dir() : add(child ?? dir(), rest);
        return { kind: 'dir', entries: new Map(node.entries).set(head, next) };
      };
      root = add(root, path.split('/'));
    }
    return root;
  }

  const nodeArb = fc.constantFrom<Tree | undefined>(undefined, dir(), file, dir({ '.checkout': dir() }), dir({ '.checkout': file }));
  const treeArb = fc.option(
    fc.record({ '.registry': nodeArb, '.tmp': nodeArb, '.data': nodeArb, alpha: nodeArb, beta: nodeArb }).map((r) =>
      dir(Object.fromEntries(Object.entries(r).filter((e): e is [string, Tree] => e[1] !== undefined))),
    ),
    { nil: undefined },
  );

  it('whatever create made, a plain load of the result succeeds and creates nothing', () => {
    fc.assert(
      fc.property(treeArb, (tree) => {
        const opened = openSpool(tree, QUEUES, true);
        if (opened.kind === 'error') {
          expect(openSpool(tree, QUEUES, false).kind).toBe('error');
          return;
        }
        expect(openSpool(withDirs(tree, opened.created), QUEUES, false)).toEqual({ kind: 'ok', created: [] });
      }),
      { numRuns: 100 },
    );
  });
});
