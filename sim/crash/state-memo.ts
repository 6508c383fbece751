/**
 * A bounded memo for facts about crash states: many crash states (of one workload, and of
 * workloads that share a prefix) leave the same disk, and what a checker learns from a disk alone
 * (reopening it, running a monitor, draining it) need be learnt once per distinct disk. Keys are
 * the explorer's image keys (`CrashState.imageKey`), prefixed by whatever else the facts depend on
 * (the implementation's quirks). Holds at most `limit` entries; past it the oldest are forgotten,
 * which costs only a recomputation.
 *
 * Fault contract, in plain words: none; a cache in front of a deterministic computation. A hit
 * gives exactly what computing again would (the caller's computation must depend on the key
 * alone), so verdicts never depend on what the memo holds.
 */

/** Facts of type `V` by key, computed on first use. */
export class StateMemo<V> {
  private readonly entries = new Map<string, V>();
  /** Lookups answered from the memo. */
  hits = 0;
  /** Lookups that computed. */
  misses = 0;

  constructor(readonly limit = 20_000) {}

  /** The facts for `key`, computing them with `compute` when they are not held. */
  async get(key: string, compute: () => V | Promise<V>): Promise<V> {
    const held = this.lookup(key);
    return held !== undefined ? held : this.keep(key, await compute());
  }

  /** {@link get} for a computation that needs no waiting. */
  getSync(key: string, compute: () => V): V {
    const held = this.lookup(key);
    return held !== undefined ? held : this.keep(key, compute());
  }

  private lookup(key: string): V | undefined {
    const held = this.entries.get(key);
    if (held !== undefined) this.hits++;
    else this.misses++;
    return held;
  }

  private keep(key: string, value: V): V {
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
    return value;
  }
}
