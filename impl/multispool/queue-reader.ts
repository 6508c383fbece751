/**
 * The queue reader (docs/multispool-protocol.md): takes entries out of one queue, waiting for change notifications
 * when it is empty. Notifications only say "something changed"; the listing is the truth, and
 * the reader drains pending notifications FIRST and lists SECOND, so an entry that arrives in
 * between is never missed (listing first is the catalogued race MS-3).
 */
import type { DirWatcher } from '../io/vfs.ts';
import type { CheckedOutEntry } from './checked-out-entry.ts';
import { tryCheckoutEntry } from './checkout.ts';
import type { SpoolContext } from './context.ts';
import { vfsStep } from './errors.ts';
import { listQueue } from './list.ts';
import { applyHandler, type EntryHandler } from './with-entry.ts';

/** Options of `spool.queueReader(q, options)`. */
export interface QueueReaderOptions {
  /**
   * Strict FIFO (the original's test mode): a pass over a listing ends at the greatest name the
   * preceding drain of notifications reported, even if the listing raced with newer enqueues.
   * Default false.
   */
  readonly strictFifo?: boolean;
}

/** What `dequeue` gives: a checked-out entry, or `stopped` once the signal aborted. */
export type DequeueResult<Q extends string, M, D> =
  | { readonly kind: 'checkedOut'; readonly entry: CheckedOutEntry<Q, M, D> }
  | { readonly kind: 'stopped' };

/** How to stop a waiting `dequeue` or `iter`. */
export interface StopOptions {
  /** Aborting it makes `dequeue` return `stopped` (and `iter` return). */
  readonly signal?: AbortSignal;
}

/** A reader of one queue of a spool. Not meant to be shared by concurrent callers. */
export class QueueReader<Q extends string, M, D> {
  /** The queue this reader takes entries from. */
  readonly queue: Q;
  readonly #ctx: SpoolContext<Q, M, D>;
  readonly #strictFifo: boolean;
  #cache: string[] = [];
  #watcher: Promise<DirWatcher> | undefined;
  #closed = false;

  /** Internal: made by `spool.queueReader(q, options)`. */
  constructor(ctx: SpoolContext<Q, M, D>, queue: Q, options: QueueReaderOptions = {}) {
    this.#ctx = ctx;
    this.queue = queue;
    this.#strictFifo = options.strictFifo ?? false;
  }

  /** The watcher on `S/q`, created on first use (before the first listing). */
  #watch(): Promise<DirWatcher> {
    if (this.#watcher === undefined) {
      const dir = this.#ctx.layout.queueDir(this.queue);
      this.#watcher = vfsStep('watch queue', dir, () => this.#ctx.vfs.watch(dir), { ENOENT: 'missing', ENOTDIR: 'notADirectory' });
      this.#watcher.catch(() => {
        this.#watcher = undefined;
      });
    }
    return this.#watcher;
  }

  /**
   * Refills the cache: drain the watcher, THEN list the queue. With `strictFifo`, the pass ends at
   * the greatest name the drain reported, when the listing holds it. The single place of quirk
   * MS-3 (`listBeforeDrain`): list first, drain second.
   */
  async #refresh(): Promise<void> {
    if (this.#closed) return;
    const watcher = await this.#watch();
    let drained: string[];
    let names: string[];
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    if (this.#ctx.quirks.listBeforeDrain === true) {
      names = await listQueue(this.#ctx, this.queue);
      drained = watcher.drain();
    } else {
      drained = watcher.drain();
      names = await listQueue(this.#ctx, this.queue);
    }
    if (this.#strictFifo && drained.length > 0) {
      const newest = drained.reduce((a, b) => (b > a ? b : a));
      const end = names.indexOf(newest);
      if (end >= 0) names = names.slice(0, end + 1);
    }
    this.#cache = names;
  }

  /**
   * Takes the next entry, waiting for one when the queue is empty: loop: signal aborted (or reader
   * closed) → `stopped`; cache empty → refresh; still empty → wait for a notification; else
   * tryCheckout the head, skipping entries that lost a checkout race. The single place of quirk
   * SEQ-7 (`emptyMeansStopped`): an empty queue gives `stopped` instead of a wait.
   */
  async dequeue(options: StopOptions = {}): Promise<DequeueResult<Q, M, D>> {
    const stopped = (): boolean => options.signal?.aborted === true || this.#closed;
    for (;;) {
      // Stryker disable next-line all: quirk selection (which buggy variant runs), not product behaviour
      const honoursStop = this.#ctx.quirks.stopCheckedOnlyOnRefresh !== true || this.#cache.length === 0;
      if (stopped() && honoursStop) return { kind: 'stopped' };
      if (this.#cache.length === 0) {
        await this.#refresh();
        if (stopped()) return { kind: 'stopped' };
      }
      const head = this.#cache.shift();
      if (head === undefined) {
        // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
        if (this.#ctx.quirks.emptyMeansStopped === true) return { kind: 'stopped' };
        await (await this.#watch()).wait(options.signal);
        continue;
      }
      const attempt = await tryCheckoutEntry(this.#ctx, { queue: this.queue, name: head });
      if (attempt.kind === 'checkedOut') return attempt;
    }
  }

  /**
   * Takes the first entry that can be checked out now: a fresh `list(q)`, then tryCheckout in
   * order. `undefined` when none could be. Never waits.
   */
  async dequeueAvailable(): Promise<CheckedOutEntry<Q, M, D> | undefined> {
    for (const name of await listQueue(this.#ctx, this.queue)) {
      const attempt = await tryCheckoutEntry(this.#ctx, { queue: this.queue, name });
      if (attempt.kind === 'checkedOut') return attempt.entry;
    }
    return undefined;
  }

  /**
   * Dequeues and handles entries until the signal aborts: each entry is given to `f` and its
   * action applied (as `withEntry`). If `f` throws, that entry stays checked out and the error
   * propagates (the iteration ends).
   */
  async iter<R>(f: EntryHandler<Q, M, D, R>, options: StopOptions = {}): Promise<void> {
    for (;;) {
      const next = await this.dequeue(options);
      if (next.kind === 'stopped') return;
      await applyHandler(next.entry, f);
    }
  }

  /**
   * One pass over what is queued now: one listing, then for each name tryCheckout and, when
   * checked out, `f` with its action applied. Returns f's results in order. Never waits.
   */
  async iterAvailable<R>(f: EntryHandler<Q, M, D, R>): Promise<R[]> {
    const results: R[] = [];
    for (const name of await listQueue(this.#ctx, this.queue)) {
      const attempt = await tryCheckoutEntry(this.#ctx, { queue: this.queue, name });
      if (attempt.kind === 'checkedOut') results.push(await applyHandler(attempt.entry, f));
    }
    return results;
  }

  /** Closes the watcher (a pending `dequeue` wakes up and returns `stopped`). Idempotent. */
  close(): void {
    this.#closed = true;
    const watcher = this.#watcher;
    this.#watcher = undefined;
    watcher?.then(
      (w) => w.close(),
      () => undefined, // the watcher never opened: nothing to close
    );
  }
}
