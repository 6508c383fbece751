/**
 * The Multispool (docs/multispool-protocol.md): several processes cooperating through one spool directory. Entries are
 * reserved in `.registry`, staged in `.tmp`, carry data in `.data`, and move between queue
 * directories and their `.checkout` directories by single renames. The exact step order is
 * `docs/multispool-protocol.md`.
 */
import { systemClock, type Clock } from '../io/clock.ts';
import { isVfsError, type Vfs, type VfsStat } from '../io/vfs.ts';
import { CheckedOutEntry } from './checked-out-entry.ts';
import { tryCheckoutEntry, type TryCheckoutResult } from './checkout.ts';
import type { SpoolContext } from './context.ts';
import { directAccess, type DirectAccess } from './direct.ts';
import { enqueueEntry, type EnqueueName } from './enqueue.ts';
import type { Entry } from './entry.ts';
import { SpoolError, vfsStep } from './errors.ts';
import { spoolLayout, validateName, type SpoolLayout } from './layout.ts';
import { listQueue } from './list.ts';
import { DEFAULT_MAX_RESERVE_ATTEMPTS, reserveName } from './names.ts';
import { openSpoolDir } from './open-spool.ts';
import { QueueReader, type QueueReaderOptions } from './queue-reader.ts';
import { NO_QUIRKS, type MultispoolQuirks } from './quirks.ts';
import type { NameGenerator, Spoolable } from './spoolable.ts';
import { readMetadata } from './steps.ts';
import { applyHandler, type EntryHandler } from './with-entry.ts';

/** Options of {@link Multispool.load}. */
export interface MultispoolOptions {
  /** Create the spool directory and every missing piece instead of failing with `missing`. Default false. */
  readonly createIfMissing?: boolean;
  /** Where touches get their time. Default `systemClock`. */
  readonly clock?: Clock;
  /** Name clashes `reserve` accepts before `namesExhausted`. Default 10,000. */
  readonly maxReserveAttempts?: number;
  /** Bugs to switch on (tests of the harness only). Default none. */
  readonly quirks?: MultispoolQuirks;
}

/** What `tryWithEntry` gives: f's result, or `notFound` when another holder won the race. */
export type TryWithEntryResult<R> = { readonly kind: 'ok'; readonly result: R } | { readonly kind: 'notFound' };

/** An open spool directory with queues `Q`, metadata `M` and data `D`. */
export class Multispool<Q extends string, M, D> {
  /** The spool directory `S`. */
  readonly dir: string;
  /** The spool's paths. */
  readonly layout: SpoolLayout<Q>;
  /** Direct access to queued entries, without checkout. */
  readonly direct: DirectAccess<Q, M>;
  readonly #ctx: SpoolContext<Q, M, D>;

  private constructor(ctx: SpoolContext<Q, M, D>) {
    this.#ctx = ctx;
    this.dir = ctx.layout.root;
    this.layout = ctx.layout;
    this.direct = directAccess(ctx);
  }

  /**
   * Opens spool directory `dir`: it must exist (or is created with `createIfMissing`), and either
   * look like a spool (`.registry` and `.tmp` are directories) or be empty (`notEmpty`); then each
   * of `.registry`, `.tmp`, `.data`, every queue directory and its `.checkout` is checked, or
   * created when `createIfMissing` (`missing`, `notADirectory`).
   */
  static async load<Q extends string, M, D>(
    vfs: Vfs,
    dir: string,
    spoolable: Spoolable<Q, M, D>,
    options: MultispoolOptions = {},
  ): Promise<Multispool<Q, M, D>> {
    await openSpoolDir(vfs, dir, spoolable, {
      createIfMissing: options.createIfMissing ?? false,
      // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      quirks: options.quirks ?? NO_QUIRKS,
    });
    return Multispool.loadUnsafe(vfs, dir, spoolable, options);
  }

  /** `load` with `createIfMissing: true`. */
  static create<Q extends string, M, D>(
    vfs: Vfs,
    dir: string,
    spoolable: Spoolable<Q, M, D>,
    options: Omit<MultispoolOptions, 'createIfMissing'> = {},
  ): Promise<Multispool<Q, M, D>> {
    return Multispool.load(vfs, dir, spoolable, { ...options, createIfMissing: true });
  }

  /** Opens `dir` as a spool without checking or touching anything (`createIfMissing` is ignored). */
  static loadUnsafe<Q extends string, M, D>(
    vfs: Vfs,
    dir: string,
    spoolable: Spoolable<Q, M, D>,
    options: MultispoolOptions = {},
  ): Multispool<Q, M, D> {
    return new Multispool({
      vfs,
      layout: spoolLayout(dir, spoolable),
      spoolable,
      clock: options.clock ?? systemClock,
      quirks: options.quirks ?? NO_QUIRKS,
      maxReserveAttempts: options.maxReserveAttempts ?? DEFAULT_MAX_RESERVE_ATTEMPTS,
    });
  }

  /**
   * Reserves a fresh name: for attempt 0, 1, ... exclusive create of `S/.registry/<gen.next(attempt)>`
   * until one succeeds; then touch it and fsync `.registry` (`invalidName`, `namesExhausted`).
   */
  reserve(gen: NameGenerator): Promise<string> {
    return reserveName(this.#ctx, gen);
  }

  /**
   * Adds an entry to `queue` with `metadata` and `data`, under a freshly reserved name or one
   * reserved before (`{use}`); see `enqueue.ts` for the steps. Resolves once it is durable.
   */
  enqueue(queue: Q, metadata: M, data: D, name: { readonly reserve: NameGenerator } | { readonly use: string }): Promise<Entry<Q>> {
    return enqueueEntry(this.#ctx, queue, metadata, data, name satisfies EnqueueName);
  }

  /** A handle on entry `name` of `queue`; checks nothing on disk (`invalidName` for a bad name). */
  entry(queue: Q, name: string): Entry<Q> {
    return { queue, name: validateName(name, 'entry name', this.#ctx.layout.queueDir(queue)) };
  }

  /** Stats the entry's registry file (`noSuchEntry` when missing). */
  stat(entry: Entry<Q>): Promise<VfsStat> {
    const path = this.#ctx.layout.registryFile(entry.name);
    return vfsStep('stat registry file', path, () => this.#ctx.vfs.stat(path), { ENOENT: 'noSuchEntry' });
  }

  /** The names queued in `queue`, in code-unit order, without `.checkout`. */
  list(queue: Q): Promise<string[]> {
    return listQueue(this.#ctx, queue);
  }

  /**
   * Checks the entry out: renameTouched(`S/q/name`, `S/q/.checkout/name`), then reads it.
   * `notFound` when it was not there (another holder won); `corrupt` leaves it checked out.
   */
  tryCheckout(entry: Entry<Q>): Promise<TryCheckoutResult<Q, M, D>> {
    return tryCheckoutEntry(this.#ctx, entry);
  }

  /** `tryCheckout`, with `notFound` turned into the error `entryDisappeared`. */
  async checkout(entry: Entry<Q>): Promise<CheckedOutEntry<Q, M, D>> {
    const attempt = await this.tryCheckout(entry);
    if (attempt.kind === 'notFound') {
      const path = this.#ctx.layout.queueFile(entry.queue, entry.name);
      throw new SpoolError('entryDisappeared', `entry ${entry.name} of queue ${entry.queue} disappeared before checkout (${path} is not there)`, {
        path,
      });
    }
    return attempt.entry;
  }

  /**
   * Checks the entry out (`entryDisappeared` on a lost race), calls `f(contents, dataFile)`, applies
   * its action (save into a queue, or remove) and returns its result. If `f` throws, the entry
   * stays checked out and the error propagates.
   */
  async withEntry<R>(entry: Entry<Q>, f: EntryHandler<Q, M, D, R>): Promise<R> {
    return applyHandler(await this.checkout(entry), f);
  }

  /** As {@link withEntry}, but a lost race gives `{kind: 'notFound'}` instead of an error. */
  async tryWithEntry<R>(entry: Entry<Q>, f: EntryHandler<Q, M, D, R>): Promise<TryWithEntryResult<R>> {
    const attempt = await this.tryCheckout(entry);
    if (attempt.kind === 'notFound') return attempt;
    return { kind: 'ok', result: await applyHandler(attempt.entry, f) };
  }

  /**
   * Every entry checked out of `queue` (names of `S/q/.checkout` in code-unit order), each read
   * into a new CheckedOutEntry. Breaks single ownership: for recovery only. A file that vanished
   * before it was read is skipped; one that cannot be decoded is a `corrupt` error. The single
   * place of quirk SEQ-8 (`listCheckoutsSkipsCorrupt`): an undecodable one is silently skipped.
   */
  async listCheckoutsUnsafe(queue: Q): Promise<CheckedOutEntry<Q, M, D>[]> {
    const ctx = this.#ctx;
    const dir = ctx.layout.checkoutDir(queue);
    const names = await vfsStep('list checkouts', dir, () => ctx.vfs.readdir(dir), { ENOENT: 'missing', ENOTDIR: 'notADirectory' });
    const entries: CheckedOutEntry<Q, M, D>[] = [];
    for (const name of names.sort()) {
      let contents: M;
      try {
        contents = await readMetadata(ctx, ctx.layout.checkoutFile(queue, name));
      } catch (err) {
        if (err instanceof SpoolError && err.kind === 'notFound' && isVfsError(err.cause, 'ENOENT')) continue;
        // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
        if (ctx.quirks.listCheckoutsSkipsCorrupt === true && err instanceof SpoolError && err.kind === 'corrupt') continue;
        throw err;
      }
      entries.push(new CheckedOutEntry(ctx, queue, name, contents));
    }
    return entries;
  }

  /** A reader of `queue` (see `queue-reader.ts`); close it when done. */
  queueReader(queue: Q, options: QueueReaderOptions = {}): QueueReader<Q, M, D> {
    return new QueueReader(this.#ctx, queue, options);
  }
}
