/**
 * Unit tests of the naive ring itself (not through spoolcheck): the round trip, wrap-around
 * against a FIFO model, the full ring, recovery on attach, and what each safety switch changes,
 * the careless version's bugs included (each made to happen directly, with a power cut placed
 * by hand on the faulty device, to document it).
 */
import { describe, expect, it } from 'vitest';
import type { BlockDevice } from '../../impl/io/block-device.ts';
import { memoryBlockDevice } from '../../impl/io/memory-block-device.ts';
import { faultyBlockDevice, granulesPerSector, type CrashPlan, type FaultyBlockDevice, type PendingFate } from '../../sim/faulty-block.ts';
import { RING_DEVICE, RING_MIN_CAPACITY_BYTES } from '../../targets/ring-adapter.ts';
import { CAREFUL, CARELESS, createRing, NaiveRingConsumer, NaiveRingCorruptError, NaiveRingProducer, type NaiveRingOptions } from './naive-ring.ts';

/** Data-area bytes of the ring on RING_DEVICE: 14 sectors with one position sector per end, 12 with two copies each. */
const capacityOf = (options: NaiveRingOptions): number => (RING_DEVICE.sectorCount - (options.checksummedHeader ? 4 : 2)) * RING_DEVICE.sectorSize;

/** `length` bytes counting up from `seed` (mod 251, so no two nearby bytes repeat a 4-byte pattern). */
function item(length: number, seed = 0): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (seed + i) % 251;
  return bytes;
}

/** A deterministic pseudo-random integer source in 0..n-1 (a 32-bit LCG; the tests use no Math.random). */
function lcg(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % n;
  };
}

/** A formatted ring on `device` with both ends attached. */
async function ring(device: BlockDevice, options: NaiveRingOptions): Promise<{ producer: NaiveRingProducer; consumer: NaiveRingConsumer }> {
  await createRing(device, options);
  return { producer: await NaiveRingProducer.attach(device, options), consumer: await NaiveRingConsumer.attach(device, options) };
}

/** Every item a freshly attached consumer pops, in order. */
async function drain(consumer: NaiveRingConsumer): Promise<Uint8Array[]> {
  const items: Uint8Array[] = [];
  for (let next = await consumer.pop(); next !== undefined; next = await consumer.pop()) items.push(next);
  return items;
}

/** Raised by {@link cutBefore}'s device in place of the call the power cut hit. */
class PowerCut extends Error {}

/**
 * `device` with the power cut just before its `nth` (0-based) flush, or its `nth` write or flush
 * when `counting` is `'writes-and-flushes'`: that call, and every later one, rejects.
 */
function cutBefore(device: BlockDevice, nth: number, counting: 'flushes' | 'writes-and-flushes' = 'flushes'): BlockDevice {
  let counted = 0;
  let dead = false;
  const guard = (counts: boolean): void => {
    if (!dead && counts && counted++ === nth) dead = true;
    if (dead) throw new PowerCut('power cut');
  };
  return {
    description: device.description,
    sectorSize: device.sectorSize,
    sectorCount: device.sectorCount,
    read: async (sector) => (guard(false), device.read(sector)),
    write: async (sector, data) => (guard(counting === 'writes-and-flushes'), device.write(sector, data)),
    flush: async () => (guard(true), device.flush()),
  };
}

/** A crash plan for `device`'s pending writes, in write order, each with the fate `fateOf(sector, index)`. */
function plan(device: FaultyBlockDevice, fateOf: (sector: number, index: number) => PendingFate): CrashPlan {
  const pending = device.pendingWrites();
  return { order: pending.map((_, i) => i), fates: pending.map(fateOf) };
}

/** A torn fate on a 512-byte sector at 8-byte granules: granule `g` lands when `landed(g)`. */
function torn(landed: (granule: number) => boolean): PendingFate {
  return { kind: 'torn', keep: Array.from({ length: granulesPerSector(RING_DEVICE.sectorSize, 8) }, (_, g) => landed(g)) };
}

const APPLIED: PendingFate = { kind: 'applied' };
const DROPPED: PendingFate = { kind: 'dropped' };

describe.each([
  ['CARELESS', CARELESS],
  ['CAREFUL', CAREFUL],
] as const)('naive ring %s', (_label, options) => {
  it('push, pop, advance: a round trip, empty items included', async () => {
    const device = memoryBlockDevice(RING_DEVICE);
    const { producer, consumer } = await ring(device, options);
    expect(await consumer.pop()).toBeUndefined();
    expect(await producer.push(item(3, 1))).toBe('ok');
    expect(await producer.push(new Uint8Array(0))).toBe('ok');
    expect(await producer.push(item(RING_MIN_CAPACITY_BYTES, 2))).toBe('ok');
    expect(await consumer.pop()).toEqual(item(3, 1));
    expect(await consumer.pop()).toEqual(new Uint8Array(0));
    expect(await consumer.pop()).toEqual(item(RING_MIN_CAPACITY_BYTES, 2));
    expect(await consumer.pop()).toBeUndefined();
    await consumer.advance();
    expect(await (await NaiveRingConsumer.attach(device, options)).pop()).toBeUndefined();
  });

  it('an empty ring takes an item of its whole capacity less the length header, and no more', async () => {
    const device = memoryBlockDevice(RING_DEVICE);
    const { producer, consumer } = await ring(device, options);
    const capacity = capacityOf(options);
    expect(capacity).toBeGreaterThanOrEqual(RING_MIN_CAPACITY_BYTES + 4);
    expect(await producer.push(item(capacity - 3))).toBe('full');
    expect(await producer.push(item(capacity - 4, 7))).toBe('ok');
    expect(await consumer.pop()).toEqual(item(capacity - 4, 7));
  });

  it('attaching again gives back the items popped but not advanced past; the producer goes on after the last one', async () => {
    const device = memoryBlockDevice(RING_DEVICE);
    const { producer, consumer } = await ring(device, options);
    for (const seed of [1, 2, 3]) expect(await producer.push(item(10, seed))).toBe('ok');
    expect(await consumer.pop()).toEqual(item(10, 1));
    await consumer.advance();
    expect(await consumer.pop()).toEqual(item(10, 2));
    const again = await NaiveRingConsumer.attach(device, options);
    const producerAgain = await NaiveRingProducer.attach(device, options);
    expect(await producerAgain.push(item(10, 4))).toBe('ok');
    expect(await drain(again)).toEqual([item(10, 2), item(10, 3), item(10, 4)]);
  });

  it('refuses to attach to a device that holds no ring', async () => {
    const device = memoryBlockDevice(RING_DEVICE);
    await expect(NaiveRingProducer.attach(device, options)).rejects.toThrow(NaiveRingCorruptError);
    await expect(NaiveRingConsumer.attach(device, options)).rejects.toThrow(NaiveRingCorruptError);
  });
});

/**
 * Random push (0..1500 bytes), pop, advance and reattach on a fresh ring, each outcome compared
 * with a FIFO model as it happens (a mismatch fails the test in place); resolves with how many
 * pushes wrapped and how many found the ring full.
 */
async function fifoRun(options: NaiveRingOptions, steps: number): Promise<{ wraps: number; fulls: number }> {
  const device = memoryBlockDevice(RING_DEVICE);
  let { producer, consumer } = await ring(device, options);
  const capacity = capacityOf(options);
  const next = lcg(42);
  const model: Uint8Array[] = []; // published, not consumed
  let popped = 0; // of `model`, by this consumer handle
  let used = 0;
  let published = 0;
  let wraps = 0;
  let fulls = 0;
  for (let step = 0; step < steps; step++) {
    const choice = next(10);
    if (choice < 5) {
      const pushed = item(next(1501), step);
      const outcome = await producer.push(pushed);
      expect(outcome).toBe(used + 4 + pushed.length <= capacity ? 'ok' : 'full');
      if (outcome === 'ok') {
        if (Math.floor(published / capacity) !== Math.floor((published + 4 + pushed.length - 1) / capacity)) wraps++;
        model.push(pushed);
        used += 4 + pushed.length;
        published += 4 + pushed.length;
      } else fulls++;
    } else if (choice < 8) {
      expect(await consumer.pop()).toEqual(model[popped]);
      if (popped < model.length) popped++;
    } else if (choice < 9) {
      await consumer.advance();
      used -= model.splice(0, popped).reduce((sum, it) => sum + 4 + it.length, 0);
      popped = 0;
    } else {
      producer = await NaiveRingProducer.attach(device, options);
      consumer = await NaiveRingConsumer.attach(device, options);
      popped = 0;
    }
  }
  return { wraps, fulls };
}

describe('wrap-around and the full ring', () => {
  it.each([
    ['CAREFUL', CAREFUL],
    ['CARELESS but wrapCorrectly', { ...CARELESS, wrapCorrectly: true }],
  ] as const)('%s: random push, pop, advance and reattach agree with a FIFO model', async (_label, options) => {
    const { wraps, fulls } = await fifoRun(options, 300);
    expect(wraps).toBeGreaterThan(5);
    expect(fulls).toBeGreaterThan(5);
  });

  it('CARELESS: the same run goes wrong at the first item that wraps (what ring/adapter-fifo finds)', async () => {
    await expect(fifoRun(CARELESS, 300)).rejects.toThrow();
  });

  it('CAREFUL: an exactly full ring refuses even an empty item, changes nothing, and takes items again once advanced', async () => {
    const device = memoryBlockDevice(RING_DEVICE);
    const { producer, consumer } = await ring(device, CAREFUL);
    const records = capacityOf(CAREFUL) / 1024;
    for (let i = 0; i < records; i++) expect(await producer.push(item(1020, i))).toBe('ok');
    const before = device.snapshot();
    expect(await producer.push(new Uint8Array(0))).toBe('full');
    expect(device.snapshot()).toEqual(before);
    expect(await consumer.pop()).toEqual(item(1020, 0));
    expect(await producer.push(new Uint8Array(0))).toBe('full'); // popped is not consumed
    await consumer.advance();
    expect(await producer.push(item(1020, 99))).toBe('ok'); // exactly full again, at lap 1 offset 0
    expect(await producer.push(new Uint8Array(0))).toBe('full');
    const rest = await drain(consumer);
    expect(rest).toHaveLength(records);
    expect(rest.at(-1)).toEqual(item(1020, 99));
  });
});

describe('bug: no flush before publish (flushBeforePublish)', () => {
  it('off: a power cut before the flush that follows the producer position can keep the position and drop the data: the item comes back as garbage', async () => {
    const options = { ...CAREFUL, flushBeforePublish: false };
    const faulty = faultyBlockDevice({ ...RING_DEVICE, sectorAtomic: true });
    const { producer } = await ring(faulty, options);
    expect(await producer.push(item(5, 1))).toBe('ok');
    const cut = await NaiveRingProducer.attach(cutBefore(faulty, 0), options);
    await expect(cut.push(item(100, 2))).rejects.toThrow(PowerCut);
    expect(faulty.pendingWrites()).toEqual([4, 0]); // the data sector, then the producer position, both unflushed
    const image = faulty.crash(plan(faulty, (sector) => (sector === 4 ? DROPPED : APPLIED)));
    const after = await NaiveRingConsumer.attach(faulty.restart(image), options);
    expect(await after.pop()).toEqual(item(5, 1));
    expect(await after.pop()).toEqual(new Uint8Array(0)); // published: the zeros where item 2 should be
  });

  it('on: by the time the producer position is written, the data is durable', async () => {
    const faulty = faultyBlockDevice({ ...RING_DEVICE, sectorAtomic: true });
    const { producer } = await ring(faulty, CAREFUL);
    expect(await producer.push(item(5, 1))).toBe('ok');
    const cut = await NaiveRingProducer.attach(cutBefore(faulty, 1), CAREFUL);
    await expect(cut.push(item(100, 2))).rejects.toThrow(PowerCut);
    expect(faulty.pendingWrites()).toEqual([0]); // only the producer position (its other copy)
    const image = faulty.crash(plan(faulty, () => APPLIED));
    expect(await drain(await NaiveRingConsumer.attach(faulty.restart(image), CAREFUL))).toEqual([item(5, 1), item(100, 2)]);
  });
});

describe('bug: no flush after publish (flushAfterPublish)', () => {
  it('off: an acknowledged push is lost by a power cut', async () => {
    const options = { ...CAREFUL, flushAfterPublish: false };
    const faulty = faultyBlockDevice({ ...RING_DEVICE, sectorAtomic: true });
    const { producer } = await ring(faulty, options);
    expect(await producer.push(item(5, 1))).toBe('ok');
    expect(faulty.pendingWrites()).toEqual([1]); // the producer position, still in the cache
    const image = faulty.crash(plan(faulty, () => DROPPED));
    expect(await (await NaiveRingConsumer.attach(faulty.restart(image), options)).pop()).toBeUndefined();
  });

  it('off: items consumed by an advance that returned come back after a power cut', async () => {
    const options = { ...CAREFUL, flushAfterPublish: false };
    const faulty = faultyBlockDevice({ ...RING_DEVICE, sectorAtomic: true });
    const { producer, consumer } = await ring(faulty, options);
    expect(await producer.push(item(5, 1))).toBe('ok');
    await faulty.flush(); // the push is durable
    expect(await consumer.pop()).toEqual(item(5, 1));
    await consumer.advance();
    expect(faulty.pendingWrites()).toEqual([3]); // the consumer position, still in the cache
    const image = faulty.crash(plan(faulty, () => DROPPED));
    expect(await (await NaiveRingConsumer.attach(faulty.restart(image), options)).pop()).toEqual(item(5, 1));
  });

  it('on: push and advance leave nothing unflushed when they resolve', async () => {
    const faulty = faultyBlockDevice({ ...RING_DEVICE, sectorAtomic: true });
    const { producer, consumer } = await ring(faulty, CAREFUL);
    expect(await producer.push(item(5, 1))).toBe('ok');
    expect(faulty.pendingWrites()).toEqual([]);
    await consumer.pop();
    await consumer.advance();
    expect(faulty.pendingWrites()).toEqual([]);
  });
});

describe('bug: one unchecked position sector rewritten in place (checksummedHeader)', () => {
  /**
   * A ring on a device tearing at 8 bytes holding a 96-byte item (producer position 100: data
   * sector 0, byte 100), cut just before the flush after the producer position of a 416-byte
   * item (position 520: data sector 1, byte 8): that position is the only pending write.
   */
  async function cutInPushAcrossASector(options: NaiveRingOptions): Promise<FaultyBlockDevice> {
    const faulty = faultyBlockDevice({ ...RING_DEVICE, tearGranularity: 8 });
    const { producer } = await ring(faulty, options);
    expect(await producer.push(item(96, 1))).toBe('ok');
    const cut = await NaiveRingProducer.attach(cutBefore(faulty, 1), options);
    await expect(cut.push(item(416, 2))).rejects.toThrow(PowerCut);
    expect(faulty.pendingWrites()).toHaveLength(1);
    return faulty;
  }

  it('off: the new sector with the old byte puts the producer past the last record: the consumer pops items nobody pushed', async () => {
    const options = { ...CAREFUL, checksummedHeader: false };
    const faulty = await cutInPushAcrossASector(options);
    expect(faulty.pendingWrites()).toEqual([0]);
    const image = faulty.crash(plan(faulty, () => torn((g) => g === 0))); // granule 0: magic and sector; 1: byte and lap
    const items = await drain(await NaiveRingConsumer.attach(faulty.restart(image), options));
    expect(items.slice(0, 2)).toEqual([item(96, 1), item(416, 2)]); // the push in flight: allowed
    expect(items.slice(2)).toEqual(Array.from({ length: 23 }, () => new Uint8Array(0))); // position 612: 92 bytes of zeros, read as empty items
  });

  it('off: the old sector with the new byte puts the producer inside the acknowledged item: it is lost', async () => {
    const options = { ...CAREFUL, checksummedHeader: false };
    const faulty = await cutInPushAcrossASector(options);
    const image = faulty.crash(plan(faulty, () => torn((g) => g === 1))); // position 8
    await expect((await NaiveRingConsumer.attach(faulty.restart(image), options)).pop()).rejects.toThrow(NaiveRingCorruptError);
  });

  it('on: however the position copy tears, recovery finds the old position or the new one', async () => {
    const faulty = await cutInPushAcrossASector(CAREFUL);
    for (let mask = 0; mask < 8; mask++) {
      const image = faulty.crash(plan(faulty, () => torn((g) => g < 3 && (mask & (1 << g)) !== 0)));
      const items = await drain(await NaiveRingConsumer.attach(faulty.restart(image), CAREFUL));
      expect([[item(96, 1)], [item(96, 1), item(416, 2)]]).toContainEqual(items);
    }
  });
});

describe('bug: the wrapped part of a record is copied from its start (wrapCorrectly)', () => {
  /** A ring whose next record starts `before` bytes from the end of its data area, everything before it consumed. */
  async function nearTheEnd(options: NaiveRingOptions, before: number): Promise<{ producer: NaiveRingProducer; consumer: NaiveRingConsumer }> {
    const ends = await ring(memoryBlockDevice(RING_DEVICE), options);
    expect(await ends.producer.push(item(capacityOf(options) - before - 4))).toBe('ok');
    await ends.consumer.pop();
    await ends.consumer.advance();
    return ends;
  }

  it('off: an item that wraps comes back with the record start (its length header, then its first bytes) in place of its tail', async () => {
    const { producer, consumer } = await nearTheEnd({ ...CAREFUL, wrapCorrectly: false }, 140);
    expect(await producer.push(item(1000, 3))).toBe('ok');
    const popped = await consumer.pop();
    expect(popped?.subarray(0, 136)).toEqual(item(136, 3));
    expect(popped?.subarray(136, 140)).toEqual(Uint8Array.of(0xe8, 0x03, 0, 0)); // 1000, the length header
    expect(popped?.subarray(140)).toEqual(item(1000, 3).subarray(0, 860));
  });

  it('off: a length header that wraps comes back garbled: the ring reports itself corrupt', async () => {
    const { producer, consumer } = await nearTheEnd({ ...CAREFUL, wrapCorrectly: false }, 2);
    expect(await producer.push(item(10, 3))).toBe('ok');
    await expect(consumer.pop()).rejects.toThrow(NaiveRingCorruptError); // length 10 + 10 << 16
  });

  it('on: both wrap the right way', async () => {
    for (const [before, length] of [[140, 1000], [2, 10]] as const) {
      const { producer, consumer } = await nearTheEnd(CAREFUL, before);
      expect(await producer.push(item(length, 3))).toBe('ok');
      expect(await consumer.pop()).toEqual(item(length, 3));
    }
  });
});

/** A deterministic workload: a number is a push of that many bytes; it wraps the ring once. */
const WORKLOAD: readonly (number | 'pop' | 'advance')[] = [900, 1400, 'pop', 1200, 'pop', 'advance', 1500, 0, 1300, 'pop', 'pop', 'advance', 1100, 'pop', 1000, 700, 'advance'];

/**
 * Runs {@link WORKLOAD} on a fresh ring with the power cut before write-or-flush number `cut`,
 * then crashes the device with several plans (write order and reversed, all applied, all
 * dropped, torn, and pseudo-random ones) and checks each recovery against the contract: the
 * acknowledged items not consumed by a resolved advance come back in order (those of an advance
 * in flight may or may not), possibly followed by the push in flight, in full. Resolves with the
 * first violation found, or undefined when the cut point passed the end of the workload or none was.
 */
async function violationAt(options: NaiveRingOptions, torn8: boolean, cut: number): Promise<string | undefined> {
  const faulty = faultyBlockDevice({ ...RING_DEVICE, ...(torn8 ? { tearGranularity: 8 } : { sectorAtomic: true }) });
  await createRing(faulty, options);
  const device = cutBefore(faulty, cut, 'writes-and-flushes');
  const acked: Uint8Array[] = [];
  let consumed = 0; // items consumed by resolved advances
  let popped = 0; // by this consumer handle
  let inFlight: { push?: Uint8Array; advance?: number } = {};
  try {
    const producer = await NaiveRingProducer.attach(device, options);
    const consumer = await NaiveRingConsumer.attach(device, options);
    for (const [step, op] of WORKLOAD.entries()) {
      if (op === 'pop') {
        if ((await consumer.pop()) !== undefined) popped++;
      } else if (op === 'advance') {
        inFlight = { advance: popped };
        await consumer.advance();
        consumed = popped;
      } else {
        inFlight = { push: item(op, step) };
        if ((await producer.push(item(op, step))) === 'ok') acked.push(item(op, step));
      }
      inFlight = {};
    }
    return undefined;
  } catch (err) {
    if (!(err instanceof PowerCut)) throw err;
  }
  const allowed = [consumed, inFlight.advance ?? consumed].flatMap((c) => [acked.slice(c), ...(inFlight.push ? [[...acked.slice(c), inFlight.push]] : [])]);
  const next = lcg(cut);
  const pending = faulty.pendingWrites().length;
  const inOrder = Array.from({ length: pending }, (_, i) => i);
  const randomFate = (): PendingFate => [APPLIED, DROPPED, ...(torn8 ? [torn(() => next(2) === 1)] : [])][next(torn8 ? 3 : 2)] as PendingFate;
  const plans: CrashPlan[] = [
    { order: inOrder, fates: inOrder.map(() => APPLIED) },
    { order: inOrder, fates: inOrder.map(() => DROPPED) },
    { order: [...inOrder].reverse(), fates: inOrder.map(() => APPLIED) },
    ...Array.from({ length: 3 }, () => {
      const order = [...inOrder];
      for (let i = order.length - 1; i > 0; i--) {
        const j = next(i + 1);
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      return { order, fates: inOrder.map(randomFate) };
    }),
  ];
  for (const p of plans) {
    try {
      const items = await drain(await NaiveRingConsumer.attach(faulty.restart(faulty.crash(p)), options));
      if (!allowed.some((a) => a.length === items.length && a.every((x, i) => Buffer.from(x).equals(items[i] as Uint8Array)))) {
        return `cut ${cut}: recovered ${items.length} items, not one of the allowed outcomes`;
      }
    } catch (err) {
      if (!(err instanceof NaiveRingCorruptError)) throw err;
      return `cut ${cut}: ${err.message}`;
    }
  }
  return undefined;
}

/** The first violation over every cut point of {@link WORKLOAD}, or undefined. */
async function firstViolation(options: NaiveRingOptions, torn8: boolean): Promise<string | undefined> {
  for (let cut = 0; cut < 200; cut++) {
    const violation = await violationAt(options, torn8, cut);
    if (violation !== undefined) return violation;
  }
  return undefined;
}

describe('power cuts before every write and flush of a small workload (a miniature of the crash properties)', () => {
  it.each([
    ['CAREFUL', false, false, CAREFUL],
    ['CAREFUL without flushBeforePublish', true, true, { ...CAREFUL, flushBeforePublish: false }],
    ['CAREFUL without flushAfterPublish', true, true, { ...CAREFUL, flushAfterPublish: false }],
    ['CAREFUL without checksummedHeader', false, true, { ...CAREFUL, checksummedHeader: false }],
  ] as const)('%s: violated on a sector-atomic device: %s, on one tearing at 8 bytes: %s', async (_label, atomic, torn8, options) => {
    expect(await firstViolation(options, false) !== undefined).toBe(atomic);
    expect(await firstViolation(options, true) !== undefined).toBe(torn8);
  });
});
