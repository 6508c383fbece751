/** journal/start-validation (its budget run is in trace-property.test.ts): what it catches. */
import { describe, expect, it } from 'vitest';
import { runStartValidation } from './start-validation.ts';
import { REAL_TARGET, variantTarget } from '../../targets/builtin.ts';

const lenientRing = variantTarget({ id: 'RNG-3', catalog: '', description: '', suites: [], available: true, ring: { lenientFlagByte: true } });

describe('journal/start-validation', () => {
  it('a journal on a ring that takes a garbage flag for false (RNG-3) starts on a corrupt ring', async () => {
    const scenario = { sectorSize: 512, sectorCount: 4, pushed: [3], consumed: 0, damage: [{ to: 'consumer' as const, flag: 7 }], producerFirst: true };
    expect(await runStartValidation(scenario, { seed: 0, numRuns: 1, target: REAL_TARGET })).toBeUndefined();
    expect(await runStartValidation(scenario, { seed: 0, numRuns: 1, target: lenientRing })).toBe('the journal started, though the ring is corrupt (the rules say the attach must fail)');
  });

  it('replays what a sound ring holds unconsumed, in order', async () => {
    const scenario = { sectorSize: 512, sectorCount: 5, pushed: [3, 0, 600], consumed: 1, damage: [], producerFirst: true };
    expect(await runStartValidation(scenario, { seed: 0, numRuns: 1, target: REAL_TARGET })).toBeUndefined();
  });
});
