/**
 * How a race property fails: one error whose message says what broke, then (optionally) the
 * history in words, then what every process did (its timeline, in global order) and the exact
 * interleaving the scheduler chose. The replay line is the CLI's business (`cli/run.ts`).
 */
import type { RacingProcesses } from '../../sim/racing-processes.ts';

/** A race property found a counterexample; the message is the whole story. */
export class RaceViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RaceViolation';
  }
}

/** The violation `what`, with `details` (e.g. the history) and the race's report. */
export function raceViolation(what: string, world: RacingProcesses, details?: string): RaceViolation {
  return new RaceViolation([what, ...(details === undefined || details === '' ? [] : [details]), world.report()].join('\n'));
}
