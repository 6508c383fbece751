/**
 * The journal (docs/journal-protocol.md): at-least-once, ordered operations on a block ring. `push` makes an op
 * durable in the ring and returns; a background loop folds what the ring holds into a batch, calls
 * `perform(batch)` in push order, and on success releases the batch from the ring. A batch that
 * fails (perform throws, returns an error, or the ring holds garbage) is retried after
 * `retryIntervalMs` and blocks every later op, so `perform` must be idempotent.
 *
 * Differences from the original (lib/journal.ml), each a catalogued bug of it:
 * - JB-1: an exception in perform or in decoding does not kill the loop; it is retried.
 * - JB-2: perform returning an error is retried, like one that throws.
 * - JB-3: the flush timer is not pushed back by every push (no starvation of `sync` under a steady
 *   stream): it starts at the first push after a batch and fires `flushIntervalMs` later.
 * - JB-4: pushes waiting for room when `shutdown` is called fail with an error instead of hanging.
 * Like the original (its mutex), one push at a time writes to the ring: concurrent pushes are
 * served in the order they were made (variant JRN-8 is a journal without that).
 * Time and timers come from the injected Clock only.
 */
import type { BlockDevice } from '../io/block-device.ts';
import type { Clock } from '../io/clock.ts';
import { Consumer, createRing, Producer, resultText, ringError, ringOk, type RingResult } from '../ring/index.ts';
import { HandleLock } from '../ring/handle-lock.ts';
import type { JournalQuirks } from './quirks.ts';
import type { RingQuirks } from '../ring/quirks.ts';
import { Wakeup } from './wakeup.ts';

/** How ops become ring items and back. `decode` throws on bytes it cannot read. */
export interface OpCodec<Op> {
  encode(op: Op): Uint8Array;
  decode(bytes: Uint8Array): Op;
}

/** What `perform` reports: done, or an error (the batch is retried later). */
export type PerformResult = { readonly kind: 'ok' } | { readonly kind: 'error'; readonly message: string };

/** Options of {@link Journal.start}. */
export interface JournalOptions<Op> {
  /** Names the ring in its debug lines. Default `unknown journal`. */
  readonly name?: string;
  readonly client?: string;
  /** How long after the first unflushed push a batch is performed. Default 0 (at once). */
  readonly flushIntervalMs?: number;
  /** How long after a failed batch it is tried again. Default 5,000. */
  readonly retryIntervalMs?: number;
  readonly codec: OpCodec<Op>;
  /** Applies a batch, in push order. May be called again with ops it already performed. */
  readonly perform: (batch: readonly Op[]) => Promise<PerformResult>;
  readonly clock: Clock;
  /** Told about every failed batch (for logs). */
  readonly onFailure?: (message: string) => void;
  /** Told when a push finds the ring full and forces the pending batch (for logs and traces). */
  readonly onRingFull?: () => void;
  /** Bugs to switch on (tests of the harness only). */
  readonly quirks?: JournalQuirks;
  /** Bugs of the ring beneath to switch on (tests of the harness only: a journal on a buggy ring). */
  readonly ringQuirks?: RingQuirks;
}

/** What `push` returns. */
export interface Waiter {
  /** Performs the pending batch now instead of at the end of the flush interval. */
  flush(): void;
  /** Resolves once this op has been performed (rejects if the journal shuts down first). */
  sync(): Promise<void>;
}

/** A running journal. */
export class Journal<Op> {
  readonly #producer: Producer;
  readonly #consumer: Consumer;
  readonly #options: JournalOptions<Op>;
  readonly #flushIntervalMs: number;
  readonly #retryIntervalMs: number;
  /** Something for the loop to look at: data, a flush request, room freed, or shutdown. */
  readonly #wake = new Wakeup();
  /** Room freed or ops performed: for pushes waiting for room and for sync waiters. */
  readonly #progress = new Wakeup();
  #dataAvailable = true;
  /** When the loop may perform the next batch (ms of the clock); Infinity when no push is pending. */
  #deadline = 0;
  /** Every op before this ring position has been performed. */
  #performed: number;
  #shuttingDown = false;
  #loop: Promise<void> | undefined;
  /** One push at a time: between a push's write and its advance, no other push may write at the same position. */
  readonly #pushLock = new HandleLock();
  /** Why the loop died (JB-1 only). */
  #loopError: unknown;

  private constructor(producer: Producer, consumer: Consumer, options: JournalOptions<Op>) {
    this.#producer = producer;
    this.#consumer = consumer;
    this.#options = options;
    this.#flushIntervalMs = options.flushIntervalMs ?? 0;
    this.#retryIntervalMs = options.retryIntervalMs ?? 5_000;
    this.#performed = consumer.position;
  }

  /**
   * Opens the journal on `device`: creates the ring if the device holds none, attaches both ends,
   * and starts the loop, which first replays whatever the ring still holds.
   */
  static async start<Op>(device: BlockDevice, options: JournalOptions<Op>): Promise<RingResult<Journal<Op>>> {
    const created = await createRing(device);
    if (created.kind !== 'ok') return created;
    const user = { queue: options.name ?? 'unknown journal', client: options.client ?? 'unknown', quirks: options.ringQuirks ?? {} };
    const consumer = await Consumer.attach(device, user);
    if (consumer.kind !== 'ok') return consumer;
    const producer = await Producer.attach(device, user);
    if (producer.kind !== 'ok') return producer;
    const journal = new Journal(producer.value, consumer.value, options);
    journal.#loop = journal.#run();
    return ringOk(journal);
  }

  /** Every op pushed before this position has been performed. */
  get performedPosition(): number {
    return this.#performed;
  }

  /**
   * Makes `op` durable in the ring. Waits (forcing a flush) while the ring is full; fails with
   * `suspended` if the ring is suspended, and with an error once shutdown has begun.
   */
  push(op: Op): Promise<RingResult<Waiter>> {
    const item = this.#options.codec.encode(op);
    // Stryker disable next-line all: quirk selection (which buggy variant runs), not product behaviour
    return this.#pushLock.run(() => this.#pushAlone(item), this.#options.quirks?.pushesNotSerialized === true);
  }

  /** Pushes and publishes one item, alone: no other push writes to the ring meanwhile. */
  async #pushAlone(item: Uint8Array): Promise<RingResult<Waiter>> {
    for (;;) {
      if (this.#shuttingDown) return ringError('detached', 'journal push: the journal is shutting down');
      // Stryker disable next-line all: only reachable with quirk JB-1 (the loop dies), a deliberate bug of a buggy variant
      if (this.#loopError !== undefined) return ringError('io', `journal push: the journal loop died: ${describe(this.#loopError)}`);
      // Listen before looking, so a release while we look is not missed (quirk JRN-9 listens after).
      // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      let progressed = this.#options.quirks?.progressListenedLate === true ? undefined : this.#progress.next();
      const pushed = await this.#producer.push(item);
      // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      progressed ??= this.#progress.next();
      if (pushed.kind === 'retry') {
        // Full: perform what is there now, and wait until it is released.
        this.#options.onRingFull?.();
        // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
        if (this.#options.quirks?.fullRingWaitsForInterval !== true) this.#deadline = 0;
        this.#wake.fire();
        await progressed;
        continue;
      }
      if (pushed.kind !== 'ok') return pushed;
      const advanced = await this.#producer.advance(pushed.value);
      // Even when the advance failed, the op may be published (the failure came after the producer
      // position was written): the loop looks all the same, so it is not left in the ring until
      // the next push.
      // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      if (advanced.kind !== 'ok' && this.#options.quirks?.failedPushLeavesLoopAsleep === true) return advanced;
      this.#dataPushed();
      if (advanced.kind !== 'ok') return advanced;
      const position = pushed.value;
      return ringOk({
        flush: () => {
          this.#deadline = 0;
          this.#wake.fire();
        },
        sync: () => this.#syncTo(position),
      });
    }
  }

  /** Tells the loop there is data: due at the end of the flush interval, counted from the first push since the last batch. */
  #dataPushed(): void {
    this.#dataAvailable = true;
    if (this.#deadline === Infinity) this.#deadline = this.#options.clock.now() + this.#flushIntervalMs;
    this.#wake.fire();
  }

  async #syncTo(position: number): Promise<void> {
    for (;;) {
      // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      if (this.#options.quirks?.syncWaitsPastPosition === true ? this.#performed > position : this.#performed >= position) return;
      if (this.#shuttingDown) throw new Error(`journal sync: the journal shut down before position ${position} was performed`);
      // Stryker disable next-line all: only reachable with quirk JB-1 (the loop dies), a deliberate bug of a buggy variant
      if (this.#loopError !== undefined) throw new Error(`journal sync: the journal loop died: ${describe(this.#loopError)}`);
      await this.#progress.next();
    }
  }

  /** Stops the loop (after the batch in progress), wakes every waiter, detaches both ends. */
  async shutdown(): Promise<void> {
    this.#shuttingDown = true;
    this.#wake.fire();
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    if (this.#options.quirks?.shutdownWakesNoWaiters !== true) this.#progress.fire();
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    if (this.#options.quirks?.shutdownReturnsAtOnce !== true) await this.#loop;
    this.#producer.detach();
    this.#consumer.detach();
  }

  /** The background loop. */
  async #run(): Promise<void> {
    const { clock } = this.#options;
    try {
      while (!this.#shuttingDown) {
        const woken = this.#wake.next();
        if (!this.#dataAvailable) {
          await woken;
          continue;
        }
        const wait = this.#deadline - clock.now();
        if (wait > 0) {
          const abort = new AbortController();
          await Promise.race([woken, clock.sleep(wait, abort.signal).catch(() => undefined)]);
          abort.abort();
          continue;
        }
        await this.#performBatch();
      }
      // Stryker disable all: only reachable with quirk JB-1 (the loop dies, as the original's does)
    } catch (err) {
      this.#loopError = err;
      this.#progress.fire();
    }
    // Stryker restore all
  }

  /** Folds the ring into a batch, performs it, and releases it on success. */
  async #performBatch(): Promise<void> {
    this.#deadline = Infinity;
    this.#dataAvailable = false;
    const quirks = this.#options.quirks ?? {};
    const folded = await this.#consumer.fold<Uint8Array[]>((item, acc) => [...acc, item], { init: [] });
    if (folded.kind !== 'ok') {
      const message = `reading the journal ring: ${resultText(folded)}`;
      // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      if (quirks.ringErrorNotRetried === true) this.#options.onFailure?.(message);
      else this.#failed(message);
      return;
    }
    const { position, value: items } = folded.value;
    if (items.length === 0) return;
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    if (quirks.releaseBeforePerform === true) await this.#consumer.advance(position);
    let outcome: PerformResult;
    try {
      const batch = items.map((bytes) => this.#options.codec.decode(bytes));
      outcome = await this.#options.perform(batch);
    } catch (err) {
      // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      if (quirks.loopDiesOnException === true) throw err;
      outcome = { kind: 'error', message: `perform or decode threw: ${describe(err)}` };
    }
    if (outcome.kind === 'error') {
      // Stryker disable all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      if (quirks.errorResultNotRetried === true) {
        this.#options.onFailure?.(outcome.message);
        return;
      }
      // Stryker restore all
      this.#failed(outcome.message);
      return;
    }
    const advanced = await this.#consumer.advance(position);
    if (advanced.kind !== 'ok') {
      this.#failed(`releasing the performed batch: ${resultText(advanced)}`);
      return;
    }
    this.#performed = position;
    this.#progress.fire();
  }

  /** A failed batch: tell, and try again after the retry interval. */
  #failed(message: string): void {
    this.#options.onFailure?.(message);
    this.#dataAvailable = true;
    this.#deadline = this.#options.clock.now() + this.#retryIntervalMs;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
