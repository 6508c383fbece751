/** The races suite at the test budget: the real multispool survives every explored interleaving. */
import { describe, expect, it } from 'vitest';
import { runProperty } from '../suite.ts';
import { RACES_PROPERTIES } from './multispool-races.ts';

describe('races suite, real implementation', () => {
  it.each(RACES_PROPERTIES.map((p) => [p.name, p] as const))('%s holds', async (_name, property) => {
    const outcome = await runProperty(property, { seed: 42, numRuns: property.testRuns }, () => performance.now());
    expect(outcome.counterexample ?? '').toBe('');
    expect(outcome.verdict).toBe('holds');
  });
});
