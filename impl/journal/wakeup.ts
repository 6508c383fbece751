/**
 * A broadcast wake-up: `next()` gives a promise that resolves at the next `fire()`. Take the
 * promise BEFORE looking at the state it guards, so a fire in between is not missed.
 */
export class Wakeup {
  #waiters: Array<() => void> = [];

  /** Resolves at the next {@link fire}. */
  next(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Resolves every promise handed out by {@link next} so far. */
  fire(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
