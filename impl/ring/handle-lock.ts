/**
 * One call at a time, in the order they were made, as the original's mutexes: each ring handle
 * has one (a journal pushing while someone asks for the state: none works from control values
 * another is changing), and so do the journal's pushes (none writes where another is writing).
 */
export class HandleLock {
  #tail: Promise<void> = Promise.resolve();

  /** Runs `f` once every earlier call has finished; `bypass` runs it at once (the buggy variants without the lock: RB-2, RB-3, JRN-8). */
  run<T>(f: () => Promise<T>, bypass = false): Promise<T> {
    if (bypass) return f();
    const result = this.#tail.then(f);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
