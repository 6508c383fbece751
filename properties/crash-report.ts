/**
 * How the adapter crash properties report a crash state that breaks a guarantee: the operations
 * with the one in flight marked, the crash point, what the crash lost, the disk after it, what
 * recovery gave back and what that violates. Shared by the queue and message spool crash
 * properties, so that both read the same way.
 */
import { renderImage } from '../sim/crash/disk-image.ts';
import { describeLost, type CrashState } from '../sim/crash/explore.ts';
import type { PersistenceProfile } from '../sim/crash/profiles.ts';
import { DetailedError } from './failure-details.ts';

/** The report of a crash state `state` of the workload `ops` (one line each), recovered as `back` (under `backTitle`). */
export function crashReport(title: string, profile: PersistenceProfile, ops: readonly string[], state: CrashState, back: readonly string[], violations: readonly string[], backTitle = 'recovery gave back:'): string {
  const m = state.point.marksBefore;
  const opLine = (line: string, i: number): string => `  ${i + 1}. ${line}${i < m ? '' : i === m ? '   <- in flight at the crash' : '   (never ran: after the crash)'}`;
  return [
    title,
    `profile: ${profile.name}`,
    'operations:',
    ...(ops.length === 0 ? ['  (none)'] : ops.map(opLine)),
    `crash point: ${state.point.description} (${m} operation(s) had returned)`,
    `lost in the crash (${state.lost.length} micro-step(s)):`,
    ...describeLost(state.lost),
    'disk after the crash:',
    ...renderImage(state.image, false).map((l) => `  ${l}`),
    backTitle,
    ...(back.length === 0 ? ['  (nothing)'] : back.map((l) => `  ${l}`)),
    'violated:',
    ...violations.map((v) => `  ${v}`),
  ].join('\n');
}

/**
 * The error of such a crash state: `crashReport`'s words, and the same as data for the HTML page.
 * `states` (every state explored) gives the disk before the crash: the state at the same point
 * that lost nothing (absent when the explorer merged it with an identical one elsewhere).
 */
export function crashViolation(title: string, profile: PersistenceProfile, ops: readonly string[], state: CrashState, back: readonly string[], violations: readonly string[], states: readonly CrashState[], backTitle = 'recovery gave back:'): DetailedError {
  const before = states.find((s) => s.point.position === state.point.position && s.lost.length === 0);
  return new DetailedError(crashReport(title, profile, ops, state, back, violations, backTitle), {
    crash: {
      profile: profile.name,
      operations: ops,
      inFlight: state.point.marksBefore,
      point: state.point.description,
      ...(before === undefined ? {} : { diskBefore: renderImage(before.image, false) }),
      lost: describeLost(state.lost),
      diskAfter: renderImage(state.image, false),
      recoveredTitle: backTitle,
      recovered: back,
      violated: violations,
    },
  });
}
