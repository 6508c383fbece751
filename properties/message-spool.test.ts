/**
 * The message-spool suite's side-by-side and two-process properties at the test budget: each holds
 * for the real implementation, and the side-by-side check catches a change no variant makes (a
 * deliberately broken sender answer), so it is shown to compare what it claims to. (The crash
 * properties have their own test in crash-tests/message-spool; `spoolcheck run` runs all of them
 * at the default budget.)
 */
import { describe, expect, it } from 'vitest';
import { messageModelVsImpl } from './message-spool/model-vs-impl.ts';
import { lockExclusive, twoProcesses } from './message-spool/two-processes.ts';
import { MessageSideBySideViolation, runMessageSideBySide } from './message-spool/side-by-side.ts';
import { runProperty } from './suite.ts';
import { REAL_TARGET } from '../targets/builtin.ts';

describe('message-spool suite, real implementation', () => {
  it.each([messageModelVsImpl, twoProcesses, lockExclusive].map((p) => [p.name, p] as const))('%s holds', async (_name, property) => {
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
});
