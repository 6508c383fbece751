/**
 * The `kill` suite: real processes on a real directory, killed with SIGKILL at seeded moments;
 * after each kill the spool is checked with the guarantees of the simulated `process-crash`
 * profile (see kill-check.ts). One run is one kill.
 */
import fc from 'fast-check';
import type { PropertyDef } from '../../properties/suite.ts';
import { killRound } from './kill-check.ts';

/** Operations per worker: enough that most kills land in the middle of the workload. */
export const OPS_PER_WORKER = 25;
/** Longest wait between the worker being ready and the kill, in ms. */
export const MAX_KILL_DELAY_MS = 40;

/** Each run: one worker, one SIGKILL, one check. */
export const killNine: PropertyDef = {
  suite: 'kill',
  name: 'kill-9',
  description: 'a worker killed with SIGKILL at a random moment leaves a spool that keeps the process-crash guarantees',
  defaultRuns: 200,
  testRuns: 6,
  build: (ctx) =>
    fc.asyncProperty(fc.noShrink(fc.integer()), fc.noShrink(fc.integer({ min: 0, max: MAX_KILL_DELAY_MS })), async (seed, delayMs) => {
      const outcome = await killRound({ seed, ops: OPS_PER_WORKER, delayMs, quirks: ctx.variant?.multispool ?? {} });
      if (outcome.violations.length > 0) {
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
