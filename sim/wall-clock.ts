/**
 * The wall clock, for code that reads it itself: npm packages read the global `Date` (a lock
 * judges a lock file's age by it), not an injected Clock. `withFrozenWallClock(at, f)`
 * runs `f` with the global `Date` showing `at` and standing still (@sinonjs/fake-timers, faking
 * `Date` alone: timers, setImmediate and the rest stay real), so such code sees the simulated
 * disk's time and every run replays exactly.
 *
 * Fault contract, in plain words: none is injected; only the time `Date` shows is chosen. The
 * real `Date` is back when `f` settles, whatever it does.
 */
import FakeTimers from '@sinonjs/fake-timers';

/** Runs `f` with `Date` frozen at `atMs` (ms since the epoch). */
export async function withFrozenWallClock<T>(atMs: number, f: () => Promise<T>): Promise<T> {
  const fake = FakeTimers.withGlobal(globalThis).install({ now: atMs, toFake: ['Date'] });
  try {
    return await f();
  } finally {
    fake.uninstall();
  }
}
