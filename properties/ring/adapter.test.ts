/**
 * The ring adapter properties: our ring passes them through the RingAdapter alone; RB-5 (publish
 * before the item is durable) is caught through that API at the default budget; a ring that
 * loses items on pop is caught by adapter-fifo.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED } from '../../cli/main.ts';
import { REAL_TARGET, variantTarget } from '../../targets/builtin.ts';
import type { RingAdapter } from '../../targets/ring-adapter.ts';
import type { Target } from '../../targets/target.ts';
import { runProperty, suiteTestBudget } from '../suite.ts';
import { findVariant } from '../variants.ts';
import { adapterFifo } from './adapter-fifo.ts';
import { RING_ADAPTER_CUT_PROPERTIES } from './adapter-power-cut.ts';

const now = (): number => performance.now();
const ADAPTER_PROPERTIES = [adapterFifo, ...RING_ADAPTER_CUT_PROPERTIES];
const realRing = REAL_TARGET.ring as RingAdapter;

describe('ring adapter properties', () => {
  it.each(ADAPTER_PROPERTIES.map((p) => [p.name, p] as const))('%s holds for our ring', async (_name, property) => {
    const outcome = await runProperty(property, { ...suiteTestBudget(property), target: REAL_TARGET }, now);
    expect(outcome.counterexample ?? '').toBe('');
    expect(outcome.verdict).toBe('holds');
  });

  it.each(RING_ADAPTER_CUT_PROPERTIES.map((p) => [p.name, p] as const))('RB-5 is caught by %s through the API', async (_name, property) => {
    const variant = findVariant('RB-5');
    if (variant === undefined) throw new Error('no RB-5');
    const outcome = await runProperty(property, { seed: DEFAULT_SEED, numRuns: property.defaultRuns, target: variantTarget(variant) }, now);
    expect(outcome.verdict).toBe('fails');
    expect(outcome.counterexample).toMatch(/power cut before device call \d+/);
    expect(outcome.counterexample).toMatch(/never published|came back as/);
  });

  it('a ring whose consumer skips every third item is caught by adapter-fifo', async () => {
    const lossy: RingAdapter = {
      ...realRing,
      async consumer(world) {
        const inner = await realRing.consumer(world);
        let pops = 0;
        return {
          pop: async () => {
            const item = await inner.pop();
            return item !== undefined && ++pops % 3 === 0 ? inner.pop() : item;
          },
          advance: () => inner.advance(),
        };
      },
    };
    const target: Target = { name: 'lossy', description: 'our ring, losing every third item on pop', ring: lossy };
    const outcome = await runProperty(adapterFifo, { seed: DEFAULT_SEED, numRuns: adapterFifo.defaultRuns, target }, now);
    expect(outcome.verdict).toBe('fails');
    expect(outcome.counterexample).toMatch(/pop gave/);
  });

  it('a ring claiming only sector-atomic power loss is not checked on a tearing device', async () => {
    const target: Target = { name: 'atomic-only', description: 'our ring, claiming less', ring: { ...realRing, survives: ['power-loss'] } };
    const verdicts = await Promise.all(ADAPTER_PROPERTIES.map(async (p) => (await runProperty(p, { seed: 1, numRuns: 1, target }, now)).verdict));
    expect(verdicts).toEqual(['holds', 'holds', 'not-applicable']);
  });
});
