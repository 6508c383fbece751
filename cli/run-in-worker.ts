/**
 * One property run in a worker thread, as an outcome like any other. A thread whose event loop
 * stops turning for a whole run limit is stuck in synchronous code (an endless loop: the run's
 * own timer cannot fire), so it is stopped and the property fails with "did not finish" at the
 * search run it was in: that run's replay path reproduces it (unshrunk: the thread cannot go on).
 */
import { runLimitOf, type PropertyDef, type PropertyOutcome, type RunContext } from '../properties/suite.ts';
import type { WorkerSlot } from './worker-pool.ts';

/** Runs `def` under `ctx` (less its target, which the worker builds) in `slot`'s thread. */
export async function runInWorker(slot: WorkerSlot, def: PropertyDef, ctx: Omit<RunContext, 'target'>, now: () => number): Promise<PropertyOutcome> {
  const started = now();
  const limitMs = runLimitOf(def, ctx);
  const result = await slot.run(
    {
      suite: def.suite,
      property: def.name,
      seed: ctx.seed,
      numRuns: ctx.numRuns,
      ...(ctx.path === undefined ? {} : { path: ctx.path }),
      ...(ctx.deadlineMs === undefined ? {} : { remainingMs: Math.max(1, ctx.deadlineMs - started) }),
      runTimeoutMs: limitMs,
    },
    limitMs,
    ctx.onRunStart,
  );
  if (result.kind === 'outcome') {
    // A run that overran may still be running (an asynchronous loop): a fresh thread for the next.
    if ((result.outcome.overruns ?? 0) > 0) slot.stop();
    return result.outcome;
  }
  const index = result.kind === 'stuck' ? (result.searchIndex ?? result.failedIndex) : undefined;
  const path = ctx.path ?? (index === undefined ? undefined : String(index));
  const what =
    result.kind === 'stuck'
      ? `did not finish: the run's thread stopped responding for ${result.silentMs / 1000} s (its run time limit) — synchronous code that never returns, such as an endless loop — and was stopped` +
        (result.searchIndex === undefined && result.failedIndex !== undefined ? `, while shrinking the failure of run ${result.failedIndex}` : '')
      : `did not finish: ${result.reason}`;
  return {
    suite: def.suite,
    property: def.name,
    verdict: 'fails',
    runs: index === undefined ? 0 : index + 1,
    seed: ctx.seed,
    ...(path === undefined ? {} : { path }),
    counterexample: `Violation: ${what}.\n(Not shrunk: a stopped thread cannot go on.)`,
    elapsedMs: now() - started,
    interrupted: false,
    runLimitMs: limitMs,
  };
}
