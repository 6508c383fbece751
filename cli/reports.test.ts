/**
 * The CI reports of `spoolcheck run`: --shard i/n covers every property once and `merge` of the
 * shards equals the unsharded run; --junit is well-formed XML with one testcase per property;
 * --replay-dir writes files that `spoolcheck replay` runs exactly; bad input is a usage error.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './main.ts';
import type { RunRecord } from './run-report.ts';
import { capture } from './capture-output.ts';

const now = (): number => performance.now();
const dir = mkdtempSync(join(tmpdir(), 'spoolcheck-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUN = ['run', '--variant', 'SEQ-2', '--suite', 'multispool', '--runs', '10'];

async function record(args: readonly string[]): Promise<{ code: number; record: RunRecord }> {
  const io = capture();
  const code = await main([...args, '--json'], io, now);
  return { code, record: JSON.parse(io.text()) as RunRecord };
}

/** A record without its timings: what must agree between a run and a merge. */
function verdicts(r: RunRecord): unknown {
  return { verdict: r.verdict, results: r.results.map((o) => [o.suite, o.property, o.verdict, o.runs, o.path, o.replay]), skipped: r.skipped };
}

/** The testcases of a JUnit file, parsed strictly enough to reject malformed XML. */
function junitCases(xml: string): { name: string; failure: boolean }[] {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
  // Every element closes, in order (a small well-formedness check, attributes quoted).
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-z]+)((?:\s+[a-z]+="[^"<]*")*)\s*(\/?)>/g)) {
    if (m[1] === '/') expect(stack.pop()).toBe(m[2]);
    else if (m[4] !== '/') stack.push(m[2] as string);
  }
  expect(stack).toEqual([]);
  expect(xml.replace(/<[^>]*>/g, '')).not.toMatch(/[<>]|&(?!amp;|lt;|gt;|quot;)/);
  return [...xml.matchAll(/<testcase classname="spoolcheck\.[a-z-]+" name="([^"]+)"[^>]*?(\/>|>(<failure)?)/g)].map((m) => ({ name: m[1] as string, failure: m[3] !== undefined }));
}

describe('--shard and merge', () => {
  it('two shards run every property exactly once, and their merge equals the unsharded run (verdict, JSON, exit code)', { timeout: 120_000 }, async () => {
    const whole = await record(RUN);
    const one = await record([...RUN, '--shard', '1/2']);
    const two = await record([...RUN, '--shard', '2/2']);
    const names = (r: RunRecord): string[] => r.results.map((o) => `${o.suite}/${o.property}`);
    expect([...names(one.record), ...names(two.record)].sort()).toEqual(names(whole.record).sort());
    expect(names(one.record).filter((n) => names(two.record).includes(n))).toEqual([]);
    writeFileSync(join(dir, 's1.json'), JSON.stringify(one.record));
    writeFileSync(join(dir, 's2.json'), JSON.stringify(two.record));
    const merged = capture();
    const code = await main(['merge', '--json', '--junit', join(dir, 'merged.xml'), join(dir, 's2.json'), join(dir, 's1.json')], merged, now);
    expect(code).toBe(whole.code);
    expect(code).toBe(1);
    expect(verdicts(JSON.parse(merged.text()) as RunRecord)).toEqual(verdicts(whole.record));
    const cases = junitCases(readFileSync(join(dir, 'merged.xml'), 'utf8'));
    expect(cases.map((c) => c.name).sort()).toEqual(whole.record.results.map((o) => o.property).sort());
    expect(cases.filter((c) => c.failure).length).toBe(whole.record.results.filter((o) => o.verdict === 'fails').length);
  });

  it('refuses a merge that could hide a property: a missing shard, a shard twice, runs of other seeds', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[join(dir, 's1.json')], /shard\(s\) 2\/2 missing/],
      [[join(dir, 's1.json'), join(dir, 's1.json')], /shard 1\/2 is given twice/],
      [[join(dir, 'nope.json')], /cannot read .*nope\.json/],
      [[], /merge needs the JSON files/],
    ];
    const other = JSON.parse(readFileSync(join(dir, 's2.json'), 'utf8')) as RunRecord;
    writeFileSync(join(dir, 'seed7.json'), JSON.stringify({ ...other, seed: 7 }));
    cases.push([[join(dir, 's1.json'), join(dir, 'seed7.json')], /only runs of one seed merge/]);
    for (const [files, message] of cases) {
      const io = capture();
      expect(await main(['merge', ...files], io, now)).toBe(2);
      expect(io.err.join('\n')).toMatch(message);
    }
  });

  it('--shard takes i/n with 1 <= i <= n, and an empty shard is an error', async () => {
    for (const [shard, message] of [['0/2', /between 1 and n/], ['3/2', /between 1 and n/], ['x', /expects i\/n/], ['99/99', /shard 99\/99 is empty/]] as const) {
      const io = capture();
      expect(await main([...RUN, '--shard', shard], io, now)).toBe(2);
      expect(io.err.join('\n')).toMatch(message);
    }
  });
});

describe('--junit and --replay-dir', () => {
  it('a failing run writes a JUnit file and one replay file per failure; spoolcheck replay FILE fails again the same way', { timeout: 120_000 }, async () => {
    const replays = join(dir, 'replays');
    const io = capture();
    expect(await main([...RUN, '--property', 'queue-reader-modes', '--junit', join(dir, 'one.xml'), '--replay-dir', replays], io, now)).toBe(1);
    const cases = junitCases(readFileSync(join(dir, 'one.xml'), 'utf8'));
    expect(cases).toEqual([{ name: 'queue-reader-modes', failure: true }]);
    expect(readFileSync(join(dir, 'one.xml'), 'utf8')).toContain('Replay exactly with:\n  npx spoolcheck run --suite multispool --property queue-reader-modes');
    expect(readdirSync(replays)).toEqual(['multispool-queue-reader-modes.json']);
    const file = JSON.parse(readFileSync(join(replays, 'multispool-queue-reader-modes.json'), 'utf8')) as Record<string, unknown>;
    expect(file).toMatchObject({ kind: 'spoolcheck-replay', version: 1, suite: 'multispool', property: 'queue-reader-modes', seed: 1, variant: 'SEQ-2' });
    const again = capture();
    expect(await main(['replay', join(replays, 'multispool-queue-reader-modes.json')], again, now)).toBe(1);
    const violation = (t: string): string | undefined => /^Violation: .*$/m.exec(t)?.[0];
    expect(violation(again.text())).toBe(violation(file['counterexample'] as string));
  });

  it('a bad replay file is a usage error that says what is wrong', async () => {
    const bad = join(dir, 'bad.json');
    for (const [content, message] of [
      ['not json', /not a replay file \(not JSON\)/],
      [JSON.stringify({ kind: 'other' }), /its kind is not "spoolcheck-replay"/],
      [JSON.stringify({ kind: 'spoolcheck-replay', version: 1, suite: 's', property: 'p', cwd: '/', counterexample: '', replay: '', seed: 1, path: '1:x' }), /"path" is not a replay path/],
      [JSON.stringify({ kind: 'spoolcheck-replay', version: 1, suite: 's', property: 'p', cwd: '/', counterexample: '', replay: '', seed: 1, runTimeout: -0.5 }), /"runTimeout" is not a positive number of seconds/],
    ] as const) {
      writeFileSync(bad, content);
      const io = capture();
      expect(await main(['replay', bad], io, now)).toBe(2);
      expect(io.err.join('\n')).toMatch(message);
    }
  });

  it('a run the time budget cut short is a failure of type "incomplete" in JUnit (skipped with --partial-ok)', { timeout: 60_000 }, async () => {
    for (const [extra, code, kind] of [[[], 3, '<failure type="incomplete"'], [['--partial-ok'], 0, '<skipped message="not run (time budget)"']] as const) {
      const xml = join(dir, `budget${extra.length}.xml`);
      const io = capture();
      expect(await main(['run', '--suite', 'crash,multispool', '--seconds', '1', '--workers', '1', '--junit', xml, ...extra], io, now)).toBe(code);
      expect(readFileSync(xml, 'utf8')).toContain(kind);
      junitCases(readFileSync(xml, 'utf8'));
    }
  });
});

describe('docs/ci.md', () => {
  it('uses only flags that spoolcheck run and merge have', async () => {
    const doc = readFileSync(new URL('../docs/ci.md', import.meta.url), 'utf8');
    const help = capture();
    await main(['run', '--help'], help, now);
    const commands = [...doc.matchAll(/npx spoolcheck (run|merge)\b([^\n]*(?:\n +--[^\n]*)*)/g)];
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const [, command, rest] of commands) {
      const flags = [...(rest as string).matchAll(/(?<=\s)--[a-z-]+/g)].map((m) => m[0]);
      for (const flag of flags) {
        const known = command === 'merge' ? ['--json', '--junit'] : [...help.text().matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]);
        expect(known, `${command} ${flag} in docs/ci.md`).toContain(flag);
      }
    }
  });
});
