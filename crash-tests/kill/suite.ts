/**
 * The `kill` suite: real processes on a real directory, killed with SIGKILL at seeded moments;
 * after each kill the spool is checked with the guarantees of the simulated `process-crash`
 * profile (see kill-check.ts). One run is KILLS_PER_RUN kills of workers running side by side.
 */
import fc from 'fast-check';
import { builtinOf, type PropertyDef } from '../../properties/suite.ts';
import { killRound } from './kill-check.ts';

/** Operations per worker: enough that most kills land in the middle of the workload. */
export const OPS_PER_WORKER = 25;
/** Longest wait between the worker being ready and the kill, in ms. */
export const MAX_KILL_DELAY_MS = 40;

/** Workers killed at once in each run (one per core of the 2-core machine this is sized for). */
export const KILLS_PER_RUN = 2;

/** One kill: a workload seed and the delay between the worker being ready and its SIGKILL. */
const killArb = fc.record({ seed: fc.noShrink(fc.integer()), delayMs: fc.noShrink(fc.integer({ min: 0, max: MAX_KILL_DELAY_MS })) });

/** Each run: {@link KILLS_PER_RUN} workers side by side, each on its own directory, each SIGKILLed and checked. */
export const killNine: PropertyDef = {
  suite: 'kill',
  requires: ['builtin'],
  name: 'kill-9',
  description: `workers killed with SIGKILL at random moments (${KILLS_PER_RUN} per run, side by side) leave spools that keep the process-crash guarantees`,
  defaultRuns: 100,
  testRuns: 3,
  build: (ctx) =>
    fc.asyncProperty(fc.array(killArb, { minLength: KILLS_PER_RUN, maxLength: KILLS_PER_RUN }), async (kills) => {
      const outcomes = await Promise.all(kills.map(({ seed, delayMs }) => killRound({ seed, ops: OPS_PER_WORKER, delayMs, quirks: builtinOf(ctx).multispool })));
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.violations.length === 0) continue;
        const { seed, delayMs } = kills[i] as { seed: number; delayMs: number };
        const where = outcome.finished
          ? 'after the worker finished'
          : outcome.inFlight === undefined
            ? `between operations, after ${outcome.acked} had returned`
            : `during operation ${outcome.acked + 1} (${outcome.inFlight.op} of ${String(outcome.inFlight.name)})`;
        throw new Error(
          [
            `SIGKILL ${delayMs} ms after the worker was ready (workload seed ${seed}) landed ${where}; the spool breaks a guarantee:`,
            ...outcome.violations.map((v) => `  ${v.guarantee}: ${v.message}`),
            'directory after the kill:',
            ...outcome.tree.map((l) => `  ${l}`),
          ].join('\n'),
        );
      }
    }) as unknown as fc.IAsyncProperty<never>,
};

/** The kill suite. */
export const KILL_PROPERTIES: readonly PropertyDef[] = [killNine];
