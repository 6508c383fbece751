/**
 * spoolcheck on the naive ring example: the careless ring is caught, the fixed one passes, and
 * each safety switch of NaiveRingOptions, turned off alone, is caught by exactly the properties
 * README.md says (at the default budget and seed: what `spoolcheck run --target` runs).
 */
import { describe, expect, it } from 'vitest';
import { runSuites } from '../../cli/run-suites.ts';
import { PROPERTIES } from '../../cli/suites.ts';
import type { Target } from '../../targets/target.ts';
import { naiveRing } from './adapter.ts';
import careless from './careless-target.ts';
import fixed from './fixed-target.ts';
import { CAREFUL, type NaiveRingOptions } from './naive-ring.ts';

/** The ring properties any RingAdapter can be checked by. */
const ADAPTER_PROPERTIES = PROPERTIES.filter((p) => p.suite === 'ring' && p.requires.includes('ring'));

/** The adapter properties that fail on `target`, by name. */
async function failing(target: Target): Promise<string[]> {
  const report = await runSuites(target, { properties: ADAPTER_PROPERTIES });
  expect(report.outcomes.map((o) => o.verdict)).not.toContain('not-applicable');
  for (const o of report.outcomes) expect(o.counterexample ?? '').not.toMatch(/did NOT fail again/);
  return report.outcomes.filter((o) => o.verdict === 'fails').map((o) => o.property);
}

describe('spoolcheck on the naive ring example', () => {
  it('checks it with the five adapter properties', () => {
    expect(ADAPTER_PROPERTIES.map((p) => p.name)).toEqual(['adapter-fifo', 'adapter-power-cut-atomic', 'adapter-power-cut-torn-8', 'adapter-ambiguous-write', 'adapter-device-errors']);
  });

  it('the careless ring fails every adapter property', async () => {
    expect(await failing(careless)).toEqual(['adapter-fifo', 'adapter-power-cut-atomic', 'adapter-power-cut-torn-8', 'adapter-ambiguous-write', 'adapter-device-errors']);
  });

  it('the fixed ring passes every adapter property', async () => {
    expect(await failing(fixed)).toEqual([]);
  });

  it.each([
    ['flushBeforePublish', ['adapter-power-cut-atomic', 'adapter-power-cut-torn-8']],
    ['flushAfterPublish', ['adapter-power-cut-atomic', 'adapter-power-cut-torn-8']],
    ['checksummedHeader', ['adapter-power-cut-torn-8', 'adapter-ambiguous-write', 'adapter-device-errors']],
    ['wrapCorrectly', ['adapter-fifo']],
    ['rereadAfterFailedWrite', ['adapter-ambiguous-write', 'adapter-device-errors']],
    ['keepPositionAfterFailedFlush', ['adapter-device-errors']],
  ] as const)('without %s alone, found by %j', async (option, expected) => {
    const options: NaiveRingOptions = { ...CAREFUL, [option]: false };
    const target: Target = { name: `naive-ring-without-${option}`, description: `the fixed naive ring without ${option}`, ring: naiveRing(options, ['power-loss', 'torn-writes']) };
    expect(await failing(target)).toEqual(expected);
  });
});
