/**
 * spoolcheck on the Maildir example: the careless queue is caught, the fixed one passes, and
 * each safety switch of MaildirOptions, turned off alone, is caught by exactly the properties
 * README.md says (at the default budget and seed: what `spoolcheck run --target` runs).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED } from '../../cli/main.ts';
import { QUEUE_PROPERTIES } from '../../properties/queue/index.ts';
import { runProperty } from '../../properties/suite.ts';
import type { Target } from '../../targets/target.ts';
import { maildirQueue } from './adapter.ts';
import careless from './careless-target.ts';
import fixed from './fixed-target.ts';
import { CAREFUL, type MaildirOptions } from './maildir.ts';

const now = (): number => performance.now();

/** The queue properties that fail on `target`, by name (the Maildir has no reader: those are not applicable). */
async function failing(target: Target): Promise<string[]> {
  const out: string[] = [];
  for (const p of QUEUE_PROPERTIES) {
    const o = await runProperty(p, { seed: DEFAULT_SEED, numRuns: p.defaultRuns, target }, now);
    if (p.requires.includes('queue-reader')) {
      expect(o.verdict).toBe('not-applicable');
      continue;
    }
    expect(o.verdict).not.toBe('not-applicable');
    if (o.verdict === 'fails') {
      expect(o.counterexample).not.toMatch(/did NOT fail again/);
      out.push(p.name);
    }
  }
  return out;
}

describe('spoolcheck on the Maildir example', () => {
  it('the careless queue fails every queue property', async () => {
    expect(await failing(careless)).toEqual(['sequential', 'faults', 'two-processes', 'two-processes-kill', 'crash-strict', 'crash-ext4-ordered', 'crash-process-crash']);
  });

  it('the fixed queue passes every queue property', async () => {
    expect(await failing(fixed)).toEqual([]);
  });

  it.each([
    ['fsyncFile', ['crash-strict']],
    ['fsyncDirs', ['crash-strict', 'crash-ext4-ordered']],
    ['uniqueNames', ['sequential', 'faults', 'two-processes', 'two-processes-kill', 'crash-strict', 'crash-ext4-ordered', 'crash-process-crash']],
    ['recoverCur', ['sequential', 'two-processes-kill', 'crash-strict', 'crash-ext4-ordered', 'crash-process-crash']],
    ['cleanTmp', []],
  ] as const)('without %s alone, found by %j', async (option, expected) => {
    const options: MaildirOptions = { ...CAREFUL, [option]: false };
    const target: Target = { name: `maildir-without-${option}`, description: `the fixed Maildir without ${option}`, queue: maildirQueue(options, ['process-crash', 'power-loss']) };
    expect(await failing(target)).toEqual(expected);
  });
});
