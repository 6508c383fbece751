/**
 * The HTML counterexample page (`spoolcheck run --report DIR`): one self-contained file per
 * failure, no network, no external script. It shows the violation and the replay command, the
 * shrunk input, every process's operations on a timeline (one column per process, one row per
 * event in global order), the crash (operations with the one in flight marked, the crash point,
 * what the crash lost, the disk after it, what recovery gave back), the model's expectation
 * beside the implementation's answer, and the whole report in words. The timeline is drawn by a
 * small inline script from the page's own JSON, so the data is in the page once.
 *
 * Size: every part is cut to a fixed budget (timeline events, text), so a page stays under
 * ~2 MB whatever the history's size; a cut says how much was left out.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import type { FailureDetails, ProcessTimeline } from '../properties/failure-details.ts';
import type { PropertyOutcome } from '../properties/suite.ts';
import { xmlEscape } from './output.ts';

/** Events drawn on the timeline at most (the first ones: where a race starts going wrong is kept). */
export const MAX_TIMELINE_EVENTS = 4000;
/** Characters of one text part at most. */
export const MAX_TEXT = 400_000;

/** What the page is about. */
export interface PageInput {
  readonly outcome: PropertyOutcome;
  readonly target: string;
  readonly replay: string;
}

function cut(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n... (${text.length - max} more characters not shown)`;
}

function pre(text: string, id?: string): string {
  return `<pre${id === undefined ? '' : ` id="${id}"`}>${xmlEscape(cut(text))}</pre>`;
}

function list(lines: readonly string[], id: string): string {
  return pre(lines.join('\n'), id);
}

/** The timeline's data for the script: processes and events in global order, cut to the budget. */
function timelineData(timelines: readonly ProcessTimeline[]): { processes: string[]; rows: [number, number, string, string][]; omitted: number } {
  const processes = timelines.map((t) => t.process);
  const all = timelines.flatMap((t, p) => t.events.map((e) => [e.seq, p, e.kind, cut(e.what, 2000)] as [number, number, string, string]));
  all.sort((a, b) => a[0] - b[0]);
  return { processes, rows: all.slice(0, MAX_TIMELINE_EVENTS), omitted: Math.max(0, all.length - MAX_TIMELINE_EVENTS) };
}

function crashSection(crash: NonNullable<FailureDetails['crash']>): string {
  const ops = crash.operations.map((op, i) => {
    const state = i < crash.inFlight ? 'done' : i === crash.inFlight ? 'in-flight' : 'never-ran';
    const note = state === 'in-flight' ? ' <strong>← in flight at the crash</strong>' : state === 'never-ran' ? ' <em>(never ran: after the crash)</em>' : '';
    return `<li class="${state}">${xmlEscape(op)}${note}</li>`;
  });
  return `<section id="crash"><h2>The crash (${xmlEscape(crash.profile)})</h2>
<h3>Operations</h3><ol id="operations">${ops.join('') || '<li>(none)</li>'}</ol>
<p id="crash-point"><strong>Crash point:</strong> ${xmlEscape(crash.point)} (${crash.inFlight} operation(s) had returned)</p>
<div class="sides"><div><h3>The disk before the crash (had nothing been lost)</h3>${crash.diskBefore === undefined ? '<p>(not known: the explorer merged that state with an identical one)</p>' : list(crash.diskBefore, 'disk-before')}</div>
<div><h3>The disk after the crash</h3>${list(crash.diskAfter, 'disk-after')}</div></div>
<h3>Lost in the crash (${crash.lost.length} line(s))</h3>${list(crash.lost, 'lost')}
<h3>${xmlEscape(crash.recoveredTitle.replace(/:$/, ''))}</h3>${list(crash.recovered.length === 0 ? ['(nothing)'] : crash.recovered, 'recovered')}
<h3>Violated</h3>${list(crash.violated, 'violated')}</section>`;
}

/** The page of one failure. */
export function counterexamplePage(input: PageInput): string {
  const { outcome } = input;
  const details = outcome.details ?? {};
  const violation = /^Violation: (.*)$/m.exec(outcome.counterexample ?? '')?.[1] ?? 'counterexample';
  const data = details.timelines === undefined ? undefined : timelineData(details.timelines);
  // JSON inside a script element: "</" and the line separators JavaScript refuses are escaped.
  const json = data === undefined ? 'null' : JSON.stringify(data).replace(/<\//g, '<\\/').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  const sections: string[] = [];
  if (data !== undefined) {
    sections.push(`<section id="timeline-section"><h2>Operations per process</h2>
<p>One column per process, one row per event in the global order the scheduler chose (a call is listed when it reached the shared disk).${data.omitted > 0 ? ` The first ${MAX_TIMELINE_EVENTS} events are shown; ${data.omitted} more are not.` : ''}</p>
<table id="timeline"><thead></thead><tbody></tbody></table></section>`);
  }
  if (details.crash !== undefined) sections.push(crashSection(details.crash));
  if (details.expected !== undefined || details.actual !== undefined) {
    sections.push(`<section id="sides"><h2>The model beside the implementation</h2><div class="sides">
<div><h3>The model expects</h3>${pre(details.expected ?? '(nothing)', 'expected')}</div>
<div><h3>The implementation gave</h3>${pre(details.actual ?? '(nothing)', 'actual')}</div></div></section>`);
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>spoolcheck: ${xmlEscape(`${outcome.suite}/${outcome.property}`)} counterexample</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 1200px; padding: 0 1em; color: #1d1d1f; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; border-bottom: 1px solid #ddd; margin-top: 1.6em; }
pre { background: #f6f6f8; padding: .7em; overflow: auto; max-height: 32em; white-space: pre-wrap; }
#violation { background: #fde8e8; border-left: 4px solid #c62828; padding: .6em .9em; }
#replay { background: #e8f0fe; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
table#timeline { border-collapse: collapse; width: 100%; font: 12px/1.3 ui-monospace, monospace; }
#timeline th, #timeline td { border: 1px solid #e0e0e0; padding: 2px 5px; vertical-align: top; }
#timeline th { background: #f0f0f0; position: sticky; top: 0; }
td.call { color: #1a4f9c; } td.return { color: #1b5e20; } td.error { color: #b71c1c; font-weight: bold; } td.killed { background: #ffebee; color: #b71c1c; font-weight: bold; }
li.in-flight { background: #fff3cd; } li.never-ran { color: #888; }
</style></head><body>
<h1>Counterexample: <span id="property">${xmlEscape(`${outcome.suite}/${outcome.property}`)}</span></h1>
<p>Target <strong id="target">${xmlEscape(input.target)}</strong>, seed ${outcome.seed}${outcome.path === undefined ? '' : `, shrink path <code>${xmlEscape(outcome.path)}</code>`}, found after ${outcome.runs} run(s).</p>
<p id="violation">${xmlEscape(cut(violation, 4000))}</p>
<h2>Replay it</h2>${pre(input.replay, 'replay')}
${outcome.input === undefined ? '' : `<h2>The shrunk input</h2>${pre(outcome.input, 'input')}`}
${sections.join('\n')}
<h2>The whole report</h2>${pre(outcome.counterexample ?? '', 'report')}
<script type="application/json" id="timeline-data">${json}</script>
<script>
(function () {
  var data = JSON.parse(document.getElementById('timeline-data').textContent);
  var table = document.getElementById('timeline');
  if (!data || !table) return;
  var head = document.createElement('tr');
  ['#'].concat(data.processes).forEach(function (p) { var th = document.createElement('th'); th.textContent = p; head.appendChild(th); });
  table.tHead.appendChild(head);
  var body = table.tBodies[0];
  data.rows.forEach(function (r) {
    var tr = document.createElement('tr');
    var seq = document.createElement('td'); seq.textContent = String(r[0]); tr.appendChild(seq);
    for (var p = 0; p < data.processes.length; p++) {
      var td = document.createElement('td');
      if (p === r[1]) { td.className = r[2]; td.textContent = r[2] + ' ' + r[3]; }
      tr.appendChild(td);
    }
    body.appendChild(tr);
  });
})();
</script>
</body></html>
`;
}

/** Writes one page per failure of `outcomes` into `dir`; returns their paths. */
export async function writeCounterexamplePages(dir: string, pages: readonly PageInput[]): Promise<string[]> {
  if (pages.length === 0) return [];
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const page of pages) {
    const name = nodePath.join(dir, `${page.outcome.suite}-${page.outcome.property}.html`);
    await writeFile(name, counterexamplePage(page));
    written.push(name);
  }
  return written;
}
