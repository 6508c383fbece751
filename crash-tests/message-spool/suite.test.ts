/**
 * The message spool's crash properties at the test budget: every one holds for the real
 * implementation (the exhaustive one checks every workload of up to two operations under every
 * profile), and MSG-1 is caught by the exhaustive property at the default budget and seed, with a
 * replay path that reproduces the same counterexample.
 */
import { variantTarget } from '../../targets/builtin.ts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED } from '../../cli/main.ts';
import { runProperty } from '../../properties/suite.ts';
import { findVariant } from '../../properties/variants.ts';
import { allMessageWorkloads, effectiveOps, MESSAGE_CRASH_PROPERTIES, messageCrashExhaustive } from './suite.ts';
import { runMessageWorkload } from './workload.ts';
import { REAL_TARGET } from '../../targets/builtin.ts';

describe('message spool crash suite, real implementation', () => {
  it.each(MESSAGE_CRASH_PROPERTIES.map((p) => [p.name, p] as const))('%s holds', async (_name, property) => {
    const outcome = await runProperty(property, { seed: 42, numRuns: property.testRuns, target: REAL_TARGET }, () => performance.now());
    expect(outcome.counterexample ?? '').toBe('');
    expect(outcome.verdict).toBe('holds');
    expect(outcome.runs).toBe(property.testRuns);
  });

  it('enumerates every workload of up to n operations exactly once', () => {
    const all = allMessageWorkloads(2);
    expect(all.length).toBe(1 + 11 + 121);
    expect(new Set(all.map((w) => w.join(','))).size).toBe(all.length);
  });

  it('treats workloads that differ only in operations with nothing to act on as one', async () => {
    const a = await runMessageWorkload(['deliverDone', 'freeze', 'recover']);
    const b = await runMessageWorkload(['freeze']);
    expect(effectiveOps(a)).toBe('freeze m01 -> ok');
    expect(effectiveOps(a)).toBe(effectiveOps(b));
    expect(effectiveOps(await runMessageWorkload(['send']))).not.toBe(effectiveOps(b));
  });
});

describe('MSG-1 (startup puts a checkout back where it sat)', () => {
  it('is caught by message-spool/crash-exhaustive at the default budget and seed, and the replay reproduces it', async () => {
    const variant = findVariant('MSG-1');
    expect(variant?.messageSpool).toEqual({ putBackWhereItSat: true });
    if (variant === undefined) throw new Error('no variant MSG-1');
    const ctx = { seed: DEFAULT_SEED, numRuns: messageCrashExhaustive.defaultRuns, target: variantTarget(variant) };
    const outcome = await runProperty(messageCrashExhaustive, ctx, () => performance.now());
    expect(outcome.verdict).toBe('fails');
    expect(outcome.counterexample).toMatch(/Violation: /);
    expect(outcome.counterexample).toMatch(/profile: process-crash/);
    expect(outcome.counterexample).toMatch(/crash point: after call #\d+ `rename \/spool\/\.tmp\/m01 \/spool\/active\/\.checkout\/m01` returned/);
    expect(outcome.counterexample).toMatch(/right-queue \(m01\): m01 has status frozen but sits in active/);
    expect(outcome.counterexample).not.toMatch(/did NOT fail again/);
    expect(outcome.path).toBeDefined();
    const replay = await runProperty(messageCrashExhaustive, { ...ctx, numRuns: 1, seed: outcome.seed, path: outcome.path as string }, () => performance.now());
    expect(replay.verdict).toBe('fails');
    const essentials = (text: string | undefined): string[] => (text ?? '').split('\n').filter((l) => !l.startsWith('Shrunk'));
    expect(essentials(replay.counterexample)).toEqual(essentials(outcome.counterexample));
  });
});
