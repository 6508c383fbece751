/**
 * `ring/adapter-ambiguous-write`: a ring stays correct and usable after one ambiguous device
 * write: a write that fails with an I/O error yet lands all the same, is lost, or lands torn at
 * 8-byte granules (`sim/faulty-block.ts`), at a random write of a random workload of pushes,
 * pops and advances. Judged through the `RingAdapter` alone:
 * - only the call whose write failed may fail: every later call works (a ring that turns
 *   `corrupt` for good after one failed write is unusable);
 * - the item of a push that failed may be delivered or not, once; every acknowledged item is
 *   delivered, in push order, byte for byte; nothing else is (no garbage, no overwritten item);
 * - an item is delivered twice only if a consumer advance failed (at least once).
 * After the workload the consumer drains the ring.
 */
import fc from 'fast-check';
import { sameBytes } from '../../model/fifo/fifo.ts';
import type { BlockDevice } from '../../impl/io/block-device.ts';
import { faultyBlockDevice, granulesPerSector, type AmbiguousOutcome, type FaultyBlockDevice } from '../../sim/faulty-block.ts';
import { RING_DEVICE, type RingAdapter, type RingConsumerHandle, type RingProducerHandle } from '../../targets/ring-adapter.ts';
import { errorText } from '../session-report.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { cutStepArb, type RingAdapterStep } from './adapter-session.ts';
import { itemBytes } from './workload.ts';

const TEAR = 8;
/** Longest random workload. */
const MAX_STEPS = 10;
/** Pops of the final drain beyond which a ring that never runs dry is reported. */
const MAX_DRAIN = 64;

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
  const world = { device: armed.device };
  const producer: RingProducerHandle = await adapter.producer(world);
  const consumer: RingConsumerHandle = await adapter.consumer(world);
  const log: string[] = [];
  const problems: string[] = [];
  const acked: Uint8Array[] = [];
  const pushed: { item: Uint8Array; doubt: boolean }[] = [];
  const popped: Uint8Array[] = [];
  let failures = 0;
  let consumerAdvanceFailed = false;
  /** Runs one call; a throw is the expected failure if it is the first and the call hit the ambiguous write. */
  const call = async <T>(label: string, f: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> => {
    const before = armed.hit();
    try {
      return { ok: true, value: await f() };
    } catch (err) {
      const mine = !before && armed.hit();
      log.push(`${label} threw: ${errorText(err)}${mine ? '   <- the ambiguous write' : ''}`);
      if (!mine || ++failures > 1) problems.push(`${label} failed${mine ? ' a second time' : ', though the ambiguous write was elsewhere'}: ${errorText(err)} (after one ambiguous write every other call must work)`);
      return { ok: false };
    }
  };
  let n = 0;
  for (const s of steps) {
    if (s.op === 'push') {
      const item = itemBytes(++n, s.size);
      const r = await call(`push #${n} (${s.size} bytes)`, () => producer.push(item));
      if (r.ok && r.value === 'full') {
        log.push(`push #${n} (${s.size} bytes) → full`);
        continue;
      }
      if (r.ok) {
        log.push(`push #${n} (${s.size} bytes) → ok`);
        acked.push(item);
      }
      pushed.push({ item, doubt: !r.ok });
    } else if (s.op === 'pop') {
      const r = await call('pop', () => consumer.pop());
      if (r.ok) {
        log.push(`pop → ${r.value === undefined ? 'nothing' : `${r.value.length} bytes (item #${r.value[0] ?? '?'})`}`);
        if (r.value !== undefined) popped.push(r.value);
      }
    } else if (s.op === 'advance') {
      const r = await call('consumer advance', () => consumer.advance());
      if (r.ok) log.push('consumer advance → ok');
      else consumerAdvanceFailed = true;
    }
  }
  for (let i = 0; i < MAX_DRAIN; i++) {
    const r = await call('drain: pop', () => consumer.pop());
    if (!r.ok) break;
    if (r.value === undefined) break;
    popped.push(r.value);
    log.push(`drain: pop → ${r.value.length} bytes (item #${r.value[0] ?? '?'})`);
    const a = await call('drain: consumer advance', () => consumer.advance());
    if (!a.ok) consumerAdvanceFailed = true;
  }
  // Match what was popped against what was pushed, in order.
  let next = 0;
  const seen = new Set<number>();
  for (const item of popped) {
    const index = pushed.findIndex((p, i) => sameBytes(p.item, item) && (i >= next || (consumerAdvanceFailed && seen.has(i))));
    if (index < 0) {
      problems.push(`popped ${item.length} bytes that no push wrote there (garbage, or an item overwritten): first bytes [${[...item.slice(0, 8)].join(', ')}]`);
      continue;
    }
    if (seen.has(index) && !consumerAdvanceFailed) problems.push(`item #${index + 1} popped twice, though no consumer advance failed`);
    for (let i = next; i < index; i++) if (!(pushed[i] as { doubt: boolean }).doubt) problems.push(`item #${i + 1} (acknowledged) skipped: item #${index + 1} came first`);
    seen.add(index);
    next = Math.max(next, index + 1);
  }
  for (let i = next; i < pushed.length; i++) if (!(pushed[i] as { doubt: boolean }).doubt) problems.push(`item #${i + 1} (acknowledged) never popped`);
  if (problems.length > 0) throw new Error(ambiguousWriteReport('the ring', `write #${at} after the ring was made`, outcome, log, problems));
}

/** The report of a session that one ambiguous write (`which`, with `outcome`) broke: what `what` did and what it violated. */
export function ambiguousWriteReport(what: string, which: string, outcome: AmbiguousOutcome, log: readonly string[], problems: readonly string[]): string {
  const fate = outcome.kind === 'lands' ? 'landed all the same' : outcome.kind === 'lost' ? 'was lost' : 'landed in part';
  return [`one ambiguous write (${which}: it failed and ${fate}) breaks ${what}`, 'session:', ...log.map((l) => `  ${l}`), 'violated:', ...[...new Set(problems)].map((p) => `  ${p}`)].join('\n');
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
