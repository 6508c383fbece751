/**
 * Every runnable buggy variant is caught: the suites it names find a counterexample at the
 * test budget, and the printed replay path reproduces the same failure.
 */
import { describe, expect, it } from 'vitest';
import { propertiesOf } from './registry.ts';
import { runProperty, type PropertyDef } from './suite.ts';
import { VARIANTS } from './variants.ts';

const runnable = VARIANTS.filter((v) => v.available);

describe('buggy variants are caught', () => {
  it('there are runnable variants to check', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(2);
  });

  it.each(runnable.map((v) => [v.id, v] as const))('%s', async (_id, variant) => {
    const properties: PropertyDef[] = variant.suites.flatMap((s) => propertiesOf(s));
    expect(properties.length).toBeGreaterThan(0);
    let caught = false;
    for (const property of properties) {
      const outcome = await runProperty(property, { seed: 42, numRuns: property.defaultRuns, variant }, () => performance.now());
      if (outcome.verdict === 'holds') continue;
      caught = true;
      expect(outcome.counterexample).toMatch(/Violation: /);
      expect(outcome.path).toBeDefined();
      const replay = await runProperty(
        property,
        { seed: outcome.seed, numRuns: 1, path: outcome.path as string, variant },
        () => performance.now(),
      );
      expect(replay.verdict).toBe('fails');
      const essentials = (text: string | undefined): string[] => (text ?? '').split('\n').filter((l) => !l.startsWith('Shrunk'));
      expect(essentials(replay.counterexample)).toEqual(essentials(outcome.counterexample));
      break;
    }
    expect(caught).toBe(true);
  });
});
