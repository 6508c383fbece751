/**
 * The vitest helper (`import { checkTarget } from 'spoolcheck/vitest'`): turns every property
 * that applies to a target into one vitest test in the user's own test file, and every property
 * that does not into a skipped test saying which capability it needs. A failing test's message is
 * the shrunk counterexample and the command line that replays it exactly.
 *
 *   import { checkTarget } from 'spoolcheck/vitest';
 *   import target from './my-target.ts';
 *   checkTarget(target, { module: 'test/my-target.ts' });
 */
import { describe, it } from 'vitest';
import { replayLine } from './cli/run.ts';
import { DEFAULT_SEED } from './cli/run-suites.ts';
import { PROPERTIES } from './cli/suites.ts';
import { runProperty } from './properties/suite.ts';
import { missingCapabilities, type Target } from './targets/target.ts';

/** Options of {@link checkTarget}; every field is optional. */
export interface CheckTargetOptions {
  /** The target's module path as `spoolcheck run --target` should be given it (for the replay line). */
  readonly module?: string;
  /** Only these suites (default: all). */
  readonly suites?: readonly string[];
  /** The fast-check seed (default 1). */
  readonly seed?: number;
  /** Runs per property (default: each property's own default budget). */
  readonly runs?: number;
  /** Timeout of each test, in ms (default 120 000). */
  readonly timeoutMs?: number;
}

/** Registers one vitest test per property of the selected suites, for `target`. */
export function checkTarget(target: Target, options: CheckTargetOptions = {}): void {
  const seed = options.seed ?? DEFAULT_SEED;
  const selected = PROPERTIES.filter((p) => options.suites === undefined || options.suites.includes(p.suite));
  if (selected.length === 0) throw new Error(`checkTarget: no property in suite(s) ${options.suites?.join(', ')}`);
  const replayArgs = ['--target', options.module ?? '<your target module>'];
  describe(`spoolcheck: ${target.name}`, () => {
    for (const def of selected) {
      const title = `${def.suite}/${def.name}`;
      const missing = missingCapabilities(target, def.requires);
      if (missing.length > 0) {
        it.skip(`${title} (not applicable: needs ${missing.join(', ')})`, () => undefined);
        continue;
      }
      it(
        title,
        async () => {
          const outcome = await runProperty(def, { seed, numRuns: options.runs ?? def.defaultRuns, target }, () => performance.now());
          if (outcome.verdict === 'fails') throw new Error(`${outcome.counterexample ?? ''}\nReplay exactly with:\n  ${replayLine(outcome, replayArgs)}`);
        },
        options.timeoutMs ?? 120_000,
      );
    }
  });
}
