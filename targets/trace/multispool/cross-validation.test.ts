/**
 * Trace mode agrees with the in-process crash suite on spoolcheck's own multispool, run as a real
 * Node program on node:fs (two of the cross-validation's cases, the ones that guard most: the
 * real multispool holds under strict, which it did only after the fix trace mode found; MS-5 fails
 * under process-crash, as crash/workloads-process-crash says). The whole table, with MS-1 and
 * every profile: `npx tsx bench/trace-cross-validation.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.ts';

const DIR = new URL('./', import.meta.url).pathname;
// The program and its checker bundled once into plain JavaScript: a checker run per crash state
// then starts in tens of milliseconds instead of the ~0.5 s of loading the sources through tsx.
const BUNDLES = mkdtempSync(join(tmpdir(), 'spoolcheck-xval-'));
beforeAll(async () => {
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: { check: `${DIR}check.ts`, workload: `${DIR}workload.ts` }, outdir: BUNDLES, outExtension: { '.js': '.mjs' }, bundle: true, platform: 'node', format: 'esm', logLevel: 'error' });
});
afterAll(() => rmSync(BUNDLES, { recursive: true, force: true }));

/** Traces the first `steps` steps of the plan under `profile` (`flags` added to trace's own). */
async function traced(variant: string, profile: string, steps: number, flags: readonly string[] = []): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await main(['trace', ...flags, '--profile', profile, '--checker', `node ${BUNDLES}/check.mjs ${variant} ${steps}`, '--', 'node', `${BUNDLES}/workload.mjs`, variant, String(steps)], { stdout: (t) => out.push(t), stderr: () => undefined }, () => performance.now());
  return { code, out: out.join('\n') };
}

describe('trace mode agrees with the in-process crash suite on our multispool', () => {
  it('the real multispool is consistent in every crash state under strict', { timeout: 120_000 }, async () => {
    // The whole plan: two enqueues, a removal, a third enqueue (creating the spool is where the
    // missing fsync was).
    const r = await traced('real', 'strict', 4);
    expect(r.out).toMatch(/ok {3}strict: [1-9]\d* crash state\(s\) checked, 0 inconsistent/);
    expect(r.code).toBe(0);
  });

  it('MS-5 (publish before the data is durable) is caught under process-crash', { timeout: 120_000 }, async () => {
    const r = await traced('MS-5', 'process-crash', 4, ['--fail-fast']);
    expect(r.out).toMatch(/FAIL process-crash: \d+ crash state\(s\) checked \(of \d+: --fail-fast\), 1 inconsistent/);
    expect(r.code).toBe(1);
  });
});
