/**
 * The programmatic runner: checks one target with the registered suites and gives every outcome.
 * `spoolcheck run` prints what this returns; a user's script or test calls it directly
 * (`import { runSuites } from 'spoolcheck'`).
 */
import { DEFAULT_SEED, runProperty, type PropertyDef, type PropertyOutcome, type RunContext } from '../properties/suite.ts';
import { missingCapabilities, type Target } from '../targets/target.ts';
import { PROPERTIES } from './suites.ts';
import { runInWorker } from './run-in-worker.ts';
import { verdictOf } from './run-report.ts';
import { releaseSlot, takeSlot, type WorkerSlot } from './worker-pool.ts';

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
  /** Called as each run of a property starts: its search index (of `numRuns`), or undefined while shrinking (for live progress). */
  readonly onRunStart?: (def: PropertyDef, searchIndex: number | undefined, numRuns: number) => void;
  /** Once it fires, no further property is started (the one running finishes): Ctrl-C. */
  readonly stop?: AbortSignal;
  /** The time limit of one run of every property, in ms (default: each property's own; see run-limit.ts). */
  readonly runTimeoutMs?: number;
  /**
   * Worker threads running properties side by side (default 1). With `workerTarget`, every
   * registered property runs in a worker thread (even with one worker), where a run stuck in
   * synchronous code can be stopped: each thread builds the target again from `workerTarget`,
   * since a target object cannot cross threads. Verdicts and replay paths are the same as in one
   * thread: each property runs alone from the same seed.
   */
  readonly workers?: number;
  /** How a worker thread builds the target: a built-in target's name or a module file (relative to `cwd`). */
  readonly workerTarget?: { readonly name: string; readonly cwd?: string };
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

export { DEFAULT_SEED };

/** Checks `target` with the selected properties (all by default). */
export async function runSuites(target: Target, options: RunSuitesOptions = {}): Promise<SuitesReport> {
  const now = options.now ?? (() => performance.now());
  const seed = options.seed ?? DEFAULT_SEED;
  const started = now();
  const defs = options.properties ?? PROPERTIES;
  const outcomes: (PropertyOutcome | undefined)[] = [];
  const skipped: (PropertyDef | undefined)[] = [];
  const workers = options.workers ?? 1;
  if (workers > 1 && options.workerTarget === undefined) throw new Error('runSuites: workers > 1 needs workerTarget (how each worker thread builds the target)');
  const slots = options.workerTarget === undefined ? [] : Array.from({ length: workers }, () => takeSlot({ target: options.workerTarget?.name ?? '', cwd: options.workerTarget?.cwd ?? process.cwd() }));
  const contextOf = (def: PropertyDef): Omit<RunContext, 'target'> => {
    const numRuns = options.path !== undefined ? 1 : (options.runs ?? def.defaultRuns);
    return {
      seed,
      numRuns,
      ...(options.path === undefined ? {} : { path: options.path }),
      ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
      ...(options.runTimeoutMs === undefined ? {} : { runTimeoutMs: options.runTimeoutMs }),
      ...(options.onRunStart === undefined ? {} : { onRunStart: (i: number | undefined) => options.onRunStart?.(def, i, numRuns) }),
    };
  };
  /** Runs `def` in this thread, or in `slot`'s worker thread when it is one of the registered properties. */
  const runOne = async (def: PropertyDef, slot: WorkerSlot | undefined): Promise<PropertyOutcome> => {
    const ctx = contextOf(def);
    if (slot === undefined || !PROPERTIES.includes(def) || missingCapabilities(target, def.requires).length > 0) return await runProperty(def, { ...ctx, target }, now);
    return await runInWorker(slot, def, ctx, now);
  };
  let next = 0;
  const lane = async (slot: WorkerSlot | undefined): Promise<void> => {
    while (next < defs.length) {
      const i = next++;
      const def = defs[i] as PropertyDef;
      if (options.stop?.aborted === true || (options.deadlineMs !== undefined && now() >= options.deadlineMs)) {
        skipped[i] = def;
        continue;
      }
      let outcome: PropertyOutcome;
      try {
        outcome = await runOne(def, slot);
      } catch (err) {
        // Not a run that failed: the property could not be run at all. It is still reported (a
        // gate must never lose its summary), as a failure that names what broke.
        outcome = { suite: def.suite, property: def.name, verdict: 'fails', runs: 0, seed, counterexample: `Violation: the property could not run (outside any of its runs, so there is nothing to shrink or replay by path): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, elapsedMs: 0, interrupted: false };
      }
      outcomes[i] = outcome;
      options.onOutcome?.(outcome);
    }
  };
  try {
    await Promise.all(slots.length === 0 ? [lane(undefined)] : slots.map((slot) => lane(slot)));
  } finally {
    for (const slot of slots) releaseSlot(slot);
  }
  return summarise(target.name, seed, outcomes.filter((o) => o !== undefined), skipped.filter((d) => d !== undefined), options.stop?.aborted === true, now() - started);
}

/** The report of a run: its outcomes and the properties it did not start, with one verdict. */
function summarise(targetName: string, seed: number, outcomes: readonly PropertyOutcome[], skipped: readonly PropertyDef[], stopped: boolean, elapsedMs: number): SuitesReport {
  // Stopped or not, a run cut short is `incomplete` here; the CLI tells Ctrl-C apart by `stopped`.
  const verdict = verdictOf(outcomes, skipped.map((d) => `${d.suite}/${d.name}`), false, false);
  return { target: targetName, seed, outcomes, skipped, stopped, verdict: verdict === 'interrupted' ? 'incomplete' : verdict, elapsedMs };
}
