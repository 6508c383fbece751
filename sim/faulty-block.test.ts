/**
 * The faulty device passes the BlockDevice contract when no fault is injected, and crashes,
 * tears, misdirects and fails sectors exactly as its fault contract says.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockDeviceError, isBlockDeviceError } from '../impl/io/block-device.ts';
import { defineBlockDeviceContract } from '../impl/io/block-device-contract.ts';
import { crashPlanArb, faultyBlockDevice, granulesPerSector, type CrashPlan, type FaultyBlockDevice, type PendingFate, type TearGranularity } from './faulty-block.ts';

defineBlockDeviceContract('faulty (no faults)', async (geometry) => ({ device: faultyBlockDevice(geometry), cleanup: async () => {} }));

const SS = 512;

/** A sector filled with `byte`. */
const fill = (byte: number, size = SS): Uint8Array => new Uint8Array(size).fill(byte);
/** Sector `sector` of a whole-device image. */
const sectorOf = (image: Uint8Array, sector: number, size = SS): Uint8Array => image.slice(sector * size, (sector + 1) * size);
/** A plan giving every pending write the same fate, in write order. */
const inOrder = (count: number, fate: PendingFate): CrashPlan => ({ order: Array.from({ length: count }, (_, i) => i), fates: Array.from({ length: count }, () => fate) });

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<BlockDeviceError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(BlockDeviceError);
    return err as BlockDeviceError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe('faulty device: crashes', () => {
  it('unflushed writes may be dropped, applied, or land in another order', async () => {
    const make = async (): Promise<FaultyBlockDevice> => {
      const device = faultyBlockDevice({ sectorSize: SS, sectorCount: 4 });
      await device.write(1, fill(0xa1));
      await device.write(1, fill(0xb1));
      await device.write(2, fill(0xc2));
      return device;
    };
    const live = await make();
    expect(live.pendingWrites()).toEqual([1, 1, 2]);
    expect(await live.read(1)).toEqual(fill(0xb1));
    expect(sectorOf(live.liveImage(), 2)).toEqual(fill(0xc2));
    expect(live.durableImage()).toEqual(new Uint8Array(4 * SS));

    const dropped = (await make()).crash(inOrder(3, { kind: 'dropped' }));
    expect(dropped).toEqual(new Uint8Array(4 * SS));

    const applied = (await make()).crash(inOrder(3, { kind: 'applied' }));
    expect(sectorOf(applied, 1)).toEqual(fill(0xb1));
    expect(sectorOf(applied, 2)).toEqual(fill(0xc2));

    // The older write to sector 1 lands last; the write to sector 2 is lost.
    const reordered = (await make()).crash({ order: [1, 2, 0], fates: [{ kind: 'applied' }, { kind: 'applied' }, { kind: 'dropped' }] });
    expect(sectorOf(reordered, 1)).toEqual(fill(0xa1));
    expect(sectorOf(reordered, 2)).toEqual(fill(0));
  });

  it('a torn write mixes old and new bytes at 8-byte granules', async () => {
    const device = faultyBlockDevice({ sectorSize: SS, sectorCount: 2, tearGranularity: 8 });
    await device.write(0, fill(0x11));
    await device.flush();
    await device.write(0, fill(0x22));
    const keep = Array.from({ length: granulesPerSector(SS, 8) }, (_, g) => g % 3 === 0);
    expect(keep.length).toBe(64);
    const sector = sectorOf(device.crash({ order: [0], fates: [{ kind: 'torn', keep }] }), 0);
    for (let i = 0; i < SS; i++) expect(sector[i]).toBe(keep[Math.floor(i / 8)] === true ? 0x22 : 0x11);
  });

  it('a torn 4096-byte sector tears at 512-byte granules, over a pending write that landed before it', async () => {
    const size = 4096;
    const device = faultyBlockDevice({ sectorSize: size, sectorCount: 2 });
    expect(device.tearGranularity).toBe(512);
    await device.write(1, fill(0x33, size));
    await device.write(1, fill(0x44, size));
    const keep = [true, false, false, true, true, false, true, false];
    const image = device.crash({ order: [0, 1], fates: [{ kind: 'applied' }, { kind: 'torn', keep }] });
    const sector = sectorOf(image, 1, size);
    keep.forEach((landed, g) => expect(sector.slice(g * 512, (g + 1) * 512)).toEqual(fill(landed ? 0x44 : 0x33, 512)));
  });

  it('a sector-atomic device refuses a torn plan, and crashPlanArb never tears for it', async () => {
    const device = faultyBlockDevice({ sectorSize: SS, sectorCount: 2, sectorAtomic: true });
    expect(device.description).toContain('sector-atomic');
    await device.write(0, fill(1));
    expect(() => device.crash({ order: [0], fates: [{ kind: 'torn', keep: [true] }] })).toThrow(/sector-atomic/);
    expect(await device.read(0)).toEqual(fill(1));
    fc.assert(fc.property(crashPlanArb(4, device), (plan) => plan.fates.every((f) => f.kind !== 'torn')), { numRuns: 50 });
  });

  it('refuses plans that do not fit: wrong length, not a permutation, wrong granule count', async () => {
    const device = faultyBlockDevice({ sectorSize: SS, sectorCount: 2 });
    await device.write(0, fill(1));
    await device.write(1, fill(2));
    const two: PendingFate[] = [{ kind: 'applied' }, { kind: 'applied' }];
    expect(() => device.crash({ order: [0, 1], fates: [{ kind: 'applied' }] })).toThrow(/1 fates for 2 pending writes/);
    expect(() => device.crash({ order: [0, 0], fates: two })).toThrow(/not a permutation/);
    expect(() => device.crash({ order: [0], fates: two })).toThrow(/not a permutation/);
    expect(() => device.crash({ order: [1, 2], fates: two })).toThrow(/not a permutation/);
    expect(() => device.crash({ order: [0, 1], fates: [{ kind: 'applied' }, { kind: 'torn', keep: [true, false] }] })).toThrow(/2 granule flags, a sector has 1 granules/);
    expect(await device.read(1)).toEqual(fill(2));
  });

  it('flushed writes always survive, whatever the crash does to the later ones', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), sector: fc.nat(3), byte: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ kind: fc.constant('flush' as const) }),
    );
    const scenario = fc.array(op, { maxLength: 12 }).chain((ops) => {
      const pendingCount = ops.length - (ops.map((o) => o.kind).lastIndexOf('flush') + 1);
      return fc.tuple(fc.constant(ops), crashPlanArb(pendingCount, { sectorSize: 64, tearGranularity: 8 }));
    });
    return fc.assert(
      fc.asyncProperty(scenario, async ([ops, plan]) => {
        const device = faultyBlockDevice({ sectorSize: 64, sectorCount: 4, tearGranularity: 8 });
        const flushed = new Uint8Array(4);
        const touched = new Set<number>();
        const written = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === 'write') {
            await device.write(o.sector, fill(o.byte, 64));
            written.set(o.sector, o.byte);
            touched.add(o.sector);
          } else {
            await device.flush();
            for (const [s, b] of written) flushed[s] = b;
            touched.clear();
          }
        }
        const image = device.crash(plan);
        for (let s = 0; s < 4; s++) {
          if (!touched.has(s)) expect(sectorOf(image, s, 64)).toEqual(fill(flushed[s] as number, 64));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a crashed device refuses calls; crash again gives another image of the same moment; restart reopens it', async () => {
    const device = faultyBlockDevice({ sectorSize: SS, sectorCount: 2, faultBudget: { misdirected: 1 } });
    await device.write(0, fill(5));
    const lost = device.crash(inOrder(1, { kind: 'dropped' }));
    expect(sectorOf(lost, 0)).toEqual(fill(0));
    expect((await rejection(device.read(0))).code).toBe('closed');
    expect((await rejection(device.write(0, fill(1)))).code).toBe('closed');
    expect((await rejection(device.flush())).code).toBe('closed');
    expect(() => device.misdirectNextWrite(1)).toThrow(/after a crash/);
    const kept = device.crash(inOrder(1, { kind: 'applied' }));
    expect(sectorOf(kept, 0)).toEqual(fill(5));

    const reopened = device.restart(kept);
    expect(reopened.pendingWrites()).toEqual([]);
    expect(await reopened.read(0)).toEqual(fill(5));
    await reopened.write(1, fill(6));
    expect(sectorOf(reopened.crash(inOrder(1, { kind: 'applied' })), 1)).toEqual(fill(6));
    expect(() => device.restart(new Uint8Array(10))).toThrow(/10 bytes, the device has 1024/);
  });

  it('starts from a given image (copied) and refuses one of the wrong size', async () => {
    const image = new Uint8Array(2 * SS).fill(9);
    const device = faultyBlockDevice({ sectorSize: SS, sectorCount: 2, image });
    image.fill(0);
    expect(await device.read(1)).toEqual(fill(9));
    expect(() => faultyBlockDevice({ sectorSize: SS, sectorCount: 3, image })).toThrow(/1024 bytes, the device has 1536/);
    expect(() => faultyBlockDevice({ sectorSize: 0, sectorCount: 3 })).toThrow(/sectorSize must be a positive integer/);
    expect(() => faultyBlockDevice({ sectorSize: SS, sectorCount: 3, tearGranularity: 16 as TearGranularity })).toThrow(/tearGranularity must be 8 or 512/);
  });
});

describe('faulty device: injected faults', () => {
  it('a misdirected write lands at another sector, before and after a crash; the budget is enforced', async () => {
    const device = faultyBlockDevice({ sectorSize: SS, sectorCount: 8, faultBudget: { misdirected: 1 } });
    await device.write(1, fill(1));
    await device.flush();
    device.misdirectNextWrite(5);
    await device.write(1, fill(2));
    await device.write(2, fill(3));
    expect(device.pendingWrites()).toEqual([5, 2]);
    expect(await device.read(1)).toEqual(fill(1));
    expect(await device.read(5)).toEqual(fill(2));
    expect(await device.read(2)).toEqual(fill(3));
    expect(() => device.misdirectNextWrite(6)).toThrow(/budget allows no more misdirected writes/);
    const image = device.crash(inOrder(2, { kind: 'applied' }));
    expect(sectorOf(image, 1)).toEqual(fill(1));
    expect(sectorOf(image, 5)).toEqual(fill(2));
    expect(() => device.restart(image).misdirectNextWrite(3)).toThrow(/budget/);

    const none = faultyBlockDevice({ sectorSize: SS, sectorCount: 8 });
    expect(() => none.misdirectNextWrite(3)).toThrow(/budget/);
    const two = faultyBlockDevice({ sectorSize: SS, sectorCount: 8, faultBudget: { misdirected: 2 } });
    two.misdirectNextWrite(3);
    expect(() => two.misdirectNextWrite(4)).toThrow(/already armed/);
    expect(() => two.misdirectNextWrite(8)).toThrow(BlockDeviceError);
  });

  it('latent sector errors: reads fail with io or return zeros, on the medium, within the budget', async () => {
    const device = faultyBlockDevice({ sectorSize: SS, sectorCount: 8, faultBudget: { latentErrors: 2 } });
    await device.write(3, fill(7));
    await device.write(4, fill(8));
    await device.flush();
    device.failSector(3, 'error');
    device.failSector(4, 'zeros');
    const err = await rejection(device.read(3));
    expect(isBlockDeviceError(err, 'io')).toBe(true);
    expect(err.sector).toBe(3);
    expect(await device.read(4)).toEqual(fill(0));
    expect(await device.read(2)).toEqual(fill(0));
    await device.write(4, fill(9));
    expect(await device.read(4)).toEqual(fill(0));
    device.failSector(4, 'error');
    expect((await rejection(device.read(4))).code).toBe('io');
    expect(() => device.failSector(5, 'zeros')).toThrow(/budget allows no more latent sector errors/);
    // The image holds the real bytes; the errors survive the restart.
    const image = device.crash(inOrder(1, { kind: 'applied' }));
    expect(sectorOf(image, 3)).toEqual(fill(7));
    expect(sectorOf(image, 4)).toEqual(fill(9));
    const reopened = device.restart(image);
    expect((await rejection(reopened.read(3))).code).toBe('io');
    expect(await reopened.read(5)).toEqual(fill(0));
    expect(() => reopened.failSector(5, 'error')).toThrow(/budget/);
  });

  it('transient errors: one read fails and the next works; a failed flush makes nothing durable; the budget is enforced', async () => {
    const device = faultyBlockDevice({ sectorSize: SS, sectorCount: 8, faultBudget: { transient: 2 } });
    await device.write(1, fill(5));
    device.failNextRead();
    expect(() => device.failNextRead()).toThrow(/already armed/);
    const err = await rejection(device.read(1));
    expect(isBlockDeviceError(err, 'io')).toBe(true);
    expect(err.sector).toBe(1);
    expect(await device.read(1)).toEqual(fill(5));
    device.failNextFlush();
    expect((await rejection(device.flush())).code).toBe('io');
    expect(device.pendingWrites()).toEqual([1]);
    expect(sectorOf(device.durableImage(), 1)).toEqual(fill(0));
    await device.flush();
    expect(sectorOf(device.durableImage(), 1)).toEqual(fill(5));
    expect(() => device.failNextRead()).toThrow(/budget allows no more transient errors/);
    // The budget left carries over a restart.
    const reopened = device.restart(device.crash(inOrder(0, { kind: 'applied' })));
    expect(() => reopened.failNextFlush()).toThrow(/budget/);
  });
});

describe('crashPlanArb', () => {
  it('every generated plan is accepted, and each sector ends as a granule mix of what was written there', () => {
    const setup = fc.record({
      tearGranularity: fc.constantFrom<TearGranularity>(8, 512),
      sectorAtomic: fc.boolean(),
      writes: fc.array(fc.record({ sector: fc.nat(2), byte: fc.integer({ min: 1, max: 255 }) }), { maxLength: 6 }),
    });
    const scenario = setup.chain((s) => fc.tuple(fc.constant(s), crashPlanArb(s.writes.length, { sectorSize: 1024, tearGranularity: s.tearGranularity, sectorAtomic: s.sectorAtomic })));
    return fc.assert(
      fc.asyncProperty(scenario, async ([s, plan]) => {
        const device = faultyBlockDevice({ sectorSize: 1024, sectorCount: 3, tearGranularity: s.tearGranularity, sectorAtomic: s.sectorAtomic });
        for (const w of s.writes) await device.write(w.sector, fill(w.byte, 1024));
        expect([...plan.order].sort((a, b) => a - b)).toEqual(s.writes.map((_, i) => i));
        const image = device.crash(plan);
        expect(image.length).toBe(3 * 1024);
        const wrong: string[] = [];
        for (let sector = 0; sector < 3; sector++) {
          const allowed = new Set([0, ...s.writes.filter((w) => w.sector === sector).map((w) => w.byte)]);
          const bytes = sectorOf(image, sector, 1024);
          if (s.sectorAtomic && !bytes.every((b) => b === bytes[0])) wrong.push(`sector ${sector} torn on a sector-atomic device`);
          for (let g = 0; g < 1024; g += s.tearGranularity) {
            const granule = bytes.subarray(g, g + s.tearGranularity);
            if (!allowed.has(granule[0] as number) || !granule.every((b) => b === granule[0])) wrong.push(`sector ${sector} granule at ${g}`);
          }
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('shrinks towards the calm crash: every write applied, in write order', () => {
    const details = fc.check(
      fc.property(crashPlanArb(4, { sectorSize: SS, tearGranularity: 8 }), () => false),
      { seed: 42 },
    );
    expect(details.failed).toBe(true);
    expect(details.counterexample?.[0]).toEqual(inOrder(4, { kind: 'applied' }));
  });
});
