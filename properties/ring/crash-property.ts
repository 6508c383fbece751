/**
 * Ring crash property (docs/persistence-profiles.md): a workload of produce and consume steps, a power cut before
 * EVERY sector write and every flush, the unflushed writes landing in a random order, each applied, dropped or torn
 * (at 8 or 512 bytes, or never inside a sector on a sector-atomic device). After restart:
 * nothing published is lost, nothing unpublished becomes visible, order is kept, and nothing is
 * reported as corrupt (the implementation flushes the item before publishing it).
 */
import fc from 'fast-check';
import { Consumer, Producer } from '../../impl/ring/index.ts';
import { seededRandom } from '../../sim/crash/prng.ts';
import { faultyBlockDevice, granulesPerSector, type CrashPlan, type FaultyBlockDevice, type TearGranularity } from '../../sim/faulty-block.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { freshRing, runRingWorkload, stoppingDevice, type RingRecord, type RingStep } from './workload.ts';

const SECTOR_SIZE = 512;

/** A random crash plan for `pending` writes: random order, random fates. */
export function randomCrashPlan(pending: number, random: () => number, granules: number, sectorAtomic: boolean): CrashPlan {
  const order = Array.from({ length: pending }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const fates = order.map(() => {
    const r = random();
    if (r < 0.3) return { kind: 'dropped' as const };
    if (r < 0.6 || sectorAtomic) return { kind: 'applied' as const };
    return { kind: 'torn' as const, keep: Array.from({ length: granules }, () => random() < 0.5) };
  });
  return { order, fates };
}

/** What is wrong with the ring after the crash, in words (empty: nothing). */
async function judge(device: FaultyBlockDevice, record: RingRecord): Promise<string[]> {
  const consumer = await Consumer.attach(device);
  if (consumer.kind !== 'ok') return [`the consumer cannot attach after the crash: ${JSON.stringify(consumer)}`];
  const producer = await Producer.attach(device);
  if (producer.kind !== 'ok') return [`the producer cannot attach after the crash: ${JSON.stringify(producer)}`];
  const c = consumer.value.position;
  const problems: string[] = [];
  const inflightRelease = record.inFlight?.release;
  if (c !== record.released && c !== inflightRelease) {
    problems.push(`the consumer position after the crash is ${c}; the last release that returned was ${record.released}${inflightRelease === undefined ? '' : ` (one to ${inflightRelease} was in flight)`}`);
  }
  const folded = await consumer.value.fold<Uint8Array[]>((item, acc) => [...acc, item], { init: [] });
  if (folded.kind !== 'ok') return [...problems, `reading the ring after the crash fails: ${JSON.stringify(folded)}`];
  const expected = record.published.filter((p) => p.start >= c);
  const inflight = record.inFlight?.item;
  const got = folded.value.value;
  const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  for (const [i, want] of expected.entries()) {
    const have = got[i];
    if (have === undefined) problems.push(`published item at ${want.start} (${want.item.length} bytes) is lost`);
    else if (!same(have, want.item)) problems.push(`item ${i} after the crash is not the published item at ${want.start}`);
  }
  const extra = got.slice(expected.length);
  if (extra.length > 1 || (extra.length === 1 && (inflight === undefined || !same(extra[0] as Uint8Array, inflight.item)))) {
    problems.push(`${extra.length} item(s) that were never published became visible (first: ${extra[0]?.length ?? 0} bytes)`);
  }
  return problems;
}

/** A ring crash property for one device mode. */
function ringCrash(name: string, sectorAtomic: boolean, tearGranularity: TearGranularity, defaultRuns: number): PropertyDef {
  return {
    suite: 'ring',
    requires: ['builtin'],
    name,
    description: `a power cut before every sector write and flush (${sectorAtomic ? 'sector-atomic device' : `torn at ${tearGranularity} bytes`}): nothing published lost, nothing unpublished visible, order kept, no corruption reported`,
    defaultRuns,
    testRuns: 8,
    build: (ctx: RunContext) =>
      fc.asyncProperty(
        fc.array(fc.oneof(fc.record({ op: fc.constant('produce' as const), size: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constantFrom(508, 509, 512, 1020, 1500)) }), fc.record({ op: fc.constant('consume' as const) })), { minLength: 1, maxLength: 8 }),
        fc.noShrink(fc.integer()),
        async (steps: RingStep[], seed) => {
          const options = { sectorSize: SECTOR_SIZE, sectorCount: 7, tearGranularity, sectorAtomic };
          const quirks = builtinOf(ctx).ring;
          // How many writes the whole workload makes.
          const dry = faultyBlockDevice(options);
          await freshRing(dry);
          const counter = stoppingDevice(dry, Number.POSITIVE_INFINITY);
          await runRingWorkload(counter, steps, quirks);
          const total = counter.calls();
          const random = seededRandom(seed);
          for (let k = 0; k <= total; k++) {
            const device = faultyBlockDevice(options);
            await freshRing(device);
            const record = await runRingWorkload(stoppingDevice(device, k), steps, quirks);
            const pending = device.pendingWrites().length;
            const plan = randomCrashPlan(pending, random, granulesPerSector(SECTOR_SIZE, tearGranularity), sectorAtomic);
            const restarted = device.restart(device.crash(plan));
            const problems = await judge(restarted, record);
            if (problems.length > 0) {
              throw new Error(
                [`power cut before device call ${k} of ${total} (writes and flushes) (${pending} unflushed; plan ${JSON.stringify(plan)}):`, ...problems.map((p) => `  ${p}`)].join('\n'),
              );
            }
          }
        },
      ) as unknown as fc.IAsyncProperty<never>,
  };
}

/** Crash properties: sector-atomic, torn at 512 bytes (the sector), torn at 8 bytes. */
export const RING_CRASH_PROPERTIES: readonly PropertyDef[] = [
  ringCrash('crash-sector-atomic', true, 512, 400),
  ringCrash('crash-torn-8', false, 8, 400),
];
