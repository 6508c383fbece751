/**
 * One call at a time per ring handle, as the original's per-end mutex: a handle's calls may be
 * made concurrently (a journal pushing while someone asks for the state), and each runs alone,
 * in the order they were made, so none works from control values another is changing.
 */
export class HandleLock {
  #tail: Promise<void> = Promise.resolve();

  /** Runs `f` once every earlier call has finished; `bypass` runs it at once (quirks RB-2, RB-3). */
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
