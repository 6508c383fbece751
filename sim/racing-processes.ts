/**
 * Racing processes: simulated processes (`processes.ts`) whose every call is an interleaving
 * point of ONE fast-check scheduler, and each of which can be killed (kill -9) at a point
 * fast-check chooses. `racingProcesses` builds the processes; `racingVolume` also gives them one
 * shared memfs volume and a manual clock, which is what racing file-system clients need.
 *
 * Fault contract, in plain words:
 * - Interleaving: while `racing` is true, each call of a process's views (Vfs, BlockDevice, clock
 *   sleeps) waits for the scheduler twice: before it starts, and after it finished but before
 *   the process sees its result. Nothing else is reordered: a call runs whole, on the shared
 *   disk, exactly as the wrapped adapter runs it. While `racing` is false (set-up, inspection)
 *   calls go straight through and are not counted.
 * - Kills: a process spawned with `killAt: n` is killed when it reaches its interleaving point
 *   number n (0 is its first), with `processes.ts`'s kill: at a "before" point the call never
 *   starts, at an "after" point the call was carried out (its outcome is in the timeline) and the
 *   process never sees it; from then on it does nothing. Nothing else is injected: no power loss
 *   (every carried-out call stays carried out), no I/O errors, no torn writes.
 * - Why a count of the process's own interleaving points, and not a `kill` task on the scheduler:
 *   a process that waits at an interleaving point does nothing anyone can see, so dying at its
 *   n-th point is, for every other process, the same as dying at any moment between its points
 *   n-1 and n: the count reaches every kill point a scheduled task could, but it always falls at
 *   a point where the timeline says exactly which calls reached the disk (a scheduled task can
 *   fire while a call is half-way through its promise chain, whose outcome nobody then knows),
 *   it shrinks towards "earlier" (and, as an option, towards "no kill"), and it adds no tasks
 *   to the scheduler.
 * - Stalls: a process spawned with `stall` waits `stall(what)` more turns of the scheduler at its
 *   point `what` (before the turn it always waits), so everything else running gets that many
 *   more chances to go first. A uniform choice among pending points lets one call fall k steps
 *   behind another with odds 2^-k; a stall reaches such deep delays (one caller's look at a
 *   sector spanning another caller's whole operation) in a few runs. The caller of `spawn`
 *   decides what is slow (a sector, a file, one caller of a shared handle). A stall only waits:
 *   the call runs whole, as at any other point, and kills count points, not turns.
 * - The manual clock of `racingVolume` only moves when the test says so; a process's sleeps on
 *   it (through `process.clock`) never wake once the process is dead.
 *
 * Interleavings come from `seededScheduler(seed)` with the seed drawn by `interleavingSeedArb`,
 * rather than from `fc.scheduler()` directly: in fast-check 4 every clone of one generated
 * scheduler continues ONE random stream (the clone reuses its original's task selector, which
 * draws from a snapshot it shares with every other clone), so a counterexample run twice (once
 * while shrinking, once more from its replay path) can take two different interleavings and the
 * replay then does not fail. A fresh scheduler built from a seed in the counterexample makes
 * every run a function of its arguments, so `--seed S --path P` replays it exactly.
 */
import fc from 'fast-check';
import type { Volume } from 'memfs';
import { manualClock, type ManualClock } from '../impl/io/clock.ts';
import { memfsVfs, newVolume } from '../impl/io/memfs-vfs.ts';
import type { Vfs } from '../impl/io/vfs.ts';
import { processTable, type ProcessTable, type SimProcess } from './processes.ts';
import { settleScheduler } from './scheduled-vfs.ts';

/** The seed of a race's interleaving: any 32-bit integer, never shrunk (shrinking it would only pick another random interleaving). */
export const interleavingSeedArb: fc.Arbitrary<number> = fc.noShrink(fc.integer());

/** A fresh fast-check scheduler whose choices are a pure function of `seed`. */
export function seededScheduler(seed: number): fc.Scheduler {
  const [scheduler] = fc.sample(fc.scheduler(), { seed, numRuns: 1 });
  if (scheduler === undefined) throw new Error('seededScheduler: fast-check gave no scheduler');
  return scheduler;
}

/** Options of one racing process. */
export interface RacerOptions {
  /** Kill the process when it reaches this interleaving point (0 = its first). Default: never. */
  readonly killAt?: number;
  /** Extra scheduler turns its point `what` waits (see the fault contract). Default none. */
  readonly stall?: (what: string) => number;
}

/** One racing process. */
export interface Racer {
  /** Its name (the scheduler's labels start with it). */
  readonly name: string;
  /** The simulated process: its views, its timeline, `alive`, `kill()`. */
  readonly process: SimProcess;
  /** The interleaving point it is to be killed at, if any. */
  readonly killAt: number | undefined;
  /** How many interleaving points it has reached so far (while racing). */
  points(): number;
}

/** Racing processes interleaved by one scheduler. */
export interface RacingProcesses {
  /** The scheduler every interleaving point waits for. */
  readonly scheduler: fc.Scheduler;
  /** The process table (liveness, timelines). */
  readonly table: ProcessTable;
  /** While false, calls go straight through, uncounted (set-up, inspection). Starts false. */
  racing: boolean;
  /** Starts a racing process. */
  spawn(name: string, options?: RacerOptions): Racer;
  /** Runs every scheduled point until none is pending and every promise chain has moved on. */
  settle(): Promise<void>;
  /**
   * What happened, for a failure report: every process's timeline interleaved in global order
   * (`processTable().describe()`), then the scheduler's report of the exact interleaving (every
   * point in the order the scheduler released it, then the ones still pending). Long parts are
   * cut at `maxLines` lines each (default 600); the scheduler's full report is also what
   * fast-check prints as the counterexample.
   */
  report(maxLines?: number): string;
}

/** Creates racing processes on `scheduler` (no process yet, `racing` false). */
export function racingProcesses(scheduler: fc.Scheduler): RacingProcesses {
  const table = processTable();
  const self: RacingProcesses = {
    scheduler,
    table,
    racing: false,
    spawn(name, options = {}) {
      let points = 0;
      let process: SimProcess | undefined;
      const interleave = async (what: string): Promise<void> => {
        if (!self.racing) return;
        const point = points++;
        if (options.killAt !== undefined && point >= options.killAt) {
          process?.kill();
          return;
        }
        await scheduler.schedule(Promise.resolve(), `${name} ${what}`);
        const stall = options.stall?.(what) ?? 0;
        for (let turn = 1; turn <= stall; turn++) await scheduler.schedule(Promise.resolve(), `${name} ${what} (stalled, turn ${turn} of ${stall})`);
      };
      process = table.spawn(name, { interleave });
      return { name, process, killAt: options.killAt, points: () => points };
    },
    settle: () => settleScheduler(scheduler),
    report(maxLines = 600) {
      const cut = (lines: readonly string[]): string[] =>
        lines.length <= maxLines ? [...lines] : [...lines.slice(0, maxLines), `  ... (${lines.length - maxLines} more)`];
      const timelines = table.describe().map((l) => `  ${l}`);
      const tasks = scheduler.report().map((t, i) => `  ${i + 1}. ${t.label} ${t.status}`);
      return [
        'Per-process timelines, in global order (a call is listed when it reached the disk):',
        ...cut(timelines),
        `Interleaving chosen by the scheduler (${tasks.length} points, in the order they ran):`,
        ...cut(tasks),
      ].join('\n');
    },
  };
  return self;
}

/** A racing process with its view of the shared volume. */
export interface VolumeRacer extends Racer {
  /** Its view of the shared volume: scheduled and killable. */
  readonly vfs: Vfs;
}

/** Racing processes sharing one memfs volume and one manual clock. */
export interface RacingVolume extends RacingProcesses {
  /** The shared volume. */
  readonly volume: InstanceType<typeof Volume>;
  /** The shared clock: modification times are stamped from it; it moves only when told. */
  readonly clock: ManualClock;
  /** A view of the volume outside every process: never scheduled, never killed (set-up, inspection). */
  readonly inspect: Vfs;
  /** Starts a racing process with its own view of the volume. */
  spawn(name: string, options?: RacerOptions): VolumeRacer;
}

/** Options of {@link racingVolume}. */
export interface RacingVolumeOptions {
  /** The clock's start, in ms since the epoch. Default 0. */
  readonly startMs?: number;
}

/** Creates an empty memfs volume, a manual clock, and racing processes on `scheduler` that share them. */
export function racingVolume(scheduler: fc.Scheduler, options: RacingVolumeOptions = {}): RacingVolume {
  const processes = racingProcesses(scheduler);
  const volume = newVolume();
  const clock = manualClock(options.startMs ?? 0);
  const inspect = memfsVfs({ volume, clock, description: 'memfs (inspection)' });
  const self: RacingVolume = {
    scheduler,
    table: processes.table,
    get racing() {
      return processes.racing;
    },
    set racing(on: boolean) {
      processes.racing = on;
    },
    volume,
    clock,
    inspect,
    spawn(name, racerOptions = {}) {
      const racer = processes.spawn(name, racerOptions);
      return { ...racer, points: racer.points, vfs: racer.process.vfs(memfsVfs({ volume, clock })) };
    },
    settle: () => processes.settle(),
    report: (maxLines) => processes.report(maxLines),
  };
  return self;
}
