/**
 * `spoolcheck run --workers N` and the run time limit: worker threads give the verdicts and replay
 * paths one thread gives; a hang (a promise that never settles, or a synchronous endless loop) is
 * a counterexample with a replay line that reproduces it; the summary and the JSON always come.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { main } from './main.ts';
import { runSuites } from './run-suites.ts';
import { REAL_TARGET } from '../targets/builtin.ts';
import type { PropertyDef } from '../properties/suite.ts';
import { capture } from './capture-output.ts';


const now = (): number => performance.now();
const HANGING = 'cli/fixtures/hanging-queue.ts';

interface JsonResult {
  suite: string;
  property: string;
  verdict: string;
  runs: number;
  path?: string;
  replay?: string;
}

async function json(args: readonly string[]): Promise<{ code: number; report: { verdict: string; results: JsonResult[] } }> {
  const io = capture();
  const code = await main(['run', ...args, '--json'], io, now);
  return { code, report: JSON.parse(io.text()) as { verdict: string; results: JsonResult[] } };
}

describe('spoolcheck run --workers', () => {
  it('gives the same verdicts, runs and replay paths with two workers as with one', { timeout: 120_000 }, async () => {
    const args = ['--variant', 'SEQ-2', '--suite', 'multispool', '--runs', '15'];
    const one = await json([...args, '--workers', '1']);
    const two = await json([...args, '--workers', '2']);
    const key = (r: JsonResult): string => `${r.suite}/${r.property} ${r.verdict} ${r.runs} ${r.path ?? ''}`;
    expect(two.report.results.map(key)).toEqual(one.report.results.map(key));
    expect(one.report.results.some((r) => r.verdict === 'fails')).toBe(true);
    expect(two.code).toBe(one.code);
  });

  it('a property that cannot run at all is reported as a failure, and the summary still comes', async () => {
    const broken: PropertyDef = {
      suite: 'test',
      name: 'broken-build',
      description: 'a property whose build throws',
      defaultRuns: 1,
      testRuns: 1,
      requires: [],
      build: () => {
        throw new Error('no such arbitrary');
      },
    };
    const fine: PropertyDef = { ...broken, name: 'fine', build: () => fc.property(fc.nat(), () => true) as unknown as fc.IProperty<never> };
    const report = await runSuites(REAL_TARGET, { properties: [broken, fine] });
    expect(report.outcomes.map((o) => o.verdict)).toEqual(['fails', 'holds']);
    expect(report.outcomes[0]?.counterexample).toMatch(/could not run .*no such arbitrary/s);
    expect(report.verdict).toBe('counterexample');
  });
});

describe('a hang is a counterexample', () => {
  it('a promise that never settles: "did not finish", shrunk, and the replay line (with its --run-timeout) reproduces it', { timeout: 120_000 }, async () => {
    const io = capture();
    expect(await main(['run', '--target', HANGING, '--suite', 'queue', '--property', 'sequential', '--run-timeout', '0.25'], io, now)).toBe(1);
    expect(io.text()).toMatch(/Violation: did not finish: the run was still going after 0.25 s/);
    expect(io.text()).toContain('Counterexample: [[{"kind":"enqueue"},{"kind":"enqueue"},{"kind":"enqueue"}]]');
    const replay = /npx spoolcheck run (.+)$/m.exec(io.text())?.[1] as string;
    expect(replay).toMatch(/--path \d+(:\d+)* --target cli\/fixtures\/hanging-queue.ts --run-timeout 0.25$/);
    const again = capture();
    expect(await main(['run', ...replay.split(' ')], again, now)).toBe(1);
    expect(again.text()).toMatch(/did not finish/);
  });

  it('a synchronous endless loop: its thread is stopped, the property fails at the run it was in, and that run replays it', { timeout: 120_000 }, async () => {
    process.env['SPOOLCHECK_HANG'] = 'loop';
    try {
      const first = await json(['--target', HANGING, '--suite', 'queue', '--property', 'sequential', '--run-timeout', '1']);
      expect(first.code).toBe(1);
      expect(first.report.verdict).toBe('counterexample');
      const failed = first.report.results[0] as JsonResult & { counterexample: string };
      expect(failed.counterexample).toMatch(/did not finish: the run's thread stopped responding for 1 s/);
      expect(failed.path).toMatch(/^\d+$/);
      const replay = (failed.replay as string).replace(/^npx spoolcheck run /, '').split(' ');
      const again = await json(replay);
      expect(again.code).toBe(1);
      expect(again.report.results[0]?.runs).toBe(1);
    } finally {
      delete process.env['SPOOLCHECK_HANG'];
    }
  });

  it('the control: our own queue holds under a tight run limit (the limit is not what fails the fixture)', { timeout: 60_000 }, async () => {
    const io = capture();
    expect(await main(['run', '--suite', 'queue', '--property', 'sequential', '--runs', '30', '--run-timeout', '5'], io, now)).toBe(0);
    expect(io.text()).toMatch(/queue +sequential +30 +holds/);
  });
});
