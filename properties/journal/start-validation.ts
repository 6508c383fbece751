/**
 * `journal/start-validation`: a journal starts only on a ring it can trust. The device is built
 * and damaged as in `ring/attach-validation` (a used ring, then a signature byte, a control
 * record's position or flag, or both positions changed; or a geometry no ring fits), and the
 * journal starts on it. By the format's rules (`expectedAttach`):
 *  - a bad geometry, a corrupt control record, or positions breaking C <= P <= C + T: the start
 *    fails, saying so (`geometry`, `corrupt`), and writes nothing;
 *  - no signature: the journal creates a ring and starts, with nothing to perform;
 *  - the consumer's suspend flag set: the start fails with `suspended` (no journal can push; the
 *    producer's attach has acknowledged the suspend, the one write allowed);
 *  - otherwise it starts, and when no position was damaged it performs exactly the items the
 *    ring held unconsumed, in order.
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { sameBytes } from '../../model/fifo/fifo.ts';
import { attachScenarioArb, buildDevice, expectedAttach, ITEM_BYTE, type AttachScenario } from '../ring/attach-validation.ts';
import { errorText } from '../session-report.ts';
import { adapterOf, type PropertyDef, type RunContext } from '../suite.ts';
import { settleJournal } from './settle.ts';

/** Runs one scenario; the violation in words, or undefined. */
export async function runStartValidation(s: AttachScenario, ctx: RunContext): Promise<string | undefined> {
  const { device, unconsumed } = await buildDevice(s, ctx);
  const before = device.snapshot();
  const rules = expectedAttach(device.sectorSize, device.sectorCount, before);
  const want = rules.said === 'ok' && rules.consumerFlag ? 'suspended' : rules.said;
  const clock = manualClock(0);
  const performed: string[] = [];
  let started;
  try {
    started = await adapterOf(ctx, 'journal').start({
      device,
      clock,
      perform: async (batch) => {
        performed.push(...batch);
        return 'ok';
      },
    });
  } catch (err) {
    const text = errorText(err);
    if (want === 'ok' || want === 'notInitialised') return `the start failed (${text}), though the ring ${want === 'ok' ? 'is sound' : 'is absent (a new one is created)'}`;
    if (!text.includes(want)) return `the start failed without saying ${want}: ${text}`;
    // On a suspended ring the producer's attach acknowledges the suspend: that write is the handshake.
    if (want === 'suspended') return undefined;
    return sameBytes(before, device.snapshot()) ? undefined : `the start failed (${text}) and wrote to the device`;
  }
  await settleJournal();
  clock.advance(10_000);
  await settleJournal();
  await started.shutdown();
  if (want !== 'ok' && want !== 'notInitialised') return `the journal started, though the ring is ${want === 'suspended' ? 'suspended' : `${want} (the rules say the attach must fail)`}`;
  if (want === 'notInitialised') return performed.length === 0 ? undefined : `a journal on a new ring performed ${performed.length} op(s)`;
  const positionsKept = s.damage.every((d) => d.to === 'signature' || 'flag' in d);
  if (!positionsKept) return undefined;
  const expected = unconsumed.map((size) => String.fromCharCode(ITEM_BYTE).repeat(size));
  const same = performed.length === expected.length && performed.every((op, i) => op === expected[i]);
  return same ? undefined : `the journal performed ${performed.length} op(s) of ${performed.map((o) => o.length).join(', ') || 'none'} bytes, not the ${expected.length} unconsumed item(s) of ${unconsumed.join(', ') || 'none'} bytes the ring held`;
}

/** The start-validation property. */
export const journalStartValidation: PropertyDef = {
  suite: 'journal',
  name: 'start-validation',
  requires: ['builtin', 'journal'],
  description: 'the journal starts on a damaged ring only when the format allows it: a bad geometry, a corrupt control record or a suspended ring fail the start (saying why, writing nothing); no ring means a new one; a sound ring is replayed',
  defaultRuns: 500,
  testRuns: 80,
  build: (ctx) =>
    fc.asyncProperty(attachScenarioArb, async (scenario) => {
      const violation = await runStartValidation(scenario, ctx);
      if (violation !== undefined) throw new Error(violation);
    }) as unknown as fc.IAsyncProperty<never>,
};
