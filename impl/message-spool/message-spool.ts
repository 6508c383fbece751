/**
 * The SMTP message spool (docs/message-spool-protocol.md) on a multispool: messages in `active`, `frozen`, `removed` and
 * `quarantine`, delivered through an injected sender with retry intervals, changed only through
 * the with-file protocol, locked against a second live process. The exact contract, every step and
 * every difference from the original, is `docs/message-spool-protocol.md`.
 */
import { systemClock, type Clock } from '../io/clock.ts';
import { osProcesses, type ProcessProbe } from '../io/processes.ts';
import { isVfsError, type Vfs } from '../io/vfs.ts';
import { lexicographicTimeOrder, Multispool, SpoolError, type MultispoolQuirks, type NameGenerator } from '../multispool/index.ts';
import { disarm, pump } from './delivery.ts';
import { MessageSpoolError, type MessageSpoolErrorKind } from './errors.ts';
import type { MessageEvent } from './events.ts';
import { alwaysSendNow, type Presend, type Sender } from './hooks.ts';
import { acquireSpoolLock, type LockOptions, type SpoolLock } from './lock.ts';
import { NO_MESSAGE_SPOOL_QUIRKS, type MessageSpoolQuirks } from './quirks.ts';
import { MESSAGE_SPOOLABLE, queueOf, type MessageRecord, type Queue, type Status } from './record.ts';
import { newRuntime, scheduleByStatus, type BackgroundError, type Runtime } from './runtime.ts';
import { recoverAtStartup, type StartupReport } from './startup.ts';
import { withFile, type Change } from './with-file.ts';

/** The retry intervals a message gets when its envelope names none: 1 min, 5 min, 30 min. */
export const DEFAULT_RETRY_INTERVALS: readonly number[] = [60_000, 300_000, 1_800_000];

/** How many deliveries run at once until `setMaxConcurrentJobs` says otherwise. */
export const DEFAULT_MAX_CONCURRENT_JOBS = 100;

/** One message to spool: routing, body, and optionally its own retry intervals (ms). */
export interface Envelope {
  readonly sender: string;
  readonly recipients: readonly string[];
  readonly body: string;
  readonly retryIntervals?: readonly number[];
}

/** Options of {@link MessageSpool.open}. */
export interface MessageSpoolOptions {
  /** Delivers messages (required). */
  readonly sender: Sender;
  /** Asked before every attempt. Default: always send now. */
  readonly presend?: Presend;
  /** Time and timers. Default the system clock. */
  readonly clock?: Clock;
  /** This process and the liveness of others, for the lock. Default the operating system's. */
  readonly processes?: ProcessProbe;
  /** Message ids. Default lexicographic time order on the clock. */
  readonly names?: NameGenerator;
  /** Retry intervals of envelopes that name none. Default {@link DEFAULT_RETRY_INTERVALS}. */
  readonly retryIntervals?: readonly number[];
  /** Default {@link DEFAULT_MAX_CONCURRENT_JOBS}. */
  readonly maxConcurrentJobs?: number;
  /** Lock timing. */
  readonly lock?: LockOptions;
  /** Called with failures of background work (an attempt's I/O error, say). Default: ignored. */
  readonly onError?: (e: BackgroundError) => void;
  /** Bugs to switch on (tests of the harness only). */
  readonly quirks?: MessageSpoolQuirks;
  /** Bugs of the multispool underneath (tests of the harness only). */
  readonly multispoolQuirks?: MultispoolQuirks;
}

/** Which messages `send` concerns. */
export type SendWhich = { readonly all: true } | { readonly frozenOnly: true } | { readonly ids: readonly string[] };

/** How one id of a bulk operation went: `ok`, or the error kind. */
export interface IdResult {
  readonly id: string;
  readonly result: 'ok' | MessageSpoolErrorKind;
}

/** How `killAndFlush` ended. */
export type FlushOutcome = 'finished' | 'timeout';

function requireIntervals(caller: string, intervals: readonly number[]): void {
  if (!intervals.every((r) => Number.isFinite(r) && r >= 0)) {
    throw new MessageSpoolError('invalidArgument', `${caller}: retry intervals must be non-negative numbers of ms, got ${JSON.stringify(intervals)}`);
  }
}

/** An open message spool. Open it with {@link MessageSpool.open}; close it with {@link close}. */
export class MessageSpool {
  /** What startup found: messages put back from checkouts, files it could not read. */
  readonly startup: StartupReport;
  readonly #rt: Runtime;
  readonly #lock: SpoolLock | undefined;
  readonly #quirks: MessageSpoolQuirks;
  #closed = false;

  private constructor(rt: Runtime, lock: SpoolLock | undefined, startup: StartupReport, quirks: MessageSpoolQuirks) {
    this.#rt = rt;
    this.#lock = lock;
    this.startup = startup;
    this.#quirks = quirks;
  }

  /**
   * Opens (creating when missing) the spool in `dir`: lock it (`locked` if a live process holds
   * it), put back every checkout into the queue its status names, load active and frozen, and
   * schedule: sendNow at once, sendAt at its time, frozen never.
   */
  static async open(vfs: Vfs, dir: string, options: MessageSpoolOptions): Promise<MessageSpool> {
    const clock = options.clock ?? systemClock;
    const quirks = options.quirks ?? NO_MESSAGE_SPOOL_QUIRKS;
    const maxConcurrentJobs = options.maxConcurrentJobs ?? DEFAULT_MAX_CONCURRENT_JOBS;
    if (!Number.isInteger(maxConcurrentJobs) || maxConcurrentJobs < 1) {
      throw new MessageSpoolError('invalidArgument', `MessageSpool.open: maxConcurrentJobs must be an integer >= 1, got ${maxConcurrentJobs}`);
    }
    const defaultRetryIntervals = options.retryIntervals ?? DEFAULT_RETRY_INTERVALS;
    requireIntervals('MessageSpool.open', defaultRetryIntervals);
    let spool: Multispool<Queue, MessageRecord, string>;
    try {
      spool = await Multispool.create(vfs, dir, MESSAGE_SPOOLABLE, {
        clock,
        ...(options.multispoolQuirks === undefined ? {} : { quirks: options.multispoolQuirks }),
      });
    } catch (err) {
      if (err instanceof SpoolError) throw new MessageSpoolError('spool', `cannot open message spool ${dir}: ${err.message}`, { cause: err });
      throw err;
    }
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    const lock = quirks.noLock === true ? undefined : await acquireSpoolLock(vfs, dir, clock, options.processes ?? osProcesses, { ...options.lock, quirks });
    const rt = newRuntime({
      vfs,
      spool,
      clock,
      names: options.names ?? lexicographicTimeOrder(clock),
      presend: options.presend ?? alwaysSendNow,
      sender: options.sender,
      onError: options.onError ?? (() => undefined),
      defaultRetryIntervals,
      maxConcurrentJobs,
      quirks,
    });
    let startup: StartupReport;
    try {
      startup = await recoverAtStartup(rt, quirks);
    } catch (err) {
      await lock?.release();
      if (err instanceof SpoolError) throw new MessageSpoolError('spool', `cannot recover message spool ${dir}: ${err.message}`, { cause: err });
      throw err;
    }
    const opened = new MessageSpool(rt, lock, startup, quirks);
    pump(rt);
    return opened;
  }

  /**
   * The number of unsent messages on disk, without a running spool: entries of `active` and
   * `frozen` and of their `.checkout` directories (messages being sent count).
   */
  static async countFromDisk(vfs: Vfs, dir: string, options: { readonly quirks?: MessageSpoolQuirks } = {}): Promise<number> {
    const spool = await Multispool.load(vfs, dir, MESSAGE_SPOOLABLE);
    let count = 0;
    for (const queue of ['active', 'frozen'] as const) {
      count += (await spool.list(queue)).length;
      // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      if (options.quirks?.countSkipsCheckouts === true) continue;
      const checkouts = spool.layout.checkoutDir(queue);
      count += (await vfs.readdir(checkouts)).length;
    }
    return count;
  }

  /** Spools `envelopes` (one message each) as sendNow or frozen; returns their ids in order. */
  add(envelopes: readonly Envelope[], options: { readonly initialStatus?: 'sendNow' | 'frozen'; readonly parentId: string }): Promise<string[]> {
    const status: Status = { kind: options.initialStatus ?? 'sendNow' };
    return this.#spoolAll('add', envelopes, status, options.parentId);
  }

  /** Puts `envelopes` straight into quarantine for `reason` (not delivered, not kept in memory); returns their ids. */
  quarantine(reason: string, envelopes: readonly Envelope[], options: { readonly parentId: string }): Promise<string[]> {
    return this.#spoolAll('quarantine', envelopes, { kind: 'quarantined', reason }, options.parentId);
  }

  async #spoolAll(caller: string, envelopes: readonly Envelope[], status: Status, parentId: string): Promise<string[]> {
    const rt = this.#rt;
    for (const e of envelopes) requireIntervals(caller, e.retryIntervals ?? []);
    const queue = queueOf(status) as Queue;
    const names: string[] = [];
    try {
      for (let i = 0; i < envelopes.length; i++) names.push(await rt.spool.reserve(rt.names));
    } catch (err) {
      await this.#unreserve(names);
      throw this.#spoolFailure(caller, err);
    }
    for (const [i, envelope] of envelopes.entries()) {
      const id = names[i] as string;
      const now = rt.clock.now();
      const record: MessageRecord = {
        id,
        parentId,
        spoolDate: now,
        status,
        sender: envelope.sender,
        recipients: [...envelope.recipients],
        remainingRecipients: [...envelope.recipients],
        failedRecipients: [],
        retryIntervals: [...(envelope.retryIntervals ?? rt.defaultRetryIntervals)],
        attempts: 0,
      };
      try {
        await rt.spool.enqueue(queue, record, envelope.body, { use: id });
      } catch (err) {
        // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
        const rest = this.#quirks.unreserveSkipsOne === true ? i + 2 : i + 1;
        await this.#unreserve(names.slice(rest));
        throw this.#spoolFailure(`${caller} (messages ${names.slice(0, i).join(', ') || 'none'} were spooled before)`, err);
      }
      if (status.kind === 'quarantined') {
        rt.bus.emit({ kind: 'quarantined', id, at: now, reason: status.reason });
        continue;
      }
      rt.memory.set(id, record);
      rt.bus.emit({ kind: 'spooled', id, at: now });
      scheduleByStatus(rt, id, status, now);
    }
    pump(rt);
    return names;
  }

  /** Best-effort unlink of reserved names that were never used. */
  async #unreserve(names: readonly string[]): Promise<void> {
    const rt = this.#rt;
    for (const name of names) {
      try {
        await rt.vfs.unlink(rt.spool.layout.registryFile(name));
      } catch (err) {
        if (!isVfsError(err, 'ENOENT')) rt.onError({ id: name, during: 'unreserve', error: err });
      }
    }
  }

  #spoolFailure(caller: string, err: unknown): unknown {
    if (err instanceof SpoolError) return new MessageSpoolError('spool', `${caller}: ${err.message}`, { cause: err });
    return err;
  }

  #refuseIfKilled(caller: string): void {
    if (this.#rt.killed) throw new MessageSpoolError('killed', `${caller}: the spool is killed (killAndFlush was called)`);
  }

  /** Runs `one` for each id in order (each completely before the next), then pumps. */
  async #perId(ids: readonly string[], one: (id: string) => Promise<'ok' | MessageSpoolErrorKind>): Promise<IdResult[]> {
    const results: IdResult[] = [];
    for (const id of ids) results.push({ id, result: await one(id) });
    pump(this.#rt);
    return results;
  }

  /** withFile with `change`; on success `then(record)`; the result kind. */
  async #change(id: string, change: (r: MessageRecord) => Change, then: (r: MessageRecord | undefined) => void): Promise<'ok' | MessageSpoolErrorKind> {
    const done = await withFile(this.#rt, id, change);
    if (!done.ok) {
      if (done.error.kind === 'spool') this.#rt.onError({ id, during: 'withFile', error: done.error });
      return done.error.kind;
    }
    then(done.record);
    return 'ok';
  }

  /** Freezes each message (sendNow or sendAt -> frozen, into `frozen`): no attempt until it is sent again. */
  async freeze(ids: readonly string[]): Promise<IdResult[]> {
    this.#refuseIfKilled('freeze');
    const rt = this.#rt;
    return this.#perId(ids, async (id) => {
      const record = rt.memory.get(id);
      if (record === undefined) return 'notFound';
      if (record.status.kind === 'sending' || rt.busy.has(id)) return 'busy';
      if (record.status.kind === 'frozen') return 'ok';
      return this.#change(
        id,
        (r) => ({ save: { ...r, status: { kind: 'frozen' } } }),
        (saved) => {
          if (saved !== undefined) scheduleByStatus(rt, id, saved.status, rt.clock.now());
          rt.bus.emit({ kind: 'frozen', id, at: rt.clock.now() });
        },
      );
    });
  }

  /**
   * Sends frozen or delayed messages now: all of them, the frozen ones, or the ids given, with
   * `retryIntervals` put in front of each message's own and its failed recipients back to remaining.
   */
  async send(which: SendWhich, options: { readonly retryIntervals?: readonly number[] } = {}): Promise<IdResult[]> {
    this.#refuseIfKilled('send');
    const given = options.retryIntervals ?? [];
    requireIntervals('send', given);
    const rt = this.#rt;
    const ids =
      'ids' in which
        ? which.ids
        : [...rt.memory.values()]
            .filter((r) => r.status.kind === 'frozen' || (!('frozenOnly' in which) && r.status.kind === 'sendAt'))
            .map((r) => r.id)
            .sort();
    return this.#perId(ids, async (id) => {
      const record = rt.memory.get(id);
      if (record === undefined) return 'notFound';
      // Only frozen and delayed messages are sent again; for any other status nothing changes.
      if (record.status.kind !== 'frozen' && record.status.kind !== 'sendAt') return 'ok';
      const wasFrozen = record.status.kind === 'frozen';
      return this.#change(
        id,
        (r) => ({
          save: {
            ...r,
            status: { kind: 'sendNow' },
            retryIntervals: [...given, ...r.retryIntervals],
            // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
            ...(this.#quirks.sendKeepsFailedRecipients === true ? {} : { remainingRecipients: [...r.remainingRecipients, ...r.failedRecipients], failedRecipients: [] }),
          },
        }),
        (saved) => {
          if (saved !== undefined) scheduleByStatus(rt, id, saved.status, rt.clock.now());
          if (wasFrozen) rt.bus.emit({ kind: 'unfrozen', id, at: rt.clock.now() });
        },
      );
    });
  }

  /** Moves each frozen message to `removed` (not deleted; `recover` brings it back). */
  async remove(ids: readonly string[]): Promise<IdResult[]> {
    this.#refuseIfKilled('remove');
    const rt = this.#rt;
    return this.#perId(ids, async (id) => {
      const record = rt.memory.get(id);
      if (record === undefined) return 'notFound';
      if (rt.busy.has(id)) return 'busy';
      if (record.status.kind !== 'frozen') return 'notFrozen';
      return this.#change(
        id,
        (r) => ({ save: { ...r, status: { kind: 'removed' } } }),
        () => {
          rt.memory.delete(id);
          rt.bus.emit({ kind: 'removed', id, at: rt.clock.now() });
        },
      );
    });
  }

  /** Brings messages back from `removed` or `quarantine` as frozen (into `frozen`, and into memory). */
  async recover(info: { readonly ids: readonly string[]; readonly from: 'removed' | 'quarantine' }): Promise<IdResult[]> {
    this.#refuseIfKilled('recover');
    const rt = this.#rt;
    return this.#perId(info.ids, async (id) => {
      if (rt.memory.has(id) || rt.busy.has(id)) return 'busy';
      rt.busy.add(id);
      try {
        const attempt = await rt.spool.tryCheckout(rt.spool.entry(info.from, id));
        if (attempt.kind === 'notFound') return 'notFound';
        const record: MessageRecord = { ...attempt.entry.contents, status: { kind: 'frozen' } };
        attempt.entry.update(() => record);
        await attempt.entry.save('frozen');
        rt.memory.set(id, record);
        rt.bus.emit({ kind: 'recovered', id, at: rt.clock.now(), from: info.from });
        return 'ok';
      } catch (err) {
        if (!(err instanceof SpoolError)) throw err;
        rt.onError({ id, during: 'recover', error: err });
        return err.kind === 'invalidName' ? 'notFound' : 'spool';
      } finally {
        rt.busy.delete(id);
      }
    });
  }

  /**
   * Stops starting deliveries (for good) and waits for the running ones: `finished` once none
   * runs, or `timeout` after `timeoutMs` of the clock. Later freeze/send/remove/recover fail with
   * `killed`; frozen and waiting messages stay as they are.
   */
  killAndFlush(options: { readonly timeoutMs?: number } = {}): Promise<FlushOutcome> {
    const rt = this.#rt;
    rt.killed = true;
    disarm(rt);
    if (rt.running.length === 0) return Promise.resolve('finished');
    return new Promise<FlushOutcome>((resolve) => {
      const abort = new AbortController();
      rt.flushWaiters.push({
        finish: () => {
          abort.abort();
          resolve('finished');
        },
      });
      if (options.timeoutMs !== undefined) {
        rt.clock.sleep(options.timeoutMs, abort.signal).then(
          () => resolve('timeout'),
          () => undefined,
        );
      }
    });
  }

  /** From now on at most `n` deliveries start while others run (those running go on). */
  setMaxConcurrentJobs(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new MessageSpoolError('invalidArgument', `setMaxConcurrentJobs: n must be an integer >= 1, got ${n}`);
    this.#rt.maxConcurrentJobs = n;
    pump(this.#rt);
  }

  /** Every message the spool is responsible for, by id (the in-memory view, not a disk snapshot). */
  status(): MessageRecord[] {
    return [...this.#rt.memory.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The ids of the deliveries in flight, in start order. */
  running(): string[] {
    return [...this.#rt.running];
  }

  /** The number of unsent messages on disk (active, frozen, and those checked out of them). */
  countFromDisk(): Promise<number> {
    return MessageSpool.countFromDisk(this.#rt.vfs, this.#rt.spool.dir, { quirks: this.#quirks });
  }

  /** Calls `listener` with every later event; returns the unsubscribe function. */
  subscribe(listener: (event: MessageEvent) => void): () => void {
    return this.#rt.bus.subscribe(listener);
  }

  /** Kills and flushes (waiting for running deliveries), then releases the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.killAndFlush();
    await this.#lock?.release();
  }
}
