/**
 * The file suite on the real npm packages of `targets/packages/`: what docs/findings.md reports
 * is found at the default budget and seed (what `spoolcheck run --target NAME` runs), and the
 * rest holds at the test budget. A writer that writes nowhere cannot pass.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { DEFAULT_SEED } from '../../cli/run-suites.ts';
import { ATOMICALLY_TARGET } from '../../targets/packages/atomically.ts';
import { STENO_TARGET } from '../../targets/packages/steno.ts';
import { WRITE_FILE_ATOMIC_SYNC_TARGET, WRITE_FILE_ATOMIC_TARGET } from '../../targets/packages/write-file-atomic.ts';
import type { Target } from '../../targets/target.ts';
import { runProperty } from '../suite.ts';
import { FILE_PROPERTIES } from './index.ts';

const now = (): number => performance.now();
const property = (name: string) => {
  const p = FILE_PROPERTIES.find((q) => q.name === name);
  if (p === undefined) throw new Error(`no file/${name}`);
  return p;
};

describe('file suite on real packages', () => {
  it.each([
    [WRITE_FILE_ATOMIC_TARGET, 'disk-full', /resolved \(reported success\)[\s\S]*a replace that resolved must have written its content in full: not atomic: the file holds .*: the first \d+ of \d+ bytes of version 1/],
    [WRITE_FILE_ATOMIC_SYNC_TARGET, 'disk-full', /resolved \(reported success\)[\s\S]*a replace that resolved must have written its content in full: not atomic: the file holds .*: the first \d+ of \d+ bytes of version 1/],
    [ATOMICALLY_TARGET, 'disk-full', /resolved \(reported success\)[\s\S]*a replace that resolved must have written its content in full: not atomic: the file holds .*: the first \d+ of \d+ bytes of version 1/],
    [STENO_TARGET, 'atomic-replace-strict', /not atomic: the file holds "" \(0 bytes\): the file is empty/],
  ] as const)('%s: the finding of file/%s reproduces', async (target, name, message) => {
    const outcome = await runProperty(property(name), { seed: DEFAULT_SEED, numRuns: property(name).defaultRuns, target }, now);
    expect(outcome.verdict).toBe('fails');
    expect(outcome.counterexample).toMatch(message);
    const replay = await runProperty(property(name), { seed: outcome.seed, numRuns: 1, path: outcome.path as string, target }, now);
    expect(replay.verdict).toBe('fails');
  });

  it.each([
    [WRITE_FILE_ATOMIC_TARGET, ['io-error', 'atomic-replace-strict', 'atomic-replace-ext4-ordered', 'atomic-replace-process-crash']],
    [WRITE_FILE_ATOMIC_SYNC_TARGET, ['io-error', 'atomic-replace-strict', 'atomic-replace-ext4-ordered', 'atomic-replace-process-crash']],
    [ATOMICALLY_TARGET, ['io-error', 'atomic-replace-strict', 'atomic-replace-ext4-ordered', 'atomic-replace-process-crash']],
    [STENO_TARGET, ['disk-full', 'io-error', 'atomic-replace-ext4-ordered', 'atomic-replace-process-crash']],
  ] as const)('%s holds the rest', async (target, names) => {
    for (const name of names) {
      const outcome = await runProperty(property(name), { seed: 42, numRuns: property(name).testRuns, target }, now);
      expect(outcome.counterexample ?? '', `${target.name} ${name}`).toBe('');
    }
  });

  it('a writer that writes to nowhere fails, naming the likely cause', async () => {
    const nowhere: Target = { name: 'nowhere', description: 'resolves without writing', fileWriter: { packages: [], promises: ['atomic'], load: async () => ({ replace: async () => undefined }) } };
    for (const name of ['disk-full', 'io-error']) {
      const outcome = await runProperty(property(name), { seed: 1, numRuns: 50, target: nowhere }, now);
      expect(outcome.verdict).toBe('fails');
      expect(outcome.counterexample).toMatch(/with no fault injected|not atomic|a replace that resolved/);
    }
  });
});

/** The words of a command line, with double-quoted words kept whole. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? (m[2] as string));
}

describe('docs/findings.md', () => {
  const doc = readFileSync(new URL('../../docs/findings.md', import.meta.url), 'utf8');
  const replays = [...doc.matchAll(/\*\*Replay\*\*: `npx spoolcheck ((?:run|trace) [^`]+)`/g)].map((m) => shellWords(m[1] as string));

  it('gives a replay line for every finding', () => {
    expect(replays.length).toBe((doc.match(/^## .*: /gm) ?? []).length);
    expect(replays.length).toBeGreaterThanOrEqual(3);
  });

  it.each(replays.map((args) => [args.join(' '), args] as const))('`spoolcheck %s` fails, as documented', { timeout: 120_000 }, async (_line, args) => {
    const out: string[] = [];
    // A trace line is run with --fail-fast: the same program, checker and states, stopping at the
    // first rejected one (checking all of them takes minutes of checker runs; the counts in the
    // document come from the line as printed).
    const run = args[0] === 'trace' ? ['trace', '--fail-fast', ...args.slice(1)] : args;
    const code = await main(run, { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, () => performance.now());
    expect(out.join('\n')).toMatch(args[0] === 'trace' ? /=== counterexample under / : /=== counterexample: (file|lock|log|message-spool)\//);
    expect(code).toBe(1);
  });
});
