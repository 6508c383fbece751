/**
 * A time limit on every run of a property: a run that does not finish within it (a promise that
 * never settles, a push blocked for ever, a loop that awaits without end) fails with "did not
 * finish", so a hang is a counterexample that shrinks and replays like any other.
 *
 * The limit is wall time: the properties run their simulated clocks forward themselves, so a run
 * that waits on simulated time nobody advances is stuck in wall time too. A synchronous endless
 * loop never yields to the timer; only stopping the thread ends it (`cli/worker-pool.ts`, with
 * the property's wall limit).
 *
 * Shrinking a hang costs one whole limit per candidate that still hangs, so after
 * `maxOverruns` runs that did not finish, every further candidate is passed over unrun: the
 * counterexample reported is the smallest hang seen by then (it did hang; its path replays it).
 */
import type fc from 'fast-check';

/** The default limit of one run, in ms. Properties whose runs are long by design set their own. */
export const DEFAULT_RUN_TIMEOUT_MS = 20_000;

/** Runs that did not finish before shrinking stops (each costs one limit). */
export const MAX_OVERRUNS = 4;

/** The error of a run that overran its limit. */
export class DidNotFinish extends Error {
  constructor(readonly limitMs: number) {
    super(`did not finish: the run was still going after ${limitMs / 1000} s (its time limit): a promise that never settles, or an operation blocked for ever`);
    this.name = 'DidNotFinish';
  }
}

// The real timers, taken before any test can fake them.
const setTimer = globalThis.setTimeout;
const clearTimer = globalThis.clearTimeout;

/** What `withRunLimit` saw, for the report. */
export interface RunLimitLog {
  /** Runs that overran. */
  overruns: number;
  /** Candidates passed over unrun once `maxOverruns` was reached. */
  passedOver: number;
  /** The longest run that finished, in ms (how close the property came to its limit). */
  longestMs: number;
  /** Runs started; and whether one has failed yet (after that, runs are shrink candidates). */
  started: number;
  failedOnce: boolean;
}

/** A fresh log. */
export function runLimitLog(): RunLimitLog {
  return { overruns: 0, passedOver: 0, longestMs: 0, started: 0, failedOnce: false };
}

/** `property` with every run limited to `limitMs`; `log` counts what the limit did. */
export function withRunLimit<T>(
  property: fc.IAsyncProperty<T> | fc.IProperty<T>,
  limitMs: number,
  log: RunLimitLog,
  onRunStart?: (searchIndex: number | undefined) => void,
  maxOverruns = MAX_OVERRUNS,
): fc.IAsyncProperty<T> {
  return {
    isAsync: () => true,
    generate: (mrng, runId) => property.generate(mrng, runId),
    shrink: (value) => property.shrink(value),
    runBeforeEach: async () => {
      await property.runBeforeEach();
    },
    runAfterEach: async () => {
      await property.runAfterEach();
    },
    run: async (v) => {
      if (log.overruns >= maxOverruns) {
        log.passedOver++;
        return null;
      }
      // Before the first failure, the n-th run is fast-check's path "n"; after it, runs are shrink candidates.
      onRunStart?.(log.failedOnce ? undefined : log.started);
      log.started++;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const overran = new Promise<fc.PropertyFailure>((resolve) => {
        timer = setTimer(() => {
          log.overruns++;
          resolve({ error: new DidNotFinish(limitMs) });
        }, limitMs);
      });
      const started = performance.now();
      try {
        const result = await Promise.race([Promise.resolve(property.run(v)), overran]);
        const failure = result !== null && 'error' in result;
        if (failure) log.failedOnce = true;
        if (!(failure && result.error instanceof DidNotFinish)) log.longestMs = Math.max(log.longestMs, performance.now() - started);
        return result;
      } finally {
        clearTimer(timer);
      }
    },
  } as fc.IAsyncProperty<T>;
}
