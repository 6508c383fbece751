/** `spoolcheck run`: runs property suites and prints a summary table. */
import { PROPERTIES, suiteNames } from './suites.ts';
import { runProperty, type PropertyDef, type PropertyOutcome, type RunContext } from '../properties/suite.ts';
import { findVariant, VARIANTS, type Variant } from '../properties/variants.ts';
import { REAL_TARGET, variantTarget } from '../targets/builtin.ts';
import { formatTable, UsageError, type Output } from './output.ts';

/** The parsed options of `spoolcheck run`. */
export interface RunOptions {
  readonly seed: number;
  readonly suites?: readonly string[];
  readonly property?: string;
  readonly runs?: number;
  readonly seconds?: number;
  readonly path?: string;
  readonly variant?: string;
  readonly json: boolean;
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
  if (options.property !== undefined) {
    selected = selected.filter((p) => p.name === options.property);
    if (selected.length === 0) {
      const names = PROPERTIES.filter((p) => suites.includes(p.suite)).map((p) => p.name);
      throw new UsageError(`unknown property '${options.property}' in suite ${suites.join(',')} (known: ${names.join(', ')})`);
    }
  }
  return selected;
}

/** The command line that replays a failing outcome exactly. */
export function replayLine(outcome: PropertyOutcome, variant: Variant | undefined): string {
  const parts = ['npx spoolcheck run', `--suite ${outcome.suite}`, `--property ${outcome.property}`, `--seed ${outcome.seed}`];
  if (outcome.path !== undefined) parts.push(`--path ${outcome.path}`);
  if (variant !== undefined) parts.push(`--variant ${variant.id}`);
  return parts.join(' ');
}

/** Runs the selected properties; returns the exit code (0 holds, 1 counterexample). */
export async function runCommand(options: RunOptions, out: Output, now: () => number): Promise<number> {
  let variant: Variant | undefined;
  if (options.variant !== undefined) {
    variant = findVariant(options.variant);
    if (variant === undefined) {
      throw new UsageError(`unknown variant '${options.variant}' (known: ${VARIANTS.map((v) => v.id).join(', ')})`);
    }
  }
  const selected = selectProperties(options, variant);
  const progress = options.json ? out.stderr : out.stdout;
  const target = variant === undefined ? REAL_TARGET : variantTarget(variant);
  progress(`spoolcheck: checking ${target.description}`);
  progress(`seed ${options.seed}; ${selected.length} properties${options.seconds === undefined ? '' : `; time budget ${options.seconds} s`}\n`);

  const started = now();
  const deadlineMs = options.seconds === undefined ? undefined : started + options.seconds * 1000;
  const outcomes: PropertyOutcome[] = [];
  const skipped: PropertyDef[] = [];
  for (const def of selected) {
    if (deadlineMs !== undefined && now() >= deadlineMs) {
      skipped.push(def);
      continue;
    }
    const ctx: RunContext = {
      seed: options.seed,
      numRuns: options.path !== undefined ? 1 : (options.runs ?? def.defaultRuns),
      ...(options.path === undefined ? {} : { path: options.path }),
      target,
      ...(deadlineMs === undefined ? {} : { deadlineMs }),
    };
    const outcome = await runProperty(def, ctx, now);
    outcomes.push(outcome);
    progress(
      `  ${outcome.verdict === 'holds' ? 'ok  ' : 'FAIL'} ${outcome.suite}/${outcome.property}: ${outcome.runs} runs, ${formatMs(outcome.elapsedMs)}${outcome.interrupted ? ' (time budget reached)' : ''}`,
    );
  }
  const failures = outcomes.filter((o) => o.verdict === 'fails');
  const applicable = outcomes.filter((o) => o.verdict !== 'not-applicable');
  const totalMs = now() - started;

  if (options.json) {
    out.stdout(
      JSON.stringify(
        {
          target: target.name,
          seed: options.seed,
          elapsedMs: totalMs,
          verdict: failures.length > 0 ? 'counterexample' : 'holds',
          results: outcomes.map((o) => ({ ...o, ...(o.verdict === 'fails' ? { replay: replayLine(o, variant) } : {}) })),
          skipped: skipped.map((d) => `${d.suite}/${d.name}`),
        },
        null,
        2,
      ),
    );
  } else {
    out.stdout(
      '\n' +
        formatTable(
          ['suite', 'property', 'runs', 'verdict', 'time'],
          [
            ...outcomes.map((o) => [o.suite, o.property, String(o.runs), verdictText(o), formatMs(o.elapsedMs)]),
            ...skipped.map((d) => [d.suite, d.name, '0', 'not run (time budget)', '-']),
          ],
        ),
    );
    for (const f of failures) {
      out.stdout(`\n=== counterexample: ${f.suite}/${f.property} ===\n${f.counterexample ?? ''}\nReplay exactly with:\n  ${replayLine(f, variant)}`);
    }
    out.stdout(
      `\n${applicable.length - failures.length} of ${applicable.length} properties hold` +
        (applicable.length < outcomes.length ? `, ${outcomes.length - applicable.length} not applicable to this target` : '') +
        (skipped.length > 0 ? `, ${skipped.length} not run (time budget)` : '') +
        `; ${formatMs(totalMs)} in all.` +
        (failures.length > 0 ? ` ${failures.length} counterexample(s) found.` : ''),
    );
  }
  return failures.length > 0 ? 1 : 0;
}

/** The verdict column of the summary table. */
function verdictText(o: PropertyOutcome): string {
  if (o.verdict === 'holds') return 'holds';
  if (o.verdict === 'fails') return 'COUNTEREXAMPLE';
  return `not applicable (needs ${(o.missing ?? []).join(', ')})`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
