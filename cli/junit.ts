/**
 * A run's record as JUnit XML (`--junit FILE`), the report format CI systems show: one testsuite
 * per spoolcheck suite, one testcase per property. A counterexample is a failure whose text ends
 * with the replay line; a property the time budget cut short or left unstarted is a failure of
 * type "incomplete" (a gate must not read it as a pass) unless --partial-ok accepted it, when it
 * is skipped; a property that does not apply to the target is skipped, saying what it needs.
 */
import type { ResultRecord, RunRecord } from './run-report.ts';
import { splitName } from './run-report.ts';
import { xmlEscape } from './output.ts';

interface Case {
  readonly suite: string;
  readonly name: string;
  readonly seconds: number;
  readonly body: string;
  readonly failed: boolean;
  readonly skipped: boolean;
}

function caseOf(r: ResultRecord, partialOk: boolean): Case {
  const base = { suite: r.suite, name: r.property, seconds: r.elapsedMs / 1000 };
  if (r.verdict === 'fails') {
    const text = `${r.counterexample ?? ''}\nReplay exactly with:\n  ${r.replay ?? ''}`;
    return { ...base, failed: true, skipped: false, body: `<failure type="counterexample" message="${xmlEscape(firstViolation(r.counterexample))}">${xmlEscape(text)}</failure>` };
  }
  if (r.verdict === 'not-applicable') return { ...base, failed: false, skipped: true, body: `<skipped message="${xmlEscape(`not applicable: the target lacks ${(r.missing ?? []).join(', ')}`)}"/>` };
  if (r.interrupted) return incomplete(base, `cut short by the time budget after ${r.runs} runs`, partialOk);
  return { ...base, failed: false, skipped: false, body: '' };
}

function incomplete(base: { suite: string; name: string; seconds: number }, why: string, partialOk: boolean): Case {
  return partialOk
    ? { ...base, failed: false, skipped: true, body: `<skipped message="${xmlEscape(why)}"/>` }
    : { ...base, failed: true, skipped: false, body: `<failure type="incomplete" message="${xmlEscape(why)}">${xmlEscape(`${why}: not a pass (give more time, or --partial-ok)`)}</failure>` };
}

/** The Violation line of a counterexample, for the failure's one-line message. */
function firstViolation(counterexample: string | undefined): string {
  const line = (counterexample ?? '').split('\n').find((l) => l.startsWith('Violation: '));
  return (line ?? 'counterexample').replace(/^Violation: /, '').slice(0, 500);
}

/** The JUnit XML of `record`. */
export function junitXml(record: RunRecord): string {
  const partialOk = record.partialOk === true;
  const cases: Case[] = [
    ...record.results.map((r) => caseOf(r, partialOk)),
    ...record.skipped.map((name) => {
      const [suite, property] = splitName(name);
      return incomplete({ suite, name: property, seconds: 0 }, record.verdict === 'interrupted' ? 'not run (interrupted)' : 'not run (time budget)', partialOk);
    }),
  ];
  const suites = [...new Set(cases.map((c) => c.suite))];
  const count = (cs: readonly Case[], f: (c: Case) => boolean): number => cs.filter(f).length;
  const time = (cs: readonly Case[]): string => cs.reduce((t, c) => t + c.seconds, 0).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="spoolcheck" tests="${cases.length}" failures="${count(cases, (c) => c.failed)}" skipped="${count(cases, (c) => c.skipped)}" time="${(record.elapsedMs / 1000).toFixed(3)}">`,
  ];
  for (const suite of suites) {
    const cs = cases.filter((c) => c.suite === suite);
    lines.push(`  <testsuite name="${xmlEscape(suite)}" tests="${cs.length}" failures="${count(cs, (c) => c.failed)}" errors="0" skipped="${count(cs, (c) => c.skipped)}" time="${time(cs)}">`);
    lines.push(`    <properties><property name="target" value="${xmlEscape(record.target)}"/><property name="seed" value="${record.seed}"/></properties>`);
    for (const c of cs) {
      const open = `    <testcase classname="spoolcheck.${xmlEscape(c.suite)}" name="${xmlEscape(c.name)}" time="${c.seconds.toFixed(3)}"`;
      lines.push(c.body === '' ? `${open}/>` : `${open}>${c.body}</testcase>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
