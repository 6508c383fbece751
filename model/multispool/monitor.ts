/**
 * The Monitor daemon's alert logic as a pure fold over the problem lists of successive checks
 * (`docs/multispool-protocol.md`, "Daemon"; docs/multispool-protocol.md).
 *
 * A problem's count is its count in the previous check (0 if absent) + 1; problems absent from this
 * check are dropped; the public (alerting) set is the problems with count > `alertAfterCycles`.
 * Events: `end` for the old public set minus the new (in the old set's order), then `start` for
 * the new minus the old (in the order of this check's problems), all stamped `now`. Problems are
 * identified by {@link problemKey}, so a touched file (new mtime) is a new problem whose count
 * restarts.
 */
import { problemKey, type Problem } from './fsck.ts';

/** A problem and the number of consecutive checks it has been seen in. */
export interface CountedProblem {
  readonly problem: Problem;
  readonly count: number;
}

/** The daemon's memory between checks. */
export interface AlertState {
  /** problemKey → the problem and its count, for the problems of the last check. */
  readonly counts: ReadonlyMap<string, CountedProblem>;
  /** The keys of the public (alerting) problems, in the order of the last check's problems. */
  readonly alerting: ReadonlySet<string>;
}

/** An alert event: a problem became public (`start`) or stopped being public (`end`). */
export type AlertEvent = { readonly kind: 'end' | 'start'; readonly at: number; readonly problem: Problem };

/** Before the first check: nothing counted, nothing alerting. */
export const initialAlertState: AlertState = { counts: new Map(), alerting: new Set() };

/**
 * One check: fold this check's `problems` (found at `now`) into `state`; returns the new state and
 * the events to publish. A problem listed twice in one check counts once.
 */
export function eventify(
  state: AlertState,
  problems: readonly Problem[],
  now: number,
  alertAfterCycles: number,
): { readonly state: AlertState; readonly events: AlertEvent[] } {
  const counts = new Map<string, CountedProblem>();
  for (const problem of problems) {
    const key = problemKey(problem);
    if (counts.has(key)) continue;
    counts.set(key, { problem, count: (state.counts.get(key)?.count ?? 0) + 1 });
  }
  const alerting = new Set([...counts].filter(([, c]) => c.count > alertAfterCycles).map(([key]) => key));
  const events: AlertEvent[] = [];
  for (const key of state.alerting) {
    const old = state.counts.get(key);
    if (!alerting.has(key) && old !== undefined) events.push({ kind: 'end', at: now, problem: old.problem });
  }
  for (const key of alerting) {
    const current = counts.get(key);
    if (!state.alerting.has(key) && current !== undefined) events.push({ kind: 'start', at: now, problem: current.problem });
  }
  return { state: { counts, alerting }, events };
}
