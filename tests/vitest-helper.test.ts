/**
 * spoolcheck/vitest used as a user would: checkTarget registers one test per property of the
 * chosen suites for the fixed Maildir; the applicable ones run here (and pass), the others are
 * registered as skipped with the capability they need. (The failing case, with its replay line
 * in the message, runs in tests/package.test.ts, in a project of its own.)
 */
import { checkTarget } from '../vitest.ts';
import fixed from '../examples/maildir/fixed-target.ts';
import { describe, expect, it } from 'vitest';

checkTarget(fixed, { module: 'examples/maildir/fixed-target.ts', suites: ['queue', 'kill'], runs: 3 });

describe('checkTarget', () => {
  it('refuses a suite selection with no property', () => {
    expect(() => checkTarget(fixed, { suites: ['no-such-suite'] })).toThrow(/no property in suite\(s\) no-such-suite/);
  });
});
