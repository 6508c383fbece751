/**
 * `killAndFlush({ timeoutMs })` and its waiters (`docs/message-spool-protocol.md`, "Operations").
 *
 * A call sets `killed` (no attempt starts from now on; due times are kept and never fire) and
 * adds a waiter. A waiter is `finished` once no attempt runs (at once if none does), or
 * `timeout` when its deadline (`now + timeoutMs` at the call; none without `timeoutMs`) is
 * reached on the clock first. A deadline already reached at the call (`timeoutMs <= 0`) with
 * attempts running is `timeout` at once. Final outcomes never change again.
 */
import type { FlushWaiter, ModelState } from './state.ts';

/** killAndFlush: `killed := true` and a new waiter; returns the state and the waiter's index. */
export function killAndFlush(state: ModelState, timeoutMs: number | undefined): { readonly state: ModelState; readonly waiter: number } {
  const deadline = timeoutMs === undefined ? undefined : state.now + timeoutMs;
  const outcome: FlushWaiter['outcome'] = state.running.length === 0 ? 'finished' : deadline !== undefined && deadline <= state.now ? 'timeout' : 'pending';
  return { state: { ...state, killed: true, flushWaiters: [...state.flushWaiters, { deadline, outcome }] }, waiter: state.flushWaiters.length };
}

/** Every pending waiter whose deadline is `<= now` becomes `timeout` (after a clock tick). */
export function timeOutWaiters(state: ModelState): ModelState {
  const due = (w: FlushWaiter): boolean => w.outcome === 'pending' && w.deadline !== undefined && w.deadline <= state.now;
  if (!state.flushWaiters.some(due)) return state;
  return { ...state, flushWaiters: state.flushWaiters.map((w) => (due(w) ? { ...w, outcome: 'timeout' } : w)) };
}

/** When the spool is killed and no attempt runs any more, every pending waiter becomes `finished`. */
export function finishWaiters(state: ModelState): ModelState {
  if (!state.killed || state.running.length > 0 || !state.flushWaiters.some((w) => w.outcome === 'pending')) return state;
  return { ...state, flushWaiters: state.flushWaiters.map((w) => (w.outcome === 'pending' ? { ...w, outcome: 'finished' } : w)) };
}
