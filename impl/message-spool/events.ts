/**
 * The event stream (docs/message-spool-protocol.md `eventStream`): what happened to which message, and when.
 */

/** One event; `at` is the clock time the change was saved (the spool date for `spooled`). */
export type MessageEvent =
  | { readonly kind: 'spooled' | 'delivered' | 'frozen' | 'removed' | 'unfrozen'; readonly id: string; readonly at: number }
  | { readonly kind: 'delayed'; readonly id: string; readonly at: number; readonly until: number }
  | { readonly kind: 'recovered'; readonly id: string; readonly at: number; readonly from: 'removed' | 'quarantine' }
  | { readonly kind: 'quarantined'; readonly id: string; readonly at: number; readonly reason: string };

/** Fan-out of events to subscribers, synchronously, in order. */
export class EventBus {
  readonly #listeners = new Set<(event: MessageEvent) => void>();

  /** Calls `listener` with every later event; returns the unsubscribe function. */
  subscribe(listener: (event: MessageEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Delivers `event` to every subscriber (a throwing subscriber does not stop the others). */
  emit(event: MessageEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A subscriber's failure is its own; the spool goes on.
      }
    }
  }
}
