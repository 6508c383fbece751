/**
 * The Monitor (docs/multispool-protocol.md): checks a spool from outside (`fsck`), and as a daemon raises an alert
 * for a problem seen in more than `alertAfterCycles` consecutive checks, and ends it once the
 * problem is gone.
 */
import { systemClock, type Clock } from '../io/clock.ts';
import type { Vfs } from '../io/vfs.ts';
import type { SpoolContext } from './context.ts';
import { fsck } from './fsck.ts';
import { spoolLayout } from './layout.ts';
import { DEFAULT_MAX_RESERVE_ATTEMPTS } from './names.ts';
import { openSpoolDir } from './open-spool.ts';
import { DEFAULT_MONITOR_LIMITS, problemKey, type MonitorLimits, type Problem } from './problems.ts';
import type { MultispoolQuirks } from './quirks.ts';
import type { Spoolable } from './spoolable.ts';

/** Options of {@link Monitor.open}. */
export interface MonitorOptions<Q extends string> {
  /** Age limits; each missing one takes its default (see {@link MonitorLimits}). */
  readonly limits?: Partial<MonitorLimits<Q>>;
  /** Where `runOnce` and the daemon get the time and sleep. Default `systemClock`. */
  readonly clock?: Clock;
  /**
   * Accepted so that one option bag serves a Multispool and its Monitor. Only the Monitor's own
   * quirks (SEQ-5 `inclusiveAgeLimit`, SEQ-6 `alertOneCycleEarly`) change what it does.
   */
  readonly quirks?: MultispoolQuirks;
}

/** An alert event: a problem became public (`start`) or stopped being public (`end`), at check time `at`. */
export interface MonitorEvent<Q extends string> {
  readonly kind: 'start' | 'end';
  readonly at: number;
  readonly problem: Problem<Q>;
}

/** Options of {@link Monitor.startDaemon}. */
export interface DaemonOptions<Q extends string> {
  /** Time between checks, in ms of the clock. Default 15,000. The first check runs at once. */
  readonly checkEveryMs?: number;
  /** A problem alerts once seen in more than this many consecutive checks. Default 2. */
  readonly alertAfterCycles?: number;
  /** Receives every event: for each check, `end`s first, then `start`s. */
  readonly onEvent: (event: MonitorEvent<Q>) => void;
  /** Receives a failed check (which then counts as no check at all). Default: ignored. */
  readonly onError?: (error: unknown) => void;
  /** Called after each completed check, once its events were delivered, with its time and problems. */
  readonly onCheck?: (at: number, problems: readonly Problem<Q>[]) => void;
}

/** A running daemon. */
export interface MonitorDaemon {
  /** Stops the daemon and resolves once its loop has ended (rejects if `onEvent` threw). */
  stop(): Promise<void>;
}

/** The daemon's memory between checks: each problem of the last check with its count, and the public ones. */
interface AlertState<Q extends string> {
  readonly counts: ReadonlyMap<string, { readonly problem: Problem<Q>; readonly count: number }>;
  readonly alerting: ReadonlyMap<string, Problem<Q>>;
}

/**
 * Folds one check into the alert state: count = previous count (0 if absent) + 1, only problems of
 * this check survive, public = count > `alertAfterCycles` (quirk SEQ-6: >=). Events: `end` for old public minus new
 * (old order), then `start` for new minus old (this check's order).
 */
function foldCheck<Q extends string>(
  state: AlertState<Q>,
  problems: readonly Problem<Q>[],
  now: number,
  alertAfterCycles: number,
  oneCycleEarly: boolean,
): { state: AlertState<Q>; events: MonitorEvent<Q>[] } {
  const counts = new Map<string, { problem: Problem<Q>; count: number }>();
  for (const problem of problems) {
    const key = problemKey(problem);
    if (!counts.has(key)) counts.set(key, { problem, count: (state.counts.get(key)?.count ?? 0) + 1 });
  }
  const alerting = new Map<string, Problem<Q>>();
  for (const [key, { problem, count }] of counts) {
    if (count > alertAfterCycles) alerting.set(key, problem);
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    if (oneCycleEarly && count === alertAfterCycles) alerting.set(key, problem);
  }
  const events: MonitorEvent<Q>[] = [];
  for (const [key, problem] of state.alerting) if (!alerting.has(key)) events.push({ kind: 'end', at: now, problem });
  for (const [key, problem] of alerting) if (!state.alerting.has(key)) events.push({ kind: 'start', at: now, problem });
  return { state: { counts, alerting }, events };
}

/** Checks one spool directory; opened with {@link Monitor.open}. */
export class Monitor<Q extends string, M, D> {
  /** The limits in force (defaults filled in). */
  readonly limits: MonitorLimits<Q>;
  readonly #ctx: SpoolContext<Q, M, D>;

  private constructor(ctx: SpoolContext<Q, M, D>, limits: MonitorLimits<Q>) {
    this.#ctx = ctx;
    this.limits = limits;
  }

  /**
   * Opens a Monitor on spool directory `dir`, validating it like `Multispool.load` without
   * creating anything (`missing`, `notADirectory`, `notEmpty`).
   */
  static async open<Q extends string, M, D>(
    vfs: Vfs,
    dir: string,
    spoolable: Spoolable<Q, M, D>,
    options: MonitorOptions<Q> = {},
  ): Promise<Monitor<Q, M, D>> {
    await openSpoolDir(vfs, dir, spoolable, {
      createIfMissing: false,
      // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      ...(options.quirks === undefined ? {} : { quirks: options.quirks }),
    });
    const limits: MonitorLimits<Q> = {
      maxTmpFileAgeMs: options.limits?.maxTmpFileAgeMs ?? DEFAULT_MONITOR_LIMITS.maxTmpFileAgeMs,
      maxCheckedOutAgeMs: options.limits?.maxCheckedOutAgeMs ?? DEFAULT_MONITOR_LIMITS.maxCheckedOutAgeMs,
      maxQueueAgesMs: options.limits?.maxQueueAgesMs ?? new Map<Q, number>(),
    };
    const ctx: SpoolContext<Q, M, D> = {
      vfs,
      layout: spoolLayout(dir, spoolable),
      spoolable,
      clock: options.clock ?? systemClock,
      quirks: options.quirks ?? {},
      maxReserveAttempts: DEFAULT_MAX_RESERVE_ATTEMPTS,
    };
    return new Monitor(ctx, limits);
  }

  /** Every Problem of the spool as of time `now` (see `fsck.ts` for the order). */
  fsck(now: number): Promise<Problem<Q>[]> {
    return fsck(this.#ctx, this.limits, now);
  }

  /** `fsck(clock.now())`. */
  runOnce(): Promise<Problem<Q>[]> {
    return this.fsck(this.#ctx.clock.now());
  }

  /**
   * Starts checking every `checkEveryMs` (first check at once, then `clock.sleep` between checks)
   * and reports alert events to `onEvent`. `stop()` aborts the sleep and waits for the loop.
   */
  startDaemon(options: DaemonOptions<Q>): MonitorDaemon {
    const checkEveryMs = options.checkEveryMs ?? 15_000;
    const alertAfterCycles = options.alertAfterCycles ?? 2;
    const clock = this.#ctx.clock;
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    const oneCycleEarly = this.#ctx.quirks.alertOneCycleEarly === true;
    const controller = new AbortController();
    const { signal } = controller;
    const loop = async (): Promise<void> => {
      let state: AlertState<Q> = { counts: new Map(), alerting: new Map() };
      while (!signal.aborted) {
        const now = clock.now();
        let problems: Problem<Q>[] | undefined;
        try {
          problems = await this.fsck(now);
        } catch (err) {
          options.onError?.(err);
        }
        if (signal.aborted) return;
        if (problems !== undefined) {
          const folded = foldCheck(state, problems, now, alertAfterCycles, oneCycleEarly);
          state = folded.state;
          for (const event of folded.events) options.onEvent(event);
          options.onCheck?.(now, problems);
        }
        try {
          await clock.sleep(checkEveryMs, signal);
        } catch (err) {
          if (signal.aborted) return;
          throw err;
        }
      }
    };
    const running = loop();
    // Keep a failure for stop() instead of an unhandled rejection.
    const settled = running.then(
      () => undefined,
      (err: unknown) => ({ err }),
    );
    return {
      async stop(): Promise<void> {
        controller.abort();
        const outcome = await settled;
        if (outcome !== undefined) throw outcome.err;
      },
    };
  }
}
