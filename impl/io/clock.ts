/**
 * The injected clock. Implementations never read wall-clock time or set timers directly; they
 * ask a Clock, so tests can drive time with fake timers and every run replays exactly.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock's time, or rejects with the abort reason. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The minimal timer surface of both the global object and a @sinonjs/fake-timers clock. */
export interface TimerSource {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Builds a Clock on a timer source (a fake-timers clock in tests, the real timers in the CLI). */
export function clockFromTimers(timers: TimerSource): Clock {
  return {
    now: () => timers.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = (): void => {
          timers.clearTimeout(handle);
          reject(signal?.reason);
        };
        const handle = timers.setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

/** Wall-clock time and real timers. Only the CLI and real-disk adapters should use this. */
export const systemClock: Clock = clockFromTimers({
  now: () => Date.now(),
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
});

/**
 * A clock whose time only moves when told to: `advance(ms)`. `sleep` resolves when time is
 * advanced past its deadline. Handy for pure-async tests without a fake-timers install.
 */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(nowMs: number): void;
}

/** Creates a {@link ManualClock} starting at `startMs`. */
export function manualClock(startMs = 0): ManualClock {
  let now = startMs;
  let seq = 0;
  const sleepers = new Map<number, { at: number; resolve: () => void }>();
  const fire = (): void => {
    const due = [...sleepers.entries()].filter(([, s]) => s.at <= now).sort((a, b) => a[1].at - b[1].at || a[0] - b[0]);
    for (const [id, s] of due) {
      sleepers.delete(id);
      s.resolve();
    }
  };
  return {
    now: () => now,
    advance(ms) {
      now += ms;
      fire();
    },
    set(nowMs) {
      now = nowMs;
      fire();
    },
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const id = seq++;
        sleepers.set(id, { at: now + ms, resolve });
        signal?.addEventListener(
          'abort',
          () => {
            sleepers.delete(id);
            reject(signal.reason);
          },
          { once: true },
        );
        fire();
      });
    },
  };
}
