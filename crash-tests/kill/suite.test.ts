/**
 * A short version of the kill cross-check: a few real workers, each SIGKILLed at a seeded moment,
 * leave spools that keep the process-crash guarantees. (`spoolcheck run --suite kill` kills 200.)
 */
import { describe, expect, it } from 'vitest';
import { runProperty } from '../../properties/suite.ts';
import { killRound } from './kill-check.ts';
import { KILL_PROPERTIES } from './suite.ts';
import { REAL_TARGET } from '../../targets/builtin.ts';

describe('kill suite, real implementation', () => {
  it.each(KILL_PROPERTIES.map((p) => [p.name, p] as const))('%s holds', async (_name, property) => {
    const outcome = await runProperty(property, { seed: 42, numRuns: property.testRuns, target: REAL_TARGET }, () => performance.now());
    expect(outcome.counterexample ?? '').toBe('');
    expect(outcome.verdict).toBe('holds');
    expect(outcome.runs).toBe(property.testRuns);
  });

  it('a worker that is never killed in time finishes its workload, and the spool is intact', async () => {
    const outcome = await killRound({ seed: 3, ops: 3, delayMs: 30_000, quirks: {} });
    expect(outcome.finished).toBe(true);
    expect(outcome.acked).toBe(3);
    expect(outcome.violations).toEqual([]);
    expect(outcome.tree).toContain('/spool/.registry/');
  });
});
