/**
 * The message-spool suite's side-by-side and two-process properties at the test budget: each holds
 * for the real implementation (batch-faults, lock-generations and startup-damage too), and the side-by-side check catches a change no variant makes (a
 * deliberately broken sender answer), so it is shown to compare what it claims to. (The crash
 * properties have their own test in crash-tests/message-spool; `spoolcheck run` runs all of them
 * at the default budget.)
 */
import { describe, expect, it } from 'vitest';
import { runBatchFaults, batchFaults } from './message-spool/batch-faults.ts';
import { messageModelVsImpl } from './message-spool/model-vs-impl.ts';
import { lockExclusive, twoProcesses } from './message-spool/two-processes.ts';
import { lockGenerations } from './message-spool/lock-generations.ts';
import { startupDamage } from './message-spool/startup-damage.ts';
import { MessageSideBySideViolation, runMessageSideBySide } from './message-spool/side-by-side.ts';
import { runProperty } from './suite.ts';
import { REAL_TARGET, variantTarget } from '../targets/builtin.ts';
import { findVariant } from './variants.ts';

function findVariantOrThrow(id: string): NonNullable<ReturnType<typeof findVariant>> {
  const v = findVariant(id);
  if (v === undefined) throw new Error(`no variant ${id}`);
  return v;
}

describe('message-spool suite, real implementation', () => {
  it.each([messageModelVsImpl, twoProcesses, lockExclusive, lockGenerations, batchFaults, startupDamage].map((p) => [p.name, p] as const))('%s holds', async (_name, property) => {
    const outcome = await runProperty(property, { seed: 42, numRuns: property.testRuns, target: REAL_TARGET }, () => performance.now());
    expect(outcome.counterexample ?? '').toBe('');
    expect(outcome.verdict).toBe('holds');
    expect(outcome.runs).toBe(property.testRuns);
  });

  it('a hand-written run: delivery, retry at the interval, restart re-sends what was in flight', async () => {
    const run = await runMessageSideBySide([
      { cmd: 'add', count: 1, initialStatus: 'sendNow', intervals: 'default' },
      { cmd: 'resolve', pick: 0, outcome: { presend: 'sendNow', laterMs: 0, send: 'tryLater' } },
      { cmd: 'tick', ms: 999 },
      { cmd: 'tick', ms: 1 },
      { cmd: 'restart' },
      { cmd: 'resolve', pick: 0, outcome: { presend: 'sendNow', laterMs: 0, send: 'done' } },
    ]);
    expect(run.model.events.map((e) => e.kind)).toEqual(['spooled', 'delayed', 'delivered']);
    expect(run.model.attemptsStarted.map((a) => a.at - (run.model.attemptsStarted[0]?.at ?? 0))).toEqual([0, 1_000, 1_000]);
    expect(run.transcript.some((l) => l.includes('"putBack":["m001"]'))).toBe(true);
  });

  it('the side-by-side run tells a wrong count apart (MSP-1: countFromDisk skips checkouts)', async () => {
    const commands = [
      { cmd: 'add', count: 1, initialStatus: 'sendNow', intervals: 'default' },
      { cmd: 'countFromDisk' },
    ] as const;
    await expect(runMessageSideBySide(commands)).resolves.toBeDefined();
    await expect(runMessageSideBySide(commands, { countSkipsCheckouts: true })).rejects.toThrow(MessageSideBySideViolation);
  });

  it('a batch that fails at its first message keeps nothing and gives every name back, and says so (MSP-4 leaks one)', async () => {
    const target = { seed: 0, numRuns: 1, target: REAL_TARGET };
    expect(await runBatchFaults({ count: 3, into: 'frozen' }, { eioOnWrite: 0 }, target)).toEqual([]);
    expect(await runBatchFaults({ count: 3, into: 'quarantine' }, { eioOnFsync: 0 }, target)).toEqual([]);
    const leaky = await runBatchFaults({ count: 3, into: 'frozen' }, { eioOnWrite: 0 }, { ...target, target: variantTarget(findVariantOrThrow('MSP-4')) });
    expect(leaky.join('\n')).toMatch(/threw add \(messages none were spooled before\)/);
    expect(leaky).toContain('  the Monitor reports orphaned m002 in .registry (a reservation the batch did not give back)');
  });
});
