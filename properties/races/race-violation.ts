/**
 * How a race property fails: one error whose message says what broke, then (optionally) the
 * history in words, then what every process did (its timeline, in global order) and the exact
 * interleaving the scheduler chose. The replay line is the CLI's business (`cli/run.ts`).
 */
import type { RacingProcesses } from '../../sim/racing-processes.ts';
import { DetailedError, type FailureDetails } from '../failure-details.ts';

/** A race property found a counterexample; the message is the whole story, the details its timelines. */
export class RaceViolation extends DetailedError {
  constructor(message: string, details: FailureDetails = {}) {
    super(message, details);
    this.name = 'RaceViolation';
  }
}

/** The violation `what`, with `details` (e.g. the history) and the race's report. */
export function raceViolation(what: string, world: RacingProcesses, details?: string): RaceViolation {
  return new RaceViolation([what, ...(details === undefined || details === '' ? [] : [details]), world.report()].join('\n'), {
    timelines: world.table.processes().map((p) => ({ process: p.name, events: p.timeline().map((e) => ({ seq: e.seq, kind: e.kind, what: e.what })) })),
  });
}
