/**
 * The multispool suite at the test budget: every property holds for the real implementation.
 * (`spoolcheck run` runs the same properties at the default budget.)
 */
import { describe, expect, it } from 'vitest';
import { MULTISPOOL_PROPERTIES } from './multispool/index.ts';
import { runProperty } from './suite.ts';
import { REAL_TARGET } from '../targets/builtin.ts';

describe('multispool suite, real implementation', () => {
  it.each(MULTISPOOL_PROPERTIES.map((p) => [p.name, p] as const))('%s holds', async (_name, property) => {
    const outcome = await runProperty(property, { seed: 42, numRuns: property.testRuns, target: REAL_TARGET }, () => performance.now());
    expect(outcome.counterexample ?? '').toBe('');
    expect(outcome.verdict).toBe('holds');
    expect(outcome.runs).toBe(property.testRuns);
  });
});
