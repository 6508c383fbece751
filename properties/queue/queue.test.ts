/**
 * The queue suite: our multispool passes it through the QueueAdapter alone, and the multispool
 * variants that break what a queue user can see are caught through that API too, at the
 * default budget and seed (what `spoolcheck run --variant ID --suite queue` runs).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED } from '../../cli/main.ts';
import { REAL_TARGET, variantTarget } from '../../targets/builtin.ts';
import type { Target } from '../../targets/target.ts';
import { runProperty } from '../suite.ts';
import { findVariant } from '../variants.ts';
import { QUEUE_PROPERTIES } from './index.ts';

const now = (): number => performance.now();

describe('queue suite', () => {
  it.each(QUEUE_PROPERTIES.map((p) => [p.name, p] as const))('%s holds for our multispool', async (_name, property) => {
    const outcome = await runProperty(property, { seed: 42, numRuns: property.testRuns, target: REAL_TARGET }, now);
    expect(outcome.counterexample ?? '').toBe('');
    expect(outcome.verdict).toBe('holds');
    expect(outcome.runs).toBe(property.testRuns);
  });

  it.each([
    ['SEQ-2', 'sequential', /list\(\) gave|checkout\(.*\) gave|enqueue gave/],
    ['RC-1', 'crash-process-crash', /duplicate|lost|broken/],
    ['MS-1', 'crash-strict', /lost: acknowledged item|broken: item/],
    ['MS-1', 'crash-ext4-ordered', /lost: acknowledged item|broken: item/],
    ['MS-2', 'crash-strict', /broken: item .* checking it out threw/],
    ['MS-5', 'crash-process-crash', /broken: item/],
    ['MS-4', 'two-processes', /failed|was checked out by|left in the queue|which the stored item/],
    ['RC-1', 'two-processes', /failed|was checked out by|left in the queue/],
    ['MS-5', 'two-processes-kill', /process b was killed/],
    ['SEQ-10', 'faults', /broken: item .* came back, but checking it out gave nothing/],
    ['MS-3', 'reader-never-sleeps', /the reader sleeps with work waiting/],
    ['SEQ-7', 'reader-never-sleeps', /take\(\) gave nothing \(undefined\) though it was not stopped/],
  ] as const)('%s is caught by queue/%s through the API', async (id, name, message) => {
    const variant = findVariant(id);
    const property = QUEUE_PROPERTIES.find((p) => p.name === name);
    if (variant === undefined || property === undefined) throw new Error(`no ${id} or ${name}`);
    const outcome = await runProperty(property, { seed: DEFAULT_SEED, numRuns: property.defaultRuns, target: variantTarget(variant) }, now);
    expect(outcome.verdict).toBe('fails');
    expect(outcome.counterexample).toMatch(message);
    expect(outcome.counterexample).not.toMatch(/did NOT fail again/);
  });

  it('a queue that claims nothing is not crash-checked: those properties are not applicable', async () => {
    const queue = REAL_TARGET.queue;
    if (queue === undefined) throw new Error('the real target has a queue');
    const target: Target = { name: 'no-claims', description: 'our queue, claiming nothing', queue: { open: (w) => queue.open(w) } };
    const verdicts = await Promise.all(QUEUE_PROPERTIES.map(async (p) => [p.name, (await runProperty(p, { seed: 1, numRuns: 2, target }, now)).verdict]));
    expect(Object.fromEntries(verdicts)).toEqual({
      sequential: 'holds',
      faults: 'holds',
      'two-processes': 'holds',
      'two-processes-kill': 'not-applicable',
      'reader-never-sleeps': 'not-applicable',
      'crash-strict': 'not-applicable',
      'crash-ext4-ordered': 'not-applicable',
      'crash-process-crash': 'not-applicable',
    });
  });
});
