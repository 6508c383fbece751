/**
 * The workload of the multispool cross-validation, shared by the program and its checker: each
 * step is an enqueue of a datum or the removal (checkout, then remove) of the item an earlier
 * step enqueued. The program prints one line per step once it returned; the checker reads the
 * lines to know which steps were acknowledged and which one was in flight at the crash.
 */
export type PlanStep = { readonly enqueue: string } | { readonly remove: number };

export const PLAN: readonly PlanStep[] = [{ enqueue: 'alpha' }, { enqueue: 'bravo' }, { remove: 0 }, { enqueue: 'charlie' }];

/** The first `arg` steps of the plan (a whole number given as a program argument), or all of it. */
export function planSteps(arg: string | undefined): readonly PlanStep[] {
  if (arg === undefined) return PLAN;
  const n = Number(arg);
  if (!Number.isInteger(n) || n < 1 || n > PLAN.length) throw new Error(`the number of plan steps must be 1 to ${PLAN.length}, got '${arg}'`);
  return PLAN.slice(0, n);
}
