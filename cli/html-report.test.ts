/**
 * The HTML counterexample pages, opened in headless Chromium (Debian's chromium package, which
 * .ci/run installs): the DOM after the page's script ran shows a real failure's timeline, crash,
 * model beside implementation and replay command. And a page stays small whatever the history.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { counterexamplePage, MAX_TIMELINE_EVENTS } from './html-report.ts';
import { main } from './main.ts';
import type { Output } from './output.ts';

const CHROMIUM = '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'spoolcheck-html-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet: Output = { stdout: () => undefined, stderr: () => undefined };
const now = (): number => performance.now();

/** The page's DOM once Chromium loaded it and ran its script. */
function renderedDom(file: string): string {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  const profile = mkdtempSync(join(tmpdir(), 'spoolcheck-chromium-'));
  try {
    return execFileSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

describe('spoolcheck run --report DIR, in Chromium', () => {
  it('MS-3: the reader race on a timeline, one column per process, with the violation and the replay command', { timeout: 120_000 }, async () => {
    expect(await main(['run', '--variant', 'MS-3', '--suite', 'races', '--property', 'reader-never-sleeps', '--report', dir], quiet, now)).toBe(1);
    const dom = renderedDom(join(dir, 'races-reader-never-sleeps.html'));
    expect(dom).toMatch(/<p id="violation">the reader sleeps with work waiting: .+ enqueued but never taken/);
    expect(dom).toMatch(/<pre id="replay">npx spoolcheck run --suite races --property reader-never-sleeps --seed 1 --path \d+ --variant MS-3<\/pre>/);
    // Drawn by the page's script: a header cell per process, and event cells under them.
    const heads = [...dom.matchAll(/<th>([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(heads[0]).toBe('#');
    expect(heads.length).toBeGreaterThanOrEqual(3);
    expect(dom).toMatch(/<td class="call">call watch \/spool\/alpha<\/td>/);
    expect(dom).toMatch(/<td class="return">return readdir \/spool\/alpha<\/td>/);
    expect((dom.match(/<tr>/g) ?? []).length).toBeGreaterThan(20);
  });

  it('MS-1: the crash, with the operation in flight, the disk before and after, and what recovery gave back', { timeout: 120_000 }, async () => {
    expect(await main(['run', '--variant', 'MS-1', '--suite', 'queue', '--property', 'crash-strict', '--report', dir], quiet, now)).toBe(1);
    const dom = renderedDom(join(dir, 'queue-crash-strict.html'));
    expect(dom).toMatch(/<h2>The crash \(strict\)<\/h2>/);
    expect(dom).toMatch(/<li class="in-flight">enqueue\(.*← in flight at the crash/);
    expect(dom).toMatch(/<p id="crash-point"><strong>Crash point:<\/strong> inside call #\d+ `rename /);
    const before = /<pre id="disk-before">([^]*?)<\/pre>/.exec(dom)?.[1] ?? '';
    const after = /<pre id="disk-after">([^]*?)<\/pre>/.exec(dom)?.[1] ?? '';
    // Chromium writes text back with its quotes as they are.
    expect(before).toMatch(/\/queue\/\.data\/\S+ = "item 1: /);
    expect(after).not.toMatch(/\/queue\/\.data\/\S+ = /);
    expect(dom).toMatch(/<pre id="recovered">\S+: checkout gave undefined<\/pre>/);
  });

  it('SEQ-1: the model expectation beside the implementation answer', { timeout: 120_000 }, async () => {
    expect(await main(['run', '--variant', 'SEQ-1', '--suite', 'multispool', '--property', 'model-vs-impl-memfs', '--report', dir], quiet, now)).toBe(1);
    const dom = renderedDom(join(dir, 'multispool-model-vs-impl-memfs.html'));
    const expected = /<pre id="expected">([^]*?)<\/pre>/.exec(dom)?.[1];
    const actual = /<pre id="actual">([^]*?)<\/pre>/.exec(dom)?.[1];
    expect(expected).toBeDefined();
    expect(actual).toBeDefined();
    // SEQ-1 saves into the queue it checked out from: the model has the entry in the queue it was
    // saved to, the disk in the other one.
    const queueOfN0 = (text: string | undefined): string | undefined => /^(alpha|beta)\/n0 /m.exec(text ?? '')?.[1];
    expect(queueOfN0(expected)).toMatch(/^(alpha|beta)$/);
    expect(queueOfN0(actual)).toMatch(/^(alpha|beta)$/);
    expect(queueOfN0(actual)).not.toBe(queueOfN0(expected));
  });
});

describe('the page size', () => {
  it('stays under 3 MB for a history of 200,000 events and a 20 MB report, and says what it left out', () => {
    const events = Array.from({ length: 100_000 }, (_, i) => ({ seq: 2 * i, kind: 'call', what: `write /spool/.tmp/entry-${i} @0+4096 ${'x'.repeat(40)}` }));
    const page = counterexamplePage({
      target: 'huge',
      replay: 'npx spoolcheck run ...',
      outcome: {
        suite: 's',
        property: 'p',
        verdict: 'fails',
        runs: 1,
        seed: 1,
        elapsedMs: 1,
        interrupted: false,
        counterexample: `Violation: too much\n${'y'.repeat(20_000_000)}`,
        details: { timelines: [{ process: 'p1', events }, { process: 'p2', events: events.map((e) => ({ ...e, seq: e.seq + 1 })) }] },
      },
    });
    expect(page.length).toBeLessThan(3_000_000);
    expect(page).toContain(`The first ${MAX_TIMELINE_EVENTS} events are shown; ${200_000 - MAX_TIMELINE_EVENTS} more are not.`);
    expect(page).toMatch(/\.\.\. \(\d+ more characters not shown\)/);
  });
});

