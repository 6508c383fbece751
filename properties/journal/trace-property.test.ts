/** The journal suite at the test budget: the real journal conforms to its specification. */
import { describe, expect, it } from 'vitest';
import { runProperty, suiteTestBudget } from '../suite.ts';
import { JOURNAL_PROPERTIES } from './index.ts';
import { runJournalTrace } from './trace-property.ts';
import { REAL_TARGET } from '../../targets/builtin.ts';

describe('journal suite, real implementation', () => {
  it.each(JOURNAL_PROPERTIES.map((p) => [p.name, p] as const))('%s holds', async (_name, property) => {
    const outcome = await runProperty(property, { ...suiteTestBudget(property), target: REAL_TARGET }, () => performance.now());
    expect(outcome.counterexample ?? '').toBe('');
    expect(outcome.verdict).toBe('holds');
  });

  it('a failing perform is retried after the retry interval and everything is performed once', async () => {
    const violations = await runJournalTrace(
      [
        { cmd: 'outcome', next: 'error' },
        { cmd: 'push', size: 3 },
        { cmd: 'tick', ms: 1_000 },
        { cmd: 'push', size: 500 },
        { cmd: 'tick', ms: 5_000 },
        { cmd: 'restart' },
        { cmd: 'push', size: 600 },
        { cmd: 'push', size: 600 },
      ],
      { seed: 0, numRuns: 1, target: REAL_TARGET },
    );
    expect(violations).toEqual([]);
  });
});
