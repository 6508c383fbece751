import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, fsck, problemKey, sortProblems, type Limits, type Problem } from './fsck.ts';
import { checkInvariants } from './invariants.ts';
import type { SpoolState } from './state.ts';

type Files = Record<string, number>;

/** A spool of queues alpha and beta from name → mtime records; data holds names only. */
function spoolOf(parts: {
  registry?: Files;
  tmp?: Files;
  data?: string[];
  alpha?: Files;
  alphaCheckout?: Files;
  beta?: Files;
  betaCheckout?: Files;
}): SpoolState<string, string> {
  const files = (r: Files | undefined) => new Map(Object.entries(r ?? {}).map(([n, t]) => [n, { metadata: 'm', mtimeMs: t }] as const));
  return {
    registry: new Map(Object.entries(parts.registry ?? {})),
    tmp: files(parts.tmp),
    data: new Map((parts.data ?? []).map((n) => [n, 'd'] as const)),
    queues: new Map([
      ['alpha', { queued: files(parts.alpha), checkedOut: files(parts.alphaCheckout) }],
      ['beta', { queued: files(parts.beta), checkedOut: files(parts.betaCheckout) }],
    ]),
  };
}

const limits = (overrides: Partial<Limits> = {}): Limits => ({ ...DEFAULT_LIMITS, ...overrides });

describe('fsck', () => {
  it('a healthy spool has no problems', () => {
    const s = spoolOf({ registry: { a: 1, b: 1 }, data: ['a', 'b'], alpha: { a: 1 }, betaCheckout: { b: 1 } });
    expect(fsck(s, DEFAULT_LIMITS, 2)).toEqual([]);
  });

  it('tooOld in .tmp and checkout: strictly older than the limit', () => {
    const s = spoolOf({ registry: { t: 0, c: 0 }, tmp: { t: 0 }, alpha: { t: 0 }, data: ['t', 'c'], alphaCheckout: { c: 0 } });
    const l = limits({ maxTmpFileAgeMs: 100, maxCheckedOutAgeMs: 200 });
    expect(fsck(s, l, 100)).toEqual([]);
    expect(fsck(s, l, 101)).toEqual([{ kind: 'tooOld', file: { name: 't', mtimeMs: 0 }, location: { kind: 'tmp' } }]);
    expect(fsck(s, l, 200)).toEqual([{ kind: 'tooOld', file: { name: 't', mtimeMs: 0 }, location: { kind: 'tmp' } }]);
    expect(fsck(s, l, 201)).toEqual([
      { kind: 'tooOld', file: { name: 't', mtimeMs: 0 }, location: { kind: 'tmp' } },
      { kind: 'tooOld', file: { name: 'c', mtimeMs: 0 }, location: { kind: 'checkout', queue: 'alpha' } },
    ]);
  });

  it('tooOld in a queue only for queues with a limit', () => {
    const s = spoolOf({ registry: { a: 0, b: 0 }, data: ['a', 'b'], alpha: { a: 0 }, beta: { b: 0 } });
    expect(fsck(s, DEFAULT_LIMITS, 10_000_000)).toEqual([]);
    const l = limits({ maxQueueAgesMs: new Map([['beta', 50]]) });
    expect(fsck(s, l, 50)).toEqual([]);
    expect(fsck(s, l, 51)).toEqual([{ kind: 'tooOld', file: { name: 'b', mtimeMs: 0 }, location: { kind: 'queue', queue: 'beta' } }]);
  });

  it('orphaned: files whose name is not in the registry, in every directory', () => {
    const s = spoolOf({ tmp: { t: 3 }, data: ['d'], alpha: { q: 4 }, betaCheckout: { c: 5 } });
    expect(sortProblems(fsck(s, DEFAULT_LIMITS, 10, 77))).toEqual(
      sortProblems([
        { kind: 'orphaned', file: { name: 't', mtimeMs: 3 }, location: { kind: 'tmp' } },
        { kind: 'orphaned', file: { name: 'd', mtimeMs: 77 }, location: { kind: 'data' } },
        { kind: 'orphaned', file: { name: 'q', mtimeMs: 4 }, location: { kind: 'queue', queue: 'alpha' } },
        { kind: 'missingData', file: { name: 'q', mtimeMs: 4 }, location: { kind: 'queue', queue: 'alpha' } },
        { kind: 'orphaned', file: { name: 'c', mtimeMs: 5 }, location: { kind: 'checkout', queue: 'beta' } },
        { kind: 'missingData', file: { name: 'c', mtimeMs: 5 }, location: { kind: 'checkout', queue: 'beta' } },
      ]),
    );
  });

  it('orphaned registry: a registry name in no queue or checkout (.tmp and .data do not count)', () => {
    const s = spoolOf({ registry: { r: 6 }, tmp: { r: 6 }, data: ['r'] });
    expect(fsck(s, DEFAULT_LIMITS, 7)).toEqual([{ kind: 'orphaned', file: { name: 'r', mtimeMs: 6 }, location: { kind: 'registry' } }]);
  });

  it('duplicated: locations ordered queue then checkout, queue by queue', () => {
    const s = spoolOf({ registry: { x: 2 }, data: ['x'], alphaCheckout: { x: 1 }, beta: { x: 1 }, alpha: { x: 1 } });
    expect(fsck(s, DEFAULT_LIMITS, 3)).toEqual([
      {
        kind: 'duplicated',
        file: { name: 'x', mtimeMs: 2 },
        locations: [
          { kind: 'queue', queue: 'alpha' },
          { kind: 'checkout', queue: 'alpha' },
          { kind: 'queue', queue: 'beta' },
        ],
      },
    ]);
  });

  it('missingData: a queue or checkout file without its data file', () => {
    const s = spoolOf({ registry: { a: 1, b: 1 }, alpha: { a: 1 }, alphaCheckout: { b: 2 } });
    expect(fsck(s, DEFAULT_LIMITS, 3)).toEqual([
      { kind: 'missingData', file: { name: 'a', mtimeMs: 1 }, location: { kind: 'queue', queue: 'alpha' } },
      { kind: 'missingData', file: { name: 'b', mtimeMs: 2 }, location: { kind: 'checkout', queue: 'alpha' } },
    ]);
  });
});

describe('problemKey and sortProblems', () => {
  const p = (mtimeMs: number, kind: 'tmp' | 'data'): Problem => ({ kind: 'orphaned', file: { name: 'n', mtimeMs }, location: { kind } });

  it('the key includes the mtime, except for problems located in .data', () => {
    expect(problemKey(p(1, 'tmp'))).not.toBe(problemKey(p(2, 'tmp')));
    expect(problemKey(p(1, 'data'))).toBe(problemKey(p(2, 'data')));
    expect(problemKey(p(1, 'tmp'))).not.toBe(problemKey(p(1, 'data')));
  });

  it('the key tells kinds, queues and location lists apart', () => {
    const file = { name: 'n', mtimeMs: 1 };
    const keys = new Set(
      [
        { kind: 'tooOld', file, location: { kind: 'queue', queue: 'alpha' } },
        { kind: 'orphaned', file, location: { kind: 'queue', queue: 'alpha' } },
        { kind: 'orphaned', file, location: { kind: 'checkout', queue: 'alpha' } },
        { kind: 'orphaned', file, location: { kind: 'queue', queue: 'beta' } },
        { kind: 'duplicated', file, locations: [{ kind: 'queue', queue: 'alpha' }, { kind: 'queue', queue: 'beta' }] },
        { kind: 'duplicated', file, locations: [{ kind: 'queue', queue: 'alpha' }, { kind: 'checkout', queue: 'beta' }] },
      ].map((x) => problemKey(x as Problem)),
    );
    expect(keys.size).toBe(6);
  });

  it('sortProblems is a canonical order and does not change its input', () => {
    const input = [p(2, 'tmp'), p(1, 'data'), p(1, 'tmp')];
    const copy = [...input];
    const sorted = sortProblems(input);
    expect(input).toEqual(copy);
    expect(sortProblems([...input].reverse())).toEqual(sorted);
    expect(sorted).toHaveLength(3);
  });
});

describe('property: fsck agrees with the invariant checks', () => {
  const namesArb = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 4 });
  const filesArb = namesArb.map((ns) => Object.fromEntries(ns.map((n) => [n, 0])) as Files);
  const spoolArb = fc
    .record({ registry: filesArb, tmp: filesArb, data: namesArb, alpha: filesArb, alphaCheckout: filesArb, beta: filesArb, betaCheckout: filesArb })
    .map(spoolOf);

  it('A1 violations are exactly the orphaned queue/checkout/data files; A2 violations of registry names the duplicated ones', () => {
    fc.assert(
      fc.property(spoolArb, (s) => {
        const problems = fsck(s, DEFAULT_LIMITS, 1);
        const orphans = problems.filter((p) => p.kind === 'orphaned' && p.location.kind !== 'registry' && p.location.kind !== 'tmp');
        const violations = checkInvariants(s);
        expect(violations.filter((v) => v.startsWith('A1')).length).toBe(orphans.length);
        // The Monitor reports duplicates only for registry names (an unregistered duplicate is orphaned twice).
        const a2Registered = violations.filter((v) => v.startsWith('A2') && s.registry.has(JSON.parse(v.split(' ')[1] ?? '""') as string));
        expect(a2Registered.length).toBe(problems.filter((p) => p.kind === 'duplicated').length);
      }),
      { numRuns: 100 },
    );
  });
});
