/**
 * The generic linearizability checker: record a concurrent history, check it against a
 * sequential model (Wing and Gong's search with Lowe's memoisation), describe the verdict.
 *
 * Fault contract, in plain words: nothing here injects faults; see `check.ts` for exactly what a
 * verdict can and cannot conclude (`unknown` is never a pass).
 */
export { historyRecorder, isCompleted, type ConcurrentHistory, type HistoryRecorder, type Operation } from './history.ts';
export { checkLinearizable, type CheckOptions, type LinearizabilityModel, type LinearizabilityResult } from './check.ts';
export { describeHistory, describeOperation, describeResult } from './describe.ts';
