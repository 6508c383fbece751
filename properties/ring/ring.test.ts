/** The ring suite at the test budget, and pinned cases of its checks. */
import { describe, expect, it } from 'vitest';
import { runProperty, suiteTestBudget } from '../suite.ts';
import { runGarbageHeader } from './garbage-header.ts';
import { runHandshake } from './handshake.ts';
import { RING_PROPERTIES } from './index.ts';
import { REAL_TARGET, variantTarget } from '../../targets/builtin.ts';
import { describeResult } from './model-vs-impl.ts';
import { expectedAttach, runAttachValidation } from './attach-validation.ts';
import { memoryBlockDevice } from '../../impl/io/memory-block-device.ts';
import { createRing, PRODUCER_SECTOR, CONSUMER_SECTOR } from '../../impl/ring/index.ts';

describe('ring suite, real implementation', () => {
  it.each(RING_PROPERTIES.map((p) => [p.name, p] as const))('%s holds', async (_name, property) => {
    const outcome = await runProperty(property, { ...suiteTestBudget(property), target: REAL_TARGET }, () => performance.now());
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

describe('attach-validation', () => {
  /** The bytes of a fresh 512 x 4 ring with the producer at `p` and the consumer at `c` (raw 64-bit values). */
  async function ringWith(p: bigint, c: bigint): Promise<Uint8Array> {
    const device = memoryBlockDevice({ sectorSize: 512, sectorCount: 4 });
    await createRing(device);
    const bytes = device.snapshot();
    new DataView(bytes.buffer).setBigUint64(PRODUCER_SECTOR * 512, p, true);
    new DataView(bytes.buffer).setBigUint64(CONSUMER_SECTOR * 512, c, true);
    return bytes;
  }

  it('works out the answer from the bytes: the bounds C <= P <= C + T and 2^53 are where they should be', async () => {
    expect(expectedAttach(512, 4, await ringWith(512n, 0n)).said).toBe('ok');
    expect(expectedAttach(512, 4, await ringWith(516n, 0n)).said).toBe('corrupt');
    expect(expectedAttach(512, 4, await ringWith(0n, 4n)).said).toBe('corrupt');
    expect(expectedAttach(512, 4, await ringWith(2n ** 53n - 4n, 2n ** 53n - 8n)).said).toBe('ok');
    expect(expectedAttach(512, 4, await ringWith(2n ** 53n, 2n ** 53n - 8n)).said).toBe('corrupt');
    expect(expectedAttach(512, 4, await ringWith(6n, 2n)).said).toBe('corrupt');
    expect(expectedAttach(510, 4, new Uint8Array(510 * 4)).said).toBe('geometry');
    expect(expectedAttach(512, 3, new Uint8Array(512 * 3)).said).toBe('geometry');
    expect(expectedAttach(512, 4, new Uint8Array(512 * 4)).said).toBe('notInitialised');
  });

  it("says what a refusal's message must name: the bad value, its sector, each cause", async () => {
    const clues = (ss: number, n: number, bytes: Uint8Array): unknown => {
      const want = expectedAttach(ss, n, bytes);
      return want.said === 'ok' ? undefined : want.clues;
    };
    expect(clues(512, 4, await ringWith(516n, 0n))).toEqual([['0', '516']]);
    expect(clues(512, 4, await ringWith(6n, 2n ** 60n))).toEqual([['sector 1', '6'], ['sector 2', String(2n ** 60n)]]);
    expect(clues(510, 3, new Uint8Array(510 * 3))).toEqual([['510'], ['3']]);
    expect(clues(512, 4, new Uint8Array(512 * 4))).toEqual([['sector 0']]);
  });

  it('catches a decoder that takes a garbage flag for false (RNG-3)', async () => {
    const scenario = { sectorSize: 512, sectorCount: 4, pushed: [], consumed: 0, damage: [{ to: 'producer' as const, flag: 0 }], producerFirst: false };
    expect(await runAttachValidation(scenario, { seed: 0, numRuns: 1, target: REAL_TARGET })).toBeUndefined();
    const buggy = await runAttachValidation(scenario, { seed: 0, numRuns: 1, target: variantTarget({ id: 'RNG-3', catalog: '', description: '', suites: [], available: true, ring: { lenientFlagByte: true } }) });
    expect(buggy).toBe("consumer attaching first: the consumer's attach said ok, not corrupt");
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
