/**
 * Every runnable buggy variant is caught: the property it names as its catcher finds a
 * counterexample at the DEFAULT budget and seed (what `spoolcheck run --variant ID` runs), and the
 * printed replay path reproduces the same failure.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED } from '../cli/main.ts';
import { PROPERTIES } from '../cli/suites.ts';
import { runProperty } from './suite.ts';
import { VARIANTS } from './variants.ts';
import { variantTarget } from '../targets/builtin.ts';

const runnable = VARIANTS.filter((v) => v.available);

describe('buggy variants are caught', () => {
  it('every runnable variant names a catcher in one of its own suites', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(2);
    for (const v of runnable) {
      const catcher = PROPERTIES.find((p) => `${p.suite}/${p.name}` === v.caughtBy);
      expect(catcher, `${v.id} caughtBy ${v.caughtBy}`).toBeDefined();
      expect(v.suites).toContain(catcher?.suite);
    }
  });

  it.each(runnable.map((v) => [v.id, v] as const))('%s', async (_id, variant) => {
    const property = PROPERTIES.find((p) => `${p.suite}/${p.name}` === variant.caughtBy);
    if (property === undefined) throw new Error(`${variant.id}: no property ${variant.caughtBy}`);
    const outcome = await runProperty(property, { seed: DEFAULT_SEED, numRuns: property.defaultRuns, target: variantTarget(variant) }, () => performance.now());
    expect(outcome.verdict).toBe('fails');
    expect(outcome.counterexample).toMatch(/Violation: /);
    expect(outcome.counterexample).not.toMatch(/did NOT fail again/);
    expect(outcome.path).toBeDefined();
    const replay = await runProperty(property, { seed: outcome.seed, numRuns: 1, path: outcome.path as string, target: variantTarget(variant) }, () =>
      performance.now(),
    );
    expect(replay.verdict).toBe('fails');
    const essentials = (text: string | undefined): string[] => (text ?? '').split('\n').filter((l) => !l.startsWith('Shrunk'));
    expect(essentials(replay.counterexample)).toEqual(essentials(outcome.counterexample));
  });
});
