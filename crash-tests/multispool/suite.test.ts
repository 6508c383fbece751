/**
 * The crash suite at the test budget: every property holds for the real implementation,
 * including the exhaustive check of every workload of up to three operations.
 */
import { describe, expect, it } from 'vitest';
import { runProperty } from '../../properties/suite.ts';
import { allWorkloads, CRASH_PROPERTIES } from './suite.ts';
import { REAL_TARGET } from '../../targets/builtin.ts';

describe('crash suite, real implementation', () => {
  it.each(CRASH_PROPERTIES.map((p) => [p.name, p] as const))('%s holds', async (_name, property) => {
    const outcome = await runProperty(property, { seed: 42, numRuns: property.testRuns, target: REAL_TARGET }, () => performance.now());
    expect(outcome.counterexample ?? '').toBe('');
    expect(outcome.verdict).toBe('holds');
    expect(outcome.runs).toBe(property.testRuns);
  });

  it('enumerates every workload of up to n operations exactly once', () => {
    const all = allWorkloads(3);
    expect(all.length).toBe(1 + 7 + 49 + 343);
    expect(new Set(all.map((w) => w.join(','))).size).toBe(all.length);
  });
});
