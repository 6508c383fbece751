/** The ring suite at the test budget, and pinned cases of its checks. */
import { describe, expect, it } from 'vitest';
import { runProperty } from '../suite.ts';
import { runGarbageHeader } from './garbage-header.ts';
import { runHandshake } from './handshake.ts';
import { RING_PROPERTIES } from './index.ts';
import { REAL_TARGET, variantTarget } from '../../targets/builtin.ts';
import { describeResult } from './model-vs-impl.ts';

describe('ring suite, real implementation', () => {
  it.each(RING_PROPERTIES.map((p) => [p.name, p] as const))('%s holds', async (_name, property) => {
    const outcome = await runProperty(property, { seed: 42, numRuns: property.testRuns, target: REAL_TARGET }, () => performance.now());
    expect(outcome.counterexample ?? '').toBe('');
    expect(outcome.verdict).toBe('holds');
  });

  it('the handshake check sees the RB-1 interleaving (push, suspend acknowledged, advance)', async () => {
    const calls = ['push', 'suspend', 'producerState', 'consumerState', 'advance'] as const;
    expect(await runHandshake(calls, { seed: 0, numRuns: 1, target: REAL_TARGET })).toBeUndefined();
    const buggy = await runHandshake(calls, { seed: 0, numRuns: 1, target: variantTarget({ id: 'RB-1', catalog: '', description: '', suites: [], available: true, ring: { advanceIgnoresSuspend: true } }) });
    expect(buggy).toMatch(/published .* after the consumer observed the ring suspended/);
  });

  it('a header claiming the whole u32 range is corrupt, not an item', async () => {
    expect(await runGarbageHeader([10, 20], 1, { absolute: 0xffffffff }, { seed: 0, numRuns: 1, target: REAL_TARGET })).toBeUndefined();
  });
});

describe('the ring side-by-side transcript', () => {
  it("shows an error's message and an item's bytes, not only the kind and the length", () => {
    expect(describeResult({ kind: 'error', error: 'corrupt', message: 'producer position 12 is behind the consumer 40' })).toBe(
      '{"kind":"error","error":"corrupt","message":"producer position 12 is behind the consumer 40"}',
    );
    expect(describeResult({ kind: 'ok', value: new Uint8Array([1, 2, 255]) })).toBe('{"kind":"ok","value":"<3 bytes: 0102ff>"}');
    expect(describeResult({ kind: 'ok', value: new Uint8Array(100).fill(7) })).toBe(`{"kind":"ok","value":"<100 bytes: ${'07'.repeat(64)}...>"}`);
  });
});
