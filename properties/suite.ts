/**
 * What a property is to the harness: a named check in a suite, runnable by vitest and by the
 * `spoolcheck` CLI alike, against the real implementation or a named buggy variant.
 *
 * A property is run by fast-check from a seed (and optionally a shrink path), so every
 * failure replays exactly from the line the CLI prints.
 */
import fc from 'fast-check';
import type { BuiltinImplementations, Capability, Target } from '../targets/target.ts';
import { missingCapabilities } from '../targets/target.ts';
import { detailsOf, type FailureDetails } from './failure-details.ts';
import { DEFAULT_RUN_TIMEOUT_MS, runLimitLog, withRunLimit, type RunLimitLog } from './run-limit.ts';

/**
 * A property whose check returns what it found wrong, in words: a run fails with every violation
 * (one per line), and holds when there is none.
 */
export function violationsProperty<T>(arb: fc.Arbitrary<T>, check: (input: T) => Promise<readonly string[]>): fc.IAsyncProperty<never> {
  return fc.asyncProperty(arb, async (input) => {
    const problems = await check(input);
    if (problems.length > 0) throw new Error(problems.join('\n'));
  }) as unknown as fc.IAsyncProperty<never>;
}

/** The seed of a run without one: fixed, so the same code gives the same verdict. */
export const DEFAULT_SEED = 1;

/**
 * The seed and runs a suite's own "holds" test gives a property: its test budget, or, when the
 * environment says SPOOLCHECK_BUDGET=default (the mutation scripts do), what `spoolcheck run`
 * gives it (its default budget and seed), so that a mutant counts as caught exactly when
 * `npm start` would catch it.
 */
export function suiteTestBudget(def: PropertyDef): { readonly seed: number; readonly numRuns: number } {
  return process.env['SPOOLCHECK_BUDGET'] === 'default' ? { seed: DEFAULT_SEED, numRuns: def.defaultRuns } : { seed: 42, numRuns: def.testRuns };
}

/** Everything a property run depends on. */
export interface RunContext {
  /** The fast-check seed; the same seed (and path) gives the same runs. */
  readonly seed: number;
  /** How many runs (generated cases) to try. */
  readonly numRuns: number;
  /** Replays one shrunk case directly (fast-check's `path`), skipping the search. */
  readonly path?: string;
  /** What is checked: the only source of the implementation a property builds. */
  readonly target: Target;
  /** Stop early at this clock time (ms since the epoch) — a time budget; `undefined` for none. */
  readonly deadlineMs?: number;
  /** The time limit of one run in ms (default: the property's own, else `DEFAULT_RUN_TIMEOUT_MS`). */
  readonly runTimeoutMs?: number;
  /** Told as each run starts: its search index (its replay path), or undefined for a shrink candidate. */
  readonly onRunStart?: (searchIndex: number | undefined) => void;
}

/** A property of the harness. */
export interface PropertyDef {
  /** The suite it belongs to (`multispool`, later `crash`, `ring`...). */
  readonly suite: string;
  /** A short kebab-case name, unique within its suite. */
  readonly name: string;
  /** One sentence: what must hold. */
  readonly description: string;
  /** Runs at the default budget (`npm start`). */
  readonly defaultRuns: number;
  /** Runs in `npm test` (kept small: tests must stay fast). */
  readonly testRuns: number;
  /** The capabilities of the target it needs; on a target without one it is not applicable. */
  readonly requires: readonly Capability[];
  /** The time limit of one run in ms, for properties whose runs are long by design (default `DEFAULT_RUN_TIMEOUT_MS`). */
  readonly runTimeoutMs?: number;
  /** Builds the fast-check property for a context (the target provides the implementation). */
  build(ctx: RunContext): fc.IAsyncProperty<never> | fc.IProperty<never>;
}

/** The outcome of one property run. */
export interface PropertyOutcome {
  readonly suite: string;
  readonly property: string;
  /** `not-applicable`: the target lacks a capability the property needs (see `missing`); nothing ran. */
  readonly verdict: 'holds' | 'fails' | 'not-applicable';
  /** The capabilities the target lacks (when not applicable). */
  readonly missing?: readonly Capability[];
  readonly runs: number;
  readonly seed: number;
  /** fast-check's replay path of the shrunk counterexample (when it fails). */
  readonly path?: string;
  /** The shrunk counterexample and the error, in words (when it fails). */
  readonly counterexample?: string;
  readonly elapsedMs: number;
  /** True when the time budget cut the run short. */
  readonly interrupted: boolean;
  /** What the failure shows as data (timelines, crash, model beside implementation), when the property gives it. */
  readonly details?: FailureDetails;
  /** The shrunk input of a failure, as fast-check prints it. */
  readonly input?: string;
  /** Runs that overran the time limit (their work may still be going on in the background). */
  readonly overruns?: number;
  /** The time limit of one run, in ms, and the longest run that finished (how near it came). */
  readonly runLimitMs?: number;
  readonly longestRunMs?: number;
}

/** The time limit of one run of `def` under `ctx`, in ms: the context's, else the property's own, else the default. */
export function runLimitOf(def: PropertyDef, ctx: Pick<RunContext, 'runTimeoutMs'>): number {
  return ctx.runTimeoutMs ?? def.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
}

/** Runs one property under a context and reports what happened. `now` measures elapsed time. */
export async function runProperty(def: PropertyDef, ctx: RunContext, now: () => number): Promise<PropertyOutcome> {
  const started = now();
  const missing = missingCapabilities(ctx.target, def.requires);
  if (missing.length > 0) {
    return { suite: def.suite, property: def.name, verdict: 'not-applicable', missing, runs: 0, seed: ctx.seed, elapsedMs: 0, interrupted: false };
  }
  const params: fc.Parameters<unknown> = {
    seed: ctx.seed,
    numRuns: ctx.numRuns,
    ...(ctx.path === undefined ? {} : { path: ctx.path }),
    ...(ctx.deadlineMs === undefined ? {} : { interruptAfterTimeLimit: Math.max(1, ctx.deadlineMs - started) }),
    markInterruptAsFailure: false,
  };
  const limitMs = runLimitOf(def, ctx);
  const log = runLimitLog();
  const details = await fc.check(withRunLimit(def.build(ctx) as fc.IAsyncProperty<unknown>, limitMs, log, ctx.onRunStart), params);
  const failed = details.failed;
  const path = details.counterexamplePath ?? undefined;
  return {
    suite: def.suite,
    property: def.name,
    verdict: failed ? 'fails' : 'holds',
    runs: details.numRuns,
    seed: details.seed,
    ...(failed ? failureOf(await describeReplay(def, ctx, limitMs, details.seed, path, details), path, log) : {}),
    elapsedMs: now() - started,
    interrupted: details.interrupted,
    runLimitMs: limitMs,
    longestRunMs: Math.round(log.longestMs),
    ...(log.overruns > 0 ? { overruns: log.overruns } : {}),
  } as PropertyOutcome;
}

/**
 * What the replay line reproduces: the failure is run once more from its seed and path, and that
 * run is described. The search's own last run can differ in detail (a fast-check scheduler
 * records every task of the run it took part in), so describing the replay is what makes the
 * printed counterexample exactly what `--seed S --path P` prints. A replay that does not fail is
 * reported as such, never hidden.
 */
async function describeReplay(
  def: PropertyDef,
  ctx: RunContext,
  limitMs: number,
  seed: number,
  path: string | undefined,
  search: fc.RunDetails<unknown>,
): Promise<{ text: string; described: fc.RunDetails<unknown> }> {
  if (path === undefined || ctx.path !== undefined) return { text: describeFailure(search), described: search };
  const replay = await fc.check(withRunLimit(def.build(ctx) as fc.IAsyncProperty<unknown>, limitMs, runLimitLog(), ctx.onRunStart), { seed, path, numRuns: 1 });
  if (!replay.failed) {
    return { text: `${describeFailure(search)}\nWARNING: replaying seed ${seed} path ${path} did NOT fail again: the property is not deterministic.`, described: search };
  }
  return { text: describeFailure({ ...replay, numShrinks: search.numShrinks, numRuns: search.numRuns } as fc.RunDetails<unknown>), described: replay };
}

/** The failure fields of an outcome: path, the counterexample in words, and its details as data. */
function failureOf(replay: { text: string; described: fc.RunDetails<unknown> }, path: string | undefined, log: RunLimitLog): Partial<PropertyOutcome> {
  const details = detailsOf(replay.described.errorInstance);
  const input = replay.described.counterexample;
  return {
    ...(path === undefined ? {} : { path }),
    counterexample: replay.text + shrinkNote(log),
    ...(details === undefined ? {} : { details }),
    ...(input === null ? {} : { input: fc.stringify(input) }),
  };
}

/** Says so when shrinking a hang stopped early (see run-limit.ts). */
function shrinkNote(log: RunLimitLog): string {
  return log.passedOver === 0 ? '' : `\n(Shrinking stopped after ${log.overruns} runs that did not finish: each costs a whole time limit.)`;
}

/** The shrunk counterexample and its error, as fast-check would report them, minus the stack noise. */
function describeFailure(details: fc.RunDetails<unknown>): string {
  const lines: string[] = [];
  if (details.counterexample !== null) lines.push(`Counterexample: ${fc.stringify(details.counterexample)}`);
  lines.push(`Shrunk ${details.numShrinks} time(s) after ${details.numRuns} run(s).`);
  const err = details.errorInstance;
  if (err instanceof Error) lines.push(`Violation: ${err.message}`);
  else if (err !== null && err !== undefined) lines.push(`Violation: ${String(err)}`);
  return lines.join('\n');
}

/**
 * The configuration of spoolcheck's own implementations that the context's target checks. Only
 * properties that declare `requires: ['builtin']` may call it; they never run on other targets.
 */
export function builtinOf(ctx: RunContext): BuiltinImplementations {
  const builtin = ctx.target.builtin;
  if (builtin === undefined) throw new Error(`target '${ctx.target.name}' has no built-in implementation: the property should have been not applicable`);
  return builtin;
}

/** The adapters a target may have. */
export type AdapterPart = 'queue' | 'ring' | 'journal' | 'messageSpool' | 'fileWriter' | 'lock' | 'appendLog';

/**
 * The context's target's adapter `part`. Only properties that require the part's capability may
 * call it; they never run on a target without it.
 */
export function adapterOf<K extends AdapterPart>(ctx: RunContext, part: K): NonNullable<Target[K]> {
  const adapter = ctx.target[part];
  if (adapter === undefined) throw new Error(`target '${ctx.target.name}' has no ${part} adapter: the property should have been not applicable`);
  return adapter as NonNullable<Target[K]>;
}
