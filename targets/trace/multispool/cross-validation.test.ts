/**
 * Trace mode agrees with the in-process crash suite on spoolcheck's own multispool, run as a real
 * Node program on node:fs (two of the cross-validation's cases, the ones that guard most: the
 * real multispool holds under strict, which it did only after the fix trace mode found; MS-5 fails
 * under process-crash, as crash/workloads-process-crash says). The whole table, with MS-1 and
 * every profile: `npx tsx bench/trace-cross-validation.ts`.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.ts';

const DIR = new URL('./', import.meta.url).pathname;

async function traced(variant: string, profile: string): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await main(['trace', '--profile', profile, '--checker', `node --import tsx ${DIR}check.ts ${variant}`, '--', 'node', '--import', 'tsx', `${DIR}workload.ts`, variant], { stdout: (t) => out.push(t), stderr: () => undefined }, () => performance.now());
  return { code, out: out.join('\n') };
}

describe('trace mode agrees with the in-process crash suite on our multispool', () => {
  it('the real multispool is consistent in every crash state under strict', { timeout: 120_000 }, async () => {
    const r = await traced('real', 'strict');
    expect(r.out).toMatch(/ok {3}strict: [1-9]\d* crash state\(s\) checked, 0 inconsistent/);
    expect(r.code).toBe(0);
  });

  it('MS-5 (publish before the data is durable) is caught under process-crash', { timeout: 120_000 }, async () => {
    const r = await traced('MS-5', 'process-crash');
    expect(r.out).toMatch(/FAIL process-crash: \d+ crash state\(s\) checked, [1-9]\d* inconsistent/);
    expect(r.code).toBe(1);
  });
});
