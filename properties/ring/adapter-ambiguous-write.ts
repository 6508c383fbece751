/**
 * `ring/adapter-ambiguous-write`: a ring stays correct and usable after one ambiguous device
 * write: a write that fails with an I/O error yet lands all the same, is lost, or lands torn at
 * 8-byte granules (`sim/faulty-block.ts`), at a random write of a random workload of pushes,
 * pops and advances, judged as `faulty-session.ts` says: only the call whose write failed may
 * fail (a ring that turns `corrupt` for good after one failed write is unusable), every
 * acknowledged item is delivered once, in order, the failed push at most once, nothing else.
 */
import fc from 'fast-check';
import type { BlockDevice } from '../../impl/io/block-device.ts';
import { faultyBlockDevice, granulesPerSector, type AmbiguousOutcome, type FaultyBlockDevice } from '../../sim/faulty-block.ts';
import { RING_DEVICE, type RingAdapter } from '../../targets/ring-adapter.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { cutStepArb, type RingAdapterStep } from './adapter-session.ts';
import { faultReport, runFaultySession } from './faulty-session.ts';

const TEAR = 8;
/** Longest random workload. */
const MAX_STEPS = 10;

/** The outcome of the ambiguous write (a torn one on a sector of the ring's device size). */
export const outcomeArb: fc.Arbitrary<AmbiguousOutcome> = fc.oneof(
  fc.constant<AmbiguousOutcome>({ kind: 'lands' }),
  fc.constant<AmbiguousOutcome>({ kind: 'lost' }),
  fc.array(fc.boolean(), { minLength: granulesPerSector(RING_DEVICE.sectorSize, TEAR), maxLength: granulesPerSector(RING_DEVICE.sectorSize, TEAR) }).map((keep): AmbiguousOutcome => ({ kind: 'torn', keep })),
);

/**
 * `device` with its `at`-th write (0-based, counted from when it is armed: now, unless `armed` is
 * false, then from `arm()`) made ambiguous; `hit()` says whether it came.
 */
export function ambiguousAt(device: FaultyBlockDevice, at: number, outcome: AmbiguousOutcome, armed = true): { device: BlockDevice; hit(): boolean; arm(): void } {
  let writes = 0;
  let hit = false;
  let counting = armed;
  return {
    hit: () => hit,
    arm: () => {
      counting = true;
    },
    device: {
      description: device.description,
      sectorSize: device.sectorSize,
      sectorCount: device.sectorCount,
      read: (s) => device.read(s),
      flush: () => device.flush(),
      write: (s, d) => {
        if (counting && writes++ === at) {
          device.ambiguousNextWrite(outcome);
          hit = true;
        }
        return device.write(s, d);
      },
    },
  };
}

/** Runs the workload with one ambiguous write; throws what it breaks. */
async function assertSurvivesAmbiguousWrite(adapter: RingAdapter, steps: readonly RingAdapterStep[], at: number, outcome: AmbiguousOutcome): Promise<void> {
  const faulty = faultyBlockDevice({ ...RING_DEVICE, tearGranularity: TEAR, faultBudget: { ambiguous: 1 } });
  await adapter.create({ device: faulty });
  const armed = ambiguousAt(faulty, at, outcome);
  const { log, problems } = await runFaultySession(adapter, { device: armed.device, hits: () => (armed.hit() ? 1 : 0) }, steps);
  if (problems.length > 0) throw new Error(ambiguousWriteReport('the ring', `write #${at} after the ring was made`, outcome, log, problems));
}

/** The report of a session that one ambiguous write (`which`, with `outcome`) broke: what `what` did and what it violated. */
export function ambiguousWriteReport(what: string, which: string, outcome: AmbiguousOutcome, log: readonly string[], problems: readonly string[]): string {
  const fate = outcome.kind === 'lands' ? 'landed all the same' : outcome.kind === 'lost' ? 'was lost' : 'landed in part';
  return faultReport(what, `one ambiguous write (${which}: it failed and ${fate})`, log, problems);
}

export const adapterAmbiguousWrite: PropertyDef = {
  suite: 'ring',
  name: 'adapter-ambiguous-write',
  requires: ['ring'],
  description: 'one device write fails yet lands (or is lost, or lands torn) at a random point of a random workload: only that call fails, every acknowledged item pops out once, in order, byte for byte, the failed push at most once, nothing else',
  defaultRuns: 300,
  testRuns: 40,
  build: (ctx) =>
    fc.asyncProperty(fc.array(cutStepArb, { minLength: 1, maxLength: MAX_STEPS }), fc.nat({ max: 30 }), outcomeArb, async (steps, at, outcome) =>
      assertSurvivesAmbiguousWrite(adapterOf(ctx, 'ring'), steps, at, outcome),
    ) as unknown as fc.IAsyncProperty<never>,
};
