/** `spoolcheck run`: runs property suites and prints a summary table. */
import { availableParallelism } from 'node:os';
import { PROPERTIES, suiteNames } from './suites.ts';
import type { PropertyDef, PropertyOutcome } from '../properties/suite.ts';
import { runSuites } from './run-suites.ts';
import type { Variant } from '../properties/variants.ts';
import { capabilitiesOf, missingCapabilities } from '../targets/target.ts';
import { chooseTarget } from './load-target.ts';
import { UsageError, type Output } from './output.ts';
import { explainExit, formatMs, printRecord, verdictOf, type RunRecord } from './run-report.ts';
import { writeReports } from './write-reports.ts';
import { LiveProgress } from './live-progress.ts';
import { writeCounterexamplePages } from './html-report.ts';

/** The parsed options of `spoolcheck run`. */
export interface RunOptions {
  readonly seed: number;
  readonly suites?: readonly string[];
  /** Property names (of the one selected suite): every selected property when absent. */
  readonly properties?: readonly string[];
  readonly runs?: number;
  readonly seconds?: number;
  readonly path?: string;
  readonly variant?: string;
  /** A built-in target's name, or a module file whose default export is a target. */
  readonly target?: string;
  readonly json: boolean;
  /** With `seconds`: a run the budget cut short is still exit 0 (see `--partial-ok`). */
  readonly partialOk?: boolean;
  /** Worker threads running properties side by side (default: one per core). */
  readonly workers?: number;
  /** The time limit of one run of each property, in seconds (default: each property's own). */
  readonly runTimeout?: number;
  /** Run only shard `index` (1-based) of `count`: every count-th selected property. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Write a JUnit XML report here. */
  readonly junit?: string;
  /** Write one replay file per failure into this directory. */
  readonly replayDir?: string;
  /** Write one HTML counterexample page per failure into this directory. */
  readonly report?: string;
}

/** Picks the properties a run covers, or throws a UsageError naming what is unknown. */
export function selectProperties(options: RunOptions, variant: Variant | undefined): PropertyDef[] {
  const known = suiteNames();
  for (const s of options.suites ?? []) {
    if (!known.includes(s)) throw new UsageError(`unknown suite '${s}' (known: ${known.join(', ')})`);
  }
  let suites = options.suites ?? known;
  if (variant !== undefined) {
    const missing = variant.suites.filter((s) => !known.includes(s));
    if (!variant.available || missing.length > 0) {
      throw new UsageError(
        `variant ${variant.id} is caught by suite(s) ${variant.suites.join(', ')}, which this build does not have yet`,
      );
    }
    suites = suites.filter((s) => variant.suites.includes(s));
    if (suites.length === 0) throw new UsageError(`variant ${variant.id} is checked by suite(s) ${variant.suites.join(', ')}, not by ${options.suites?.join(', ')}`);
  }
  let selected = PROPERTIES.filter((p) => suites.includes(p.suite));
  if (options.properties !== undefined) {
    const wanted = options.properties;
    const names = selected.map((p) => p.name);
    const unknown = wanted.filter((n) => !names.includes(n));
    if (unknown.length > 0) throw new UsageError(`unknown property ${unknown.map((n) => `'${n}'`).join(', ')} in suite ${suites.join(',')} (known: ${names.join(', ')})`);
    selected = selected.filter((p) => wanted.includes(p.name));
  }
  return selected;
}

/** The command line that replays a failing outcome exactly; `targetArgs` choose the target again. */
export function replayLine(outcome: PropertyOutcome, targetArgs: readonly string[]): string {
  // A negative seed is written --seed=-N: "--seed -N" would read -N as a flag.
  const parts = ['npx spoolcheck run', `--suite ${outcome.suite}`, `--property ${outcome.property}`, outcome.seed < 0 ? `--seed=${outcome.seed}` : `--seed ${outcome.seed}`];
  if (outcome.path !== undefined) parts.push(`--path ${outcome.path}`);
  parts.push(...targetArgs);
  return parts.join(' ');
}

/** Runs the selected properties; returns the exit code (0 holds, 1 counterexample). */
export async function runCommand(options: RunOptions, out: Output, now: () => number, cwd = process.cwd()): Promise<number> {
  const chosen = await chooseTarget(options, cwd);
  const { target, variant } = chosen;
  // A run time limit decides whether a slow run is a counterexample: the replay needs it too.
  const replayArgs = [...chosen.replayArgs, ...(options.runTimeout === undefined ? [] : ['--run-timeout', String(options.runTimeout)])];
  const allSelected = selectProperties(options, variant);
  // A shard takes every n-th property of the selection, so n shards cover it once.
  const selected = options.shard === undefined ? allSelected : allSelected.filter((_, i) => i % (options.shard?.count ?? 1) === (options.shard?.index ?? 1) - 1);
  if (selected.length === 0) throw new UsageError(`shard ${options.shard?.index}/${options.shard?.count} is empty: only ${allSelected.length} properties are selected (use at most ${allSelected.length} shards)`);
  const progress = options.json ? out.stderr : out.stdout;
  progress(`spoolcheck: checking ${target.name === 'real' || variant !== undefined ? target.description : `${target.name}: ${target.description}`}`);
  const applying = selected.filter((d) => missingCapabilities(target, d.requires).length === 0).length;

  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), applying));
  progress(`seed ${options.seed}; ${selected.length} properties${applying < selected.length ? ` (${applying} apply to this target)` : ''}${options.seconds === undefined ? '' : `; time budget ${options.seconds} s`}${options.shard === undefined ? '' : `; shard ${options.shard.index}/${options.shard.count} of ${allSelected.length} properties`}; ${workers} worker${workers === 1 ? '' : 's'}\n`);
  const started = now();
  // Ctrl-C: finish the property that is running (its temporary directories are removed as it
  // ends), start no other, print what was found, and exit 130.
  const stop = new AbortController();
  let interruptedAt = 0;
  const onInterrupt = (): void => {
    // A second Ctrl-C quits at once; one that comes with the first (a wrapper such as tsx relays
    // the terminal's signal to us, which got it too) does not count.
    if (stop.signal.aborted) {
      if (now() - interruptedAt > 1000) process.exit(130);
      return;
    }
    interruptedAt = now();
    out.stderr('\nspoolcheck: interrupted: finishing the property that is running, then the summary (Ctrl-C again to quit at once)');
    stop.abort();
  };
  process.on('SIGINT', onInterrupt);
  // Live lines per running property, on a terminal only (never in a log, a pipe or with --json).
  const live = !options.json && out.terminal !== undefined ? new LiveProgress(out.terminal, now) : undefined;
  const report = await runSuites(target, {
    stop: stop.signal,
    workers,
    workerTarget: { name: options.variant ?? options.target ?? 'real', cwd },
    ...(options.runTimeout === undefined ? {} : { runTimeoutMs: Math.round(options.runTimeout * 1000) }),
    properties: selected,
    seed: options.seed,
    ...(options.runs === undefined ? {} : { runs: options.runs }),
    ...(options.path === undefined ? {} : { path: options.path }),
    ...(options.seconds === undefined ? {} : { deadlineMs: started + options.seconds * 1000 }),
    now,
    onOutcome: (outcome) => {
      if (outcome.verdict === 'not-applicable') return;
      const name = `${outcome.suite}/${outcome.property}`;
      const text = `  ${outcome.verdict === 'holds' ? 'ok  ' : 'FAIL'} ${name}: ${outcome.runs} runs, ${formatMs(outcome.elapsedMs)}${outcome.interrupted ? ' (time budget reached)' : ''}`;
      if (live === undefined) progress(text);
      else live.line(text, name);
    },
    ...(live === undefined ? {} : { onRunStart: (def: PropertyDef, i: number | undefined, numRuns: number) => live.run(`${def.suite}/${def.name}`, numRuns, i) }),
  });
  live?.close();
  process.off('SIGINT', onInterrupt);
  const { outcomes, skipped } = report;
  if (options.path !== undefined) {
    const replayed = outcomes.find((o) => o.verdict !== 'not-applicable');
    if (replayed !== undefined && replayed.runs === 0) {
      throw new UsageError(`--path ${options.path} fits no run of ${replayed.suite}/${replayed.property} at seed ${options.seed}: it was printed for another property, seed or target (replay the line exactly as printed)`);
    }
  }
  const partialOk = options.partialOk === true;
  const record: RunRecord = {
    target: target.name,
    seed: options.seed,
    elapsedMs: report.elapsedMs,
    verdict: verdictOf(outcomes, skipped.map((d) => `${d.suite}/${d.name}`), report.stopped, partialOk),
    cutShort: outcomes.filter((o) => o.interrupted).map((o) => `${o.suite}/${o.property}`),
    // A failure's details (timelines, disks) go to the HTML pages (--report), not into the record.
    results: outcomes.map(({ details: _details, ...o }) => ({ ...o, ...(o.verdict === 'fails' ? { replay: replayLine(o, replayArgs) } : {}) })),
    skipped: skipped.map((d) => `${d.suite}/${d.name}`),
    ...(options.shard === undefined ? {} : { shard: { ...options.shard, of: allSelected.length } }),
    ...(partialOk ? { partialOk } : {}),
  };
  await writeReports(record, options, {
    cwd,
    ...(options.target === undefined ? {} : { target: options.target }),
    ...(options.variant === undefined ? {} : { variant: options.variant }),
    ...(options.runTimeout === undefined ? {} : { runTimeout: options.runTimeout }),
    ...(options.runs === undefined ? {} : { runs: options.runs }),
  }, out);
  if (options.report !== undefined) {
    const pages = await writeCounterexamplePages(options.report, outcomes.filter((o) => o.verdict === 'fails').map((o) => ({ outcome: o, target: target.name, replay: replayLine(o, replayArgs) })));
    out.stderr(`spoolcheck: ${pages.length} counterexample page(s) written to ${options.report}${pages.length === 0 ? '' : ` (open ${pages[0]} in a browser)`}`);
  }
  if (options.json) out.stdout(JSON.stringify(record, null, 2));
  else printRecord(record, out);
  return explainExit(record, options.seconds, out, () => `target ${target.name} (it has: ${capabilitiesOf(target).join(', ') || 'no capability'})`);
}
