import { describe, expect, it } from 'vitest';
import { shortCapabilities } from './targets-command.ts';
import { main, USAGE } from './main.ts';
import { VARIANTS } from '../properties/variants.ts';
import { capture } from './capture-output.ts';


const now = (): number => 0;

describe('spoolcheck CLI usage errors', () => {
  it.each([
    [['frobnicate']],
    [['run', '--bogus']],
    [['run', '--seed', 'abc']],
    [['run', '--runs', '0']],
    [['run', '--run-timeout', '0']],
    [['run', '--run-timeout', '0.0001']],
    [['run', '--run-timeout', '1s']],
    [['run', '--suite', 'no-such-suite']],
    [['run', '--variant', 'XX-9']],
    [['run', '--property', 'x']],
    [['run', '--suite', 'multispool', '--property', 'no-such-property']],
    [['run', '--suite', 'multispool', '--property', 'open-validation', '--path', 'not:a:path']],
    [['run', '--suite', 'multispool', '--property', 'name-format,no-such-property']],
    [['run', '--suite', 'multispool', '--property', 'name-format,']],
    [['run', '--suite', 'multispool', '--property', 'name-format,reader-stop', '--path', '0']],
    [['variants', '--yaml']],
    [['run', '--suite', '']],
    [['run', '--suite', ',']],
    [['run', '--seed', '1', '--seed', '2']],
    [['run', '--suite', 'ring', '--property', 'adapter-fifo', '--path', '999:999']],
  ])('%j exits 2 with a message on stderr', async (argv) => {
    const io = capture();
    expect(await main(argv, io, now)).toBe(2);
    expect(io.err.join('\n')).toMatch(/^spoolcheck: .+/);
  });

  it('exits 2 for a variant whose suite is not built yet, and says so', async () => {
    const pending = VARIANTS.find((v) => !v.available);
    if (pending === undefined) return;
    const io = capture();
    expect(await main(['run', '--variant', pending.id], io, now)).toBe(2);
    expect(io.err.join('\n')).toContain('does not have yet');
  });

  it('prints usage for help (exit 0) and for no command (exit 2)', async () => {
    const a = capture();
    expect(await main(['help'], a, now)).toBe(0);
    expect(a.out.join('\n')).toBe(USAGE);
    const b = capture();
    expect(await main([], b, now)).toBe(2);
  });
});

describe('a gate that cannot pass by accident', () => {
  it('a replay path that fits no run is a usage error, in JSON too with --json', async () => {
    const io = capture();
    expect(await main(['run', '--suite', 'ring', '--property', 'adapter-fifo', '--path', '999:999', '--json'], io, performance.now.bind(performance))).toBe(2);
    const json = JSON.parse(io.out.join('\n')) as { verdict: string; error: string };
    expect(json.verdict).toBe('usage-error');
    expect(json.error).toMatch(/--path 999:999 fits no run of ring\/adapter-fifo/);
  });

  it('a time budget that leaves properties cut short or not run is exit 3, unless --partial-ok', async () => {
    const clock = { t: 0 };
    // A clock that jumps 10 s per reading: the 1-second budget is spent before the second property.
    const jumping = (): number => (clock.t += 10_000);
    const a = capture();
    expect(await main(['run', '--suite', 'ring', '--seconds', '1'], a, jumping)).toBe(3);
    expect(a.err.join('\n')).toMatch(/this is not a pass \(exit 3\)/);
    expect(a.out.join('\n')).toMatch(/not run \(time budget\)/);
    const b = capture();
    expect(await main(['run', '--suite', 'ring', '--seconds', '1', '--partial-ok'], b, jumping)).toBe(0);
    const c = capture();
    expect(await main(['run', '--suite', 'ring', '--seconds', '1', '--json'], c, jumping)).toBe(3);
    expect((JSON.parse(c.out.join('\n')) as { verdict: string }).verdict).toBe('incomplete');
  });

  it('repeated --suite adds; a negative seed replays as printed (--seed=-N); --version and run --help work', async () => {
    const a = capture();
    expect(await main(['run', '--suite', 'ring', '--suite', 'journal', '--runs', '1', '--json'], a, performance.now.bind(performance))).toBe(0);
    const suites = new Set((JSON.parse(a.out.join('\n')) as { results: { suite: string }[] }).results.map((r) => r.suite));
    expect([...suites].sort()).toEqual(['journal', 'ring']);
    const { replayLine } = await import('./run.ts');
    const line = replayLine({ suite: 'ring', property: 'adapter-fifo', seed: -5, path: '0', verdict: 'fails', runs: 1, elapsedMs: 0, interrupted: false }, []);
    expect(line).toContain('--seed=-5');
    const b = capture();
    expect(await main(line.replace('npx spoolcheck ', '').split(' '), b, performance.now.bind(performance))).not.toBe(2);
    const v = capture();
    expect(await main(['--version'], v, now)).toBe(0);
    expect(v.out.join('')).toMatch(/^spoolcheck \d+\.\d+\.\d+/);
    const h = capture();
    expect(await main(['run', '--help'], h, now)).toBe(0);
    expect(h.out.join('')).toMatch(/--partial-ok/);
    const r = capture();
    expect(await main(['ring', '--help'], r, now)).toBe(0);
    expect(r.out.join('')).toMatch(/spoolcheck ring create FILE/);
    const t = capture();
    expect(await main(['trace', '--help'], t, now)).toBe(0);
    expect(t.out.join('')).toMatch(/SPOOLCHECK_OUTPUT/);
  });
});

describe('docs/bug-catalogue.md', () => {
  it('is the registry as `spoolcheck variants --markdown` prints it (regenerate it when a variant changes)', async () => {
    const { readFileSync } = await import('node:fs');
    const { catalogueMarkdown } = await import('./variants-command.ts');
    expect(readFileSync(new URL('../docs/bug-catalogue.md', import.meta.url), 'utf8')).toBe(`${catalogueMarkdown().trimEnd()}\n`);
  });
});

describe('spoolcheck targets', () => {
  it('--json lists real first, then every available variant, each with the builtin capability, then the packages', async () => {
    const io = capture();
    expect(await main(['targets', '--json'], io, now)).toBe(0);
    const parsed = JSON.parse(io.out.join('\n')) as Array<{ name: string; capabilities: string[] }>;
    const ours = ['real', ...VARIANTS.filter((v) => v.available).map((v) => v.id)];
    expect(parsed.map((t) => t.name)).toEqual([...ours, 'write-file-atomic', 'write-file-atomic-sync', 'atomically', 'steno', 'proper-lockfile', 'nedb']);
    for (const t of parsed.slice(0, ours.length)) expect(t.capabilities).toContain('builtin');
    for (const t of parsed.slice(ours.length, -2)) expect(t.capabilities).toEqual(['file-writer', 'file-writer-atomic']);
    expect(parsed.at(-2)?.capabilities).toEqual(['lock']);
    expect(parsed.at(-1)?.capabilities).toEqual(['append-log', 'append-log-kill-safe', 'append-log-sync']);
  });
  it('refuses an unknown flag', async () => {
    const io = capture();
    expect(await main(['targets', '--yaml'], io, now)).toBe(2);
  });
  it('the table gives each target part once, with its claims in brackets', async () => {
    const io = capture();
    expect(await main(['targets'], io, now)).toBe(0);
    expect(io.out.join('\n')).toMatch(/^real +queue\[process-crash,power-loss\] queue-reader ring\[power-loss,torn-writes\] journal\[power-loss,torn-writes\] message-spool\[process-crash,power-loss\] builtin +the real/m);
    expect(shortCapabilities(['queue', 'builtin'])).toBe('queue builtin');
  });
});

describe('spoolcheck variants', () => {
  it('--json lists every variant with id, catalog, description and suites', async () => {
    const io = capture();
    expect(await main(['variants', '--json'], io, now)).toBe(0);
    const parsed = JSON.parse(io.out.join('\n')) as Array<Record<string, unknown>>;
    expect(parsed.map((v) => v.id)).toEqual(VARIANTS.map((v) => v.id));
    for (const v of parsed) {
      expect(typeof v.id).toBe('string');
      expect(typeof v.catalog).toBe('string');
      expect(typeof v.description).toBe('string');
      expect(Array.isArray(v.suites)).toBe(true);
    }
  });

  it('lists the catalog entries MS-1..MS-5 and at least two runnable variants of our own', async () => {
    const ids = VARIANTS.map((v) => v.id);
    for (const id of ['MS-1', 'MS-2', 'MS-3', 'MS-4', 'MS-5']) expect(ids).toContain(id);
    expect(VARIANTS.filter((v) => v.catalog === 'own' && v.available).length).toBeGreaterThanOrEqual(2);
  });
});
