/** The journal crash property at the test budget, and a pinned power cut. */
import { describe, expect, it } from 'vitest';
import { runProperty } from '../suite.ts';
import { journalCrash, journalCrashRound } from './crash-property.ts';
import { REAL_TARGET } from '../../targets/builtin.ts';
import type { JournalAdapter } from '../../targets/journal-adapter.ts';

describe('journal after a power cut', () => {
  it('holds for the real journal at the test budget', async () => {
    const outcome = await runProperty(journalCrash, { seed: 42, numRuns: journalCrash.testRuns, target: REAL_TARGET }, () => performance.now());
    expect(outcome.counterexample ?? '').toBe('');
  });

  it('every cut point of a three-push workload keeps every acknowledged op', async () => {
    const journal = REAL_TARGET.journal as JournalAdapter;
    const { calls } = await journalCrashRound(journal, [3, 400, 5], Number.POSITIVE_INFINITY, 1);
    expect(calls).toBeGreaterThan(10);
    for (let k = 0; k < calls; k++) expect((await journalCrashRound(journal, [3, 400, 5], k, k)).problems).toEqual([]);
  });
});
