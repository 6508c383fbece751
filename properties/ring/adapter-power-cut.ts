/**
 * `ring/adapter-power-cut-{atomic,torn-8}`: a ring that claims to survive a power cut does,
 * judged through its `RingAdapter` alone. A random workload of pushes, pops and advances runs on
 * the faulty block device; the power goes before EVERY device write and flush in turn, the
 * unflushed writes landing in a random order, each whole, dropped, or (on the tearing device)
 * torn at 8-byte granules. After the restart a new consumer must pop exactly the acknowledged
 * items not consumed, in order, byte for byte (`model/fifo`), and a new producer must go on:
 * an item pushed after recovery pops out after them.
 *
 * The ring's creation comes before the first cut point, but its writes are part of the crash:
 * a ring that does not flush its own format loses it.
 */
import fc from 'fast-check';
import { EMPTY_FIFO, judgeDrained, sameBytes, type FifoInFlight, type FifoState } from '../../model/fifo/fifo.ts';
import { seededRandom } from '../../sim/crash/prng.ts';
import { faultyBlockDevice, granulesPerSector, type FaultyBlockDevice, type TearGranularity } from '../../sim/faulty-block.ts';
import { RING_DEVICE, type RingAdapter } from '../../targets/ring-adapter.ts';
import type { Capability } from '../../targets/target.ts';
import { errorText } from '../session-report.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { cutStepArb, RingSession, type RingAdapterStep } from './adapter-session.ts';
import { randomCrashPlan } from './crash-property.ts';
import { itemBytes, stoppingDevice } from './workload.ts';

/** Longest random workload. */
export const MAX_CUT_STEPS = 8;
/** Pops after a crash beyond which a ring that never runs dry is reported (a ring of garbage). */
const MAX_DRAIN = 64;

/** What the workload had acknowledged when the power went, and what was in flight. */
interface CutRecord {
  readonly acked: FifoState;
  readonly inFlight?: FifoInFlight;
  readonly log: readonly string[];
}

/** Creates the ring on `device`, then runs `steps` until the power goes before device call `cutAt` (counted after creation). */
async function runUntilCut(adapter: RingAdapter, device: FaultyBlockDevice, steps: readonly RingAdapterStep[], cutAt: number): Promise<CutRecord & { calls: number }> {
  await adapter.create({ device });
  const stopping = stoppingDevice(device, cutAt);
  let session: RingSession | undefined;
  let inFlight: FifoInFlight | undefined;
  try {
    session = await RingSession.attach(adapter, { device: stopping });
    for (const s of steps) {
      inFlight = session.inFlight(s);
      await session.run(s);
      inFlight = undefined;
    }
  } catch (err) {
    if (!stopping.stopped()) throw err;
  }
  const acked = session?.state ?? EMPTY_FIFO;
  return { acked, ...(inFlight === undefined ? {} : { inFlight }), log: session?.log ?? [], calls: stopping.calls() };
}

/** What is wrong after the restart, in words (empty: nothing). */
async function judgeRestart(adapter: RingAdapter, device: FaultyBlockDevice, record: CutRecord): Promise<string[]> {
  const world = { device };
  const drained: Uint8Array[] = [];
  try {
    const consumer = await adapter.consumer(world);
    for (let i = 0; i < MAX_DRAIN; i++) {
      const item = await consumer.pop();
      if (item === undefined) break;
      drained.push(item);
    }
    if (drained.length === MAX_DRAIN) return [`the consumer popped ${MAX_DRAIN} items after the crash and the ring was still not empty`];
    const problems = judgeDrained(record.acked, record.inFlight, drained);
    if (problems.length > 0) return problems;
    const producer = await adapter.producer(world);
    const after = itemBytes(999, 20);
    const answer = await producer.push(after);
    if (answer !== 'ok') return [`after the crash, a push of 20 bytes into the drained ring gave ${JSON.stringify(answer)}`];
    const next = await consumer.pop();
    if (next === undefined || !sameBytes(next, after)) return [`after the crash, an item pushed by a new producer pops out as ${next === undefined ? 'nothing' : `${next.length} other bytes`}`];
    return [];
  } catch (err) {
    return [`recovery failed: ${errorText(err)}`];
  }
}

/** What a ring must claim for a device mode to be held against it. */
function claimNeeded(sectorAtomic: boolean): Capability {
  return sectorAtomic ? 'ring-survives-power-loss' : 'ring-survives-torn-writes';
}

/** The power-cut property of one device mode. */
function powerCut(name: string, sectorAtomic: boolean, tearGranularity: TearGranularity): PropertyDef {
  const mode = sectorAtomic ? 'a sector-atomic device' : `a device tearing sectors at ${tearGranularity} bytes`;
  return {
    suite: 'ring',
    name,
    requires: ['ring', claimNeeded(sectorAtomic)],
    description: `a power cut before every device write and flush of random workloads (${mode}, unflushed writes reordered or dropped): through the adapter, nothing acknowledged lost, nothing consumed back, nothing unpublished visible, order kept, and the ring goes on`,
    defaultRuns: 150,
    testRuns: 6,
    build: (ctx) =>
      fc.asyncProperty(fc.array(cutStepArb, { minLength: 1, maxLength: MAX_CUT_STEPS }), fc.noShrink(fc.integer()), async (steps, seed) => {
        const adapter = adapterOf(ctx, 'ring');
        const options = { ...RING_DEVICE, tearGranularity, sectorAtomic };
        const dry = await runUntilCut(adapter, faultyBlockDevice(options), steps, Number.POSITIVE_INFINITY);
        const random = seededRandom(seed);
        for (let k = 0; k <= dry.calls; k++) {
          const device = faultyBlockDevice(options);
          const record = await runUntilCut(adapter, device, steps, k);
          const pending = device.pendingWrites().length;
          const plan = randomCrashPlan(pending, random, granulesPerSector(RING_DEVICE.sectorSize, tearGranularity), sectorAtomic);
          const problems = await judgeRestart(adapter, device.restart(device.crash(plan)), record);
          if (problems.length > 0) {
            throw new Error(
              [
                `power cut before device call ${k + 1} of ${dry.calls} (writes and flushes after creation; ${pending} write(s) unflushed, crash plan ${JSON.stringify(plan)})`,
                'operations before the cut:',
                ...record.log.map((l) => `  ${l}`),
                ...(record.inFlight === undefined ? [] : [`  in flight: ${record.inFlight.kind}${record.inFlight.kind === 'push' ? ` (${record.inFlight.item.length} bytes)` : ''}`]),
                'after the restart:',
                ...problems.map((p) => `  ${p}`),
              ].join('\n'),
            );
          }
        }
      }) as unknown as fc.IAsyncProperty<never>,
  };
}

/** The adapter power-cut properties: a sector-atomic device, and one that tears at 8 bytes. */
export const RING_ADAPTER_CUT_PROPERTIES: readonly PropertyDef[] = [powerCut('adapter-power-cut-atomic', true, 512), powerCut('adapter-power-cut-torn-8', false, 8)];
