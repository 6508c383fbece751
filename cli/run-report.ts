/**
 * The record of a `spoolcheck run` (what `--json` prints, what `spoolcheck merge` joins), and
 * what is made of it: the summary table, the counterexamples with their replay lines, the exit
 * code. A run and a merge of shards print through the same functions, so they cannot differ.
 */
import type { PropertyOutcome } from '../properties/suite.ts';
import { formatTable, type Output } from './output.ts';

/** One property's result in the record: its outcome, and the line that replays a failure. */
export type ResultRecord = PropertyOutcome & { readonly replay?: string };

/** The JSON record of a run. */
export interface RunRecord {
  readonly target: string;
  readonly seed: number;
  readonly elapsedMs: number;
  /**
   * `holds` every selected property ran its budget and held (or the budget cut it short and
   * `--partial-ok` accepted that); `counterexample`; `incomplete` the time budget cut properties
   * short or left them unstarted; `interrupted` Ctrl-C; `nothing-checked` no property applied.
   */
  readonly verdict: 'holds' | 'counterexample' | 'incomplete' | 'interrupted' | 'nothing-checked';
  /** The properties the time budget cut short, as suite/property. */
  readonly cutShort: readonly string[];
  readonly results: readonly ResultRecord[];
  /** The properties not started (time budget or interrupted), as suite/property. */
  readonly skipped: readonly string[];
  /** With `--shard i/n`: this run covers shard `index` of `count` of the `of` selected properties. */
  readonly shard?: { readonly index: number; readonly count: number; readonly of: number };
  /** Whether `--partial-ok` was given (a merge keeps it). */
  readonly partialOk?: boolean;
}

/** The verdict of a record's results and unstarted properties. */
export function verdictOf(results: readonly ResultRecord[], skipped: readonly string[], stopped: boolean, partialOk: boolean): RunRecord['verdict'] {
  if (results.some((r) => r.verdict === 'fails')) return 'counterexample';
  if (stopped) return 'interrupted';
  if (!results.some((r) => r.verdict !== 'not-applicable') && skipped.length === 0) return 'nothing-checked';
  if ((skipped.length > 0 || results.some((r) => r.interrupted)) && !partialOk) return 'incomplete';
  return 'holds';
}

/** The exit code of a verdict (see the CLI's usage text). */
export function exitCodeOf(verdict: RunRecord['verdict']): number {
  return { holds: 0, counterexample: 1, 'nothing-checked': 2, incomplete: 3, interrupted: 130 }[verdict];
}

/** Prints the record as the summary a person reads: the table, the counterexamples, one line in all. */
export function printRecord(record: RunRecord, out: Output): void {
  const results = record.results;
  const applicable = results.filter((o) => o.verdict !== 'not-applicable');
  const failures = results.filter((o) => o.verdict === 'fails');
  const stopped = record.verdict === 'interrupted';
  out.stdout(
    '\n' +
      formatTable(
        ['suite', 'property', 'runs', 'verdict', 'time'],
        [
          ...applicable.map((o) => [o.suite, o.property, String(o.runs), o.verdict === 'holds' ? (o.interrupted ? 'cut short (time budget)' : 'holds') : 'COUNTEREXAMPLE', formatMs(o.elapsedMs)]),
          ...record.skipped.map((name) => [...splitName(name), '0', stopped ? 'not run (interrupted)' : 'not run (time budget)', '-']),
          ...notApplicableRows(results),
        ],
      ),
  );
  for (const f of failures) {
    out.stdout(`\n=== counterexample: ${f.suite}/${f.property} ===\n${f.counterexample ?? ''}\nReplay exactly with:\n  ${f.replay ?? '(no replay line)'}`);
  }
  out.stdout(
    `\n${applicable.length - failures.length} of ${applicable.length} properties hold` +
      (applicable.length < results.length ? `, ${results.length - applicable.length} not applicable to this target` : '') +
      (record.cutShort.length > 0 ? `, ${record.cutShort.length} of them cut short (time budget)` : '') +
      (record.skipped.length > 0 ? `, ${record.skipped.length} not run (${stopped ? 'interrupted' : 'time budget'})` : '') +
      `; ${formatMs(record.elapsedMs)} in all.` +
      (failures.length > 0 ? ` ${failures.length} counterexample(s) found.` : ''),
  );
}

/** `suite/property` as its two parts. */
export function splitName(name: string): [string, string] {
  const slash = name.indexOf('/');
  return [name.slice(0, slash), name.slice(slash + 1)];
}

/**
 * The table rows of the properties that did not apply: one per suite and missing capability (a
 * user's target meets most of our suites only here), naming the property when it is alone.
 */
function notApplicableRows(outcomes: readonly PropertyOutcome[]): string[][] {
  const groups = new Map<string, { suite: string; need: string; names: string[] }>();
  for (const o of outcomes) {
    if (o.verdict !== 'not-applicable') continue;
    const need = (o.missing ?? []).join(', ');
    const key = `${o.suite}\n${need}`;
    const group = groups.get(key) ?? { suite: o.suite, need, names: [] };
    group.names.push(o.property);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => [g.suite, g.names.length === 1 ? (g.names[0] as string) : `(${g.names.length} properties)`, '0', `not applicable (needs ${g.need})`, '-']);
}

/** Milliseconds as a person reads them. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The exit code of a record, saying on stderr why it is not 0; `what` names the target for "nothing checked". */
export function explainExit(record: RunRecord, seconds: number | undefined, out: Output, what: () => string): number {
  const code = exitCodeOf(record.verdict);
  const n = (k: number): string => `${k} propert${k === 1 ? 'y' : 'ies'}`;
  // Nothing checked is not a pass: a gate must not go green on a target no property applies to.
  if (record.verdict === 'nothing-checked') out.stderr(`spoolcheck: no selected property applies to ${what()}: nothing was checked`);
  if (record.verdict === 'interrupted') out.stderr(`spoolcheck: interrupted: ${n(record.skipped.length)} not run; this is not a pass (exit 130)`);
  if (record.verdict === 'incomplete') {
    out.stderr(`spoolcheck: the time budget${seconds === undefined ? '' : ` (--seconds ${seconds})`} cut ${n(record.cutShort.length)} short and left ${record.skipped.length} not run: this is not a pass (exit 3). Give more seconds, or --partial-ok to accept a partial check.`);
  }
  return code;
}
