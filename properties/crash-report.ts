/**
 * How the adapter crash properties report a crash state that breaks a guarantee: the operations
 * with the one in flight marked, the crash point, what the crash lost, the disk after it, what
 * recovery gave back and what that violates. Shared by the queue and message spool crash
 * properties, so that both read the same way.
 */
import { renderImage } from '../sim/crash/disk-image.ts';
import { describeLost, type CrashState } from '../sim/crash/explore.ts';
import type { PersistenceProfile } from '../sim/crash/profiles.ts';

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
