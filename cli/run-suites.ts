/**
 * The programmatic runner: checks one target with the registered suites and gives every outcome.
 * `spoolcheck run` prints what this returns; a user's script or test calls it directly
 * (`import { runSuites } from 'spoolcheck'`).
 */
import { runProperty, type PropertyDef, type PropertyOutcome, type RunContext } from '../properties/suite.ts';
import type { Target } from '../targets/target.ts';
import { PROPERTIES } from './suites.ts';

/** What to run, and how hard. Every field is optional. */
export interface RunSuitesOptions {
  /** The properties to run (default: every property of every suite, in registry order). */
  readonly properties?: readonly PropertyDef[];
  /** The fast-check seed (default 1: the same verdict on every run). */
  readonly seed?: number;
  /** Runs per property (default: each property's own default budget). */
  readonly runs?: number;
  /** Replays one shrunk counterexample (fast-check path; give exactly one property). */
  readonly path?: string;
  /** Stop starting runs at this time of `now()`, in ms (a time budget); none by default. */
  readonly deadlineMs?: number;
  /** The clock that measures elapsed time and the deadline, in ms (default `performance.now`). */
  readonly now?: () => number;
  /** Called after each property, as soon as its outcome is known (for progress). */
  readonly onOutcome?: (outcome: PropertyOutcome) => void;
  /** Once it fires, no further property is started (the one running finishes): Ctrl-C. */
  readonly stop?: AbortSignal;
}

/** What a check of one target found. */
export interface SuitesReport {
  readonly target: string;
  readonly seed: number;
  /** Every property that ran or was found not applicable, in order. */
  readonly outcomes: readonly PropertyOutcome[];
  /** Properties not started because the time budget was spent (or the run was stopped). */
  readonly skipped: readonly PropertyDef[];
  /** True when `stop` ended the run early. */
  readonly stopped: boolean;
  /**
   * `holds` only if every selected property that applies ran its whole budget and nothing failed;
   * `incomplete` when nothing failed but the time budget (or `stop`) cut a property short or left
   * one unstarted; `nothing-checked` when no property applied.
   */
  readonly verdict: 'holds' | 'counterexample' | 'incomplete' | 'nothing-checked';
  readonly elapsedMs: number;
}

/** The seed of a run without one: fixed, so the same code gives the same verdict. */
export const DEFAULT_SEED = 1;

/** Checks `target` with the selected properties (all by default). */
export async function runSuites(target: Target, options: RunSuitesOptions = {}): Promise<SuitesReport> {
  const now = options.now ?? (() => performance.now());
  const seed = options.seed ?? DEFAULT_SEED;
  const started = now();
  const outcomes: PropertyOutcome[] = [];
  const skipped: PropertyDef[] = [];
  for (const def of options.properties ?? PROPERTIES) {
    if (options.stop?.aborted === true || (options.deadlineMs !== undefined && now() >= options.deadlineMs)) {
      skipped.push(def);
      continue;
    }
    const ctx: RunContext = {
      seed,
      numRuns: options.path !== undefined ? 1 : (options.runs ?? def.defaultRuns),
      ...(options.path === undefined ? {} : { path: options.path }),
      target,
      ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    };
    const outcome = await runProperty(def, ctx, now);
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
  }
  const failed = outcomes.some((o) => o.verdict === 'fails');
  const checked = outcomes.some((o) => o.verdict !== 'not-applicable') || skipped.length > 0;
  const incomplete = skipped.length > 0 || outcomes.some((o) => o.interrupted);
  const verdict = failed ? 'counterexample' : !checked ? 'nothing-checked' : incomplete ? 'incomplete' : 'holds';
  return { target: target.name, seed, outcomes, skipped, stopped: options.stop?.aborted === true, verdict, elapsedMs: now() - started };
}
