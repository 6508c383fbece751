/**
 * The message spool adapter properties: our message spool passes them through the
 * MessageSpoolAdapter alone, and the variants that break what a spool user can see are caught
 * through that API too, at the default budget and seed (what `spoolcheck run --variant ID` runs).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED } from '../../cli/run-suites.ts';
import { REAL_TARGET, variantTarget } from '../../targets/builtin.ts';
import type { Target } from '../../targets/target.ts';
import { runProperty } from '../suite.ts';
import { findVariant } from '../variants.ts';
import { MAIL_CRASH_PROPERTIES } from './adapter-crash.ts';
import { adapterDelivery } from './adapter-delivery.ts';
import { adapterFaults } from './adapter-faults.ts';

const now = (): number => performance.now();
const ADAPTER_PROPERTIES = [adapterDelivery, adapterFaults, ...MAIL_CRASH_PROPERTIES];

describe('message spool adapter properties', () => {
  it.each(ADAPTER_PROPERTIES.map((p) => [p.name, p] as const))('%s holds for our message spool', async (_name, property) => {
    const outcome = await runProperty(property, { seed: 42, numRuns: property.testRuns, target: REAL_TARGET }, now);
    expect(outcome.counterexample ?? '').toBe('');
    expect(outcome.verdict).toBe('holds');
    expect(outcome.runs).toBe(property.testRuns);
  });

  it.each([
    ['MSP-2', 'adapter-delivery', /delivery of \S+ with recipients \[\] instead of/],
    ['MSP-3', 'adapter-faults', /acknowledged message .* was never delivered|still lists/],
    ['MSG-1', 'adapter-crash-strict', /stuck: status still lists .* \(frozen\)/],
    ['MSG-1', 'adapter-crash-ext4-ordered', /stuck: status still lists .* \(frozen\)/],
    ['MSG-1', 'adapter-crash-process-crash', /stuck: status still lists .* \(frozen\)/],
  ] as const)('%s is caught by message-spool/%s through the API', async (id, name, message) => {
    const variant = findVariant(id);
    const property = ADAPTER_PROPERTIES.find((p) => p.name === name);
    if (variant === undefined || property === undefined) throw new Error(`no ${id} or ${name}`);
    const outcome = await runProperty(property, { seed: DEFAULT_SEED, numRuns: property.defaultRuns, target: variantTarget(variant) }, now);
    expect(outcome.verdict).toBe('fails');
    expect(outcome.counterexample).toMatch(message);
    expect(outcome.counterexample).not.toMatch(/did NOT fail again/);
  });

  it('a spool that claims nothing is not crash-checked: those properties are not applicable', async () => {
    const spool = REAL_TARGET.messageSpool;
    if (spool === undefined) throw new Error('the real target has a message spool');
    const target: Target = { name: 'no-claims', description: 'our spool, claiming nothing', messageSpool: { open: (w) => spool.open(w), maxRetryDelayMs: spool.maxRetryDelayMs } };
    const verdicts = await Promise.all(ADAPTER_PROPERTIES.map(async (p) => [p.name, (await runProperty(p, { seed: 1, numRuns: 2, target }, now)).verdict]));
    expect(Object.fromEntries(verdicts)).toEqual({
      'adapter-delivery': 'holds',
      'adapter-faults': 'holds',
      'adapter-crash-strict': 'not-applicable',
      'adapter-crash-ext4-ordered': 'not-applicable',
      'adapter-crash-process-crash': 'not-applicable',
    });
  });

  it('a spool whose status forgets a frozen message is caught, with the session in the message', async () => {
    const spool = REAL_TARGET.messageSpool;
    if (spool === undefined) throw new Error('the real target has a message spool');
    const forgetful: Target = {
      name: 'forgets-frozen',
      description: 'our spool, but status leaves out frozen messages',
      messageSpool: {
        maxRetryDelayMs: spool.maxRetryDelayMs,
        async open(w) {
          const h = await spool.open(w);
          return { ...h, status: async () => (await h.status()).filter((m) => m.state !== 'frozen') };
        },
      },
    };
    const outcome = await runProperty(adapterDelivery, { seed: 1, numRuns: 100, target: forgetful }, now);
    expect(outcome.verdict).toBe('fails');
    expect(outcome.counterexample).toMatch(/status does not list \S+ \((held|given-up)/);
    expect(outcome.counterexample).toMatch(/session:\n {2}add\(message 1/);
  });
});
