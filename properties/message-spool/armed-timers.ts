/**
 * The timers a message spool leaves armed, watched through its clock, and the ones the model says
 * it must have: one for the earliest due time still in the future (the delivery pump's wake-up;
 * none once killed), and one per killAndFlush still waiting with a timeout. A timer that outlives
 * its reason (rescheduled, disarmed by kill, nothing due any more) keeps a real process awake and
 * runs the pump for nothing; one missing or set too late delivers a message after its time.
 */
import type { Clock } from '../../impl/io/clock.ts';
import type { ModelState } from '../../model/message-spool/state.ts';

/** A clock whose sleeps are watched: `armed()` gives the deadline of each that has neither fired nor been aborted. */
export interface WatchedClock {
  readonly clock: Clock;
  armed(): number[];
}

/** Watches the sleeps asked of `inner`. */
export function watchSleeps(inner: Clock): WatchedClock {
  let seq = 0;
  const pending = new Map<number, number>();
  return {
    clock: {
      now: () => inner.now(),
      sleep(ms, signal) {
        const id = seq++;
        pending.set(id, inner.now() + ms);
        const slept = inner.sleep(ms, signal);
        const done = (): void => {
          pending.delete(id);
        };
        slept.then(done, done);
        return slept;
      },
    },
    armed: () => [...pending.values()].sort((a, b) => a - b),
  };
}

/** The deadlines the model says the spool's clock must be armed for, in order. */
export function expectedTimers(model: ModelState): number[] {
  const future = [...model.due.values()].filter((at) => at > model.now);
  const pump = model.killed || future.length === 0 ? [] : [Math.min(...future)];
  const flushes = model.flushWaiters.flatMap((w) => (w.outcome === 'pending' && w.deadline !== undefined ? [w.deadline] : []));
  return [...pump, ...flushes].sort((a, b) => a - b);
}
