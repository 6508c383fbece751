/**
 * `spoolcheck run` end to end (in process): the real implementation passes, a buggy variant
 * exits 1 with a counterexample and a replay line, and the replay line reproduces it.
 */
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { capture } from './capture-output.ts';


const now = (): number => performance.now();

describe('spoolcheck run', () => {
  it('exits 0 on the real implementation and prints the summary table', async () => {
    const io = capture();
    expect(await main(['run', '--suite', 'multispool', '--runs', '3'], io, now)).toBe(0);
    const text = io.out.join('\n');
    expect(text).toMatch(/suite\s+\|?\s*property/);
    expect(text).toContain('model-vs-impl-memfs');
    expect(text).toMatch(/(\d+) of \1 properties hold/);
  });

  it('--property takes a comma-separated list: exactly those properties run', async () => {
    const io = capture();
    expect(await main(['run', '--suite', 'multispool', '--property', 'reader-stop,name-format', '--runs', '2', '--json'], io, now)).toBe(0);
    const report = JSON.parse(io.out.join('')) as { results: { property: string }[] };
    expect(report.results.map((r) => r.property).sort()).toEqual(['name-format', 'reader-stop']);
  });

  it('exits 1 on variant SEQ-1 with a counterexample and a replay line that reproduces it', async () => {
    const io = capture();
    const argv = ['run', '--suite', 'multispool', '--property', 'model-vs-impl-memfs', '--variant', 'SEQ-1'];
    expect(await main(argv, io, now)).toBe(1);
    const text = io.out.join('\n');
    expect(text).toContain('=== counterexample: multispool/model-vs-impl-memfs ===');
    expect(text).toContain('Violation: ');
    const replay = /npx spoolcheck run (.+)$/m.exec(text)?.[1];
    expect(replay).toBeDefined();
    const again = capture();
    expect(await main(['run', ...(replay as string).split(' ')], again, now)).toBe(1);
    const violation = (t: string): string | undefined => /^Violation: .*$/m.exec(t)?.[0];
    expect(violation(again.out.join('\n'))).toBe(violation(text));
  });

  it('--json prints a parseable verdict', async () => {
    const io = capture();
    expect(await main(['run', '--suite', 'multispool', '--property', 'open-validation', '--runs', '2', '--json'], io, now)).toBe(0);
    const parsed = JSON.parse(io.out.join('\n')) as { verdict: string; results: Array<{ property: string; runs: number }> };
    expect(parsed.verdict).toBe('holds');
    expect(parsed.results).toEqual([expect.objectContaining({ property: 'open-validation', runs: 2 })]);
  });
});

describe('Ctrl-C', () => {
  it('ends a run with a partial summary (what ran, what did not) and exit 130', { timeout: 60_000 }, async () => {
    const { spawn } = await import('node:child_process');
    const bin = new URL('../bin/spoolcheck.js', import.meta.url).pathname;
    const child = spawn(process.execPath, [bin, 'run', '--suite', 'multispool,crash', '--runs', '20', '--workers', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (b: Buffer) => {
        const first = !/ ok {3}/.test(out);
        out += b.toString();
        // Interrupt once the first property has finished.
        if (first && / ok {3}/.test(out)) child.kill('SIGINT');
      });
      child.on('close', (c) => resolve(c));
    });
    expect(code).toBe(130);
    expect(err).toMatch(/interrupted: finishing the property that is running/);
    expect(out).toMatch(/not run \(interrupted\)/);
    expect(out).toMatch(/\d+ of \d+ properties hold, \d+ not run \(interrupted\)/);
  });
});
