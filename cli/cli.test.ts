import { describe, expect, it } from 'vitest';
import { shortCapabilities } from './targets-command.ts';
import { main, USAGE } from './main.ts';
import type { Output } from './output.ts';
import { VARIANTS } from '../properties/variants.ts';

function capture(): Output & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
}

const now = (): number => 0;

describe('spoolcheck CLI usage errors', () => {
  it.each([
    [['frobnicate']],
    [['run', '--bogus']],
    [['run', '--seed', 'abc']],
    [['run', '--runs', '0']],
    [['run', '--suite', 'no-such-suite']],
    [['run', '--variant', 'XX-9']],
    [['run', '--property', 'x']],
    [['run', '--suite', 'multispool', '--property', 'no-such-property']],
    [['run', '--suite', 'multispool', '--property', 'open-validation', '--path', 'not:a:path']],
    [['variants', '--yaml']],
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
