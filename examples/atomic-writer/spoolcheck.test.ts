/**
 * spoolcheck's file suite on the config saver: the careless version is caught by every property,
 * the careful one passes them all, and each safety step, off alone, is found by exactly the
 * properties README.md says (default budget and seed: what `spoolcheck run --target` runs).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED } from '../../cli/run-suites.ts';
import { FILE_PROPERTIES } from '../../properties/file/index.ts';
import { runProperty } from '../../properties/suite.ts';
import type { Target } from '../../targets/target.ts';
import { writerAdapter } from './adapter.ts';
import careful from './careful-target.ts';
import careless from './careless-target.ts';
import { CAREFUL, type WriterOptions } from './options.ts';

const now = (): number => performance.now();

/** The file properties that fail on `target`, by name. */
async function failing(target: Target): Promise<string[]> {
  const out: string[] = [];
  for (const p of FILE_PROPERTIES) {
    const o = await runProperty(p, { seed: DEFAULT_SEED, numRuns: p.defaultRuns, target }, now);
    expect(o.verdict).not.toBe('not-applicable');
    if (o.verdict === 'fails') {
      expect(o.counterexample).not.toMatch(/did NOT fail again|with no fault injected/);
      out.push(p.name);
    }
  }
  return out;
}

describe('spoolcheck on the config saver example', () => {
  it('the careless saver fails every file property', async () => {
    expect(await failing(careless)).toEqual(['disk-full', 'io-error', 'atomic-replace-strict', 'atomic-replace-ext4-ordered', 'atomic-replace-process-crash']);
  });

  it('the careful saver passes every file property', async () => {
    expect(await failing(careful)).toEqual([]);
  });

  it.each([
    ['tmpThenRename', ['disk-full', 'io-error', 'atomic-replace-strict', 'atomic-replace-ext4-ordered', 'atomic-replace-process-crash']],
    ['fsyncFile', ['atomic-replace-strict']],
    ['fsyncDir', ['atomic-replace-strict', 'atomic-replace-ext4-ordered']],
    ['loopShortWrites', ['disk-full']],
  ] as const)('without %s alone, found by %j', async (step, expected) => {
    const options: WriterOptions = { ...CAREFUL, [step]: false };
    expect(await failing({ name: `atomic-writer-without-${step}`, description: '', fileWriter: writerAdapter(options) })).toEqual(expected);
  });
});
