/**
 * The BlockDevice contract as a vitest suite: every device (ours, the simulated one, a user's own)
 * must pass it. Call {@link defineBlockDeviceContract} from a `*.test.ts` file with a factory that
 * gives a fresh, zero-filled device of the requested geometry for each test.
 *
 * What it pins down is what the block ring relies on: the geometry is what was asked for; a fresh
 * device reads as zeros; a completed write is seen by every later read; sectors are independent;
 * reads hand out copies and writes take copies; a bad sector number fails with `range` and a
 * buffer of the wrong length with `size`, as a rejected promise (never a synchronous throw) that
 * changes nothing; `flush` resolves and keeps the data. It runs at sector sizes 512 and 4096.
 * Durability across a crash is not part of it (see `sim/faulty-block.ts`).
 */
import { describe, expect, it } from 'vitest';
import { BlockDeviceError, type BlockDevice, type BlockDeviceErrorCode } from './block-device.ts';

/** The size of the device a contract test asks for. */
export interface BlockDeviceGeometry {
  /** Bytes per sector. */
  readonly sectorSize: number;
  /** Number of sectors. */
  readonly sectorCount: number;
}

/** A fresh, zero-filled device for one test, and how to dispose of it. */
export interface BlockDeviceUnderTest {
  readonly device: BlockDevice;
  readonly cleanup: () => Promise<void>;
}

/** Sector sizes the contract runs at: the ring's minimum and a common large one. */
const SECTOR_SIZES = [512, 4096] as const;
/** Sectors per test device: enough for first, middle and last to differ. */
const SECTOR_COUNT = 8;

/** A sector of `size` bytes whose content depends on `seed` and on the offset (no two seeds alike). */
function pattern(size: number, seed: number): Uint8Array {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (seed * 31 + i * 7 + (i >> 8)) & 0xff;
  return data;
}

/** The error code a promise rejects with (fails the test if it resolves or rejects with something else). */
async function codeOf(promise: Promise<unknown>): Promise<BlockDeviceErrorCode> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(BlockDeviceError);
    return (err as BlockDeviceError).code;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Registers the contract tests for the device `name`. */
export function defineBlockDeviceContract(name: string, make: (geometry: BlockDeviceGeometry) => Promise<BlockDeviceUnderTest>): void {
  for (const sectorSize of SECTOR_SIZES) {
    const geometry: BlockDeviceGeometry = { sectorSize, sectorCount: SECTOR_COUNT };
    /** Runs `body` on a fresh device and always cleans up. */
    const withDevice = (body: (device: BlockDevice) => Promise<void>) => async (): Promise<void> => {
      const { device, cleanup } = await make(geometry);
      try {
        await body(device);
      } finally {
        await cleanup();
      }
    };
    const last = SECTOR_COUNT - 1;

    describe(`BlockDevice contract: ${name} (${SECTOR_COUNT} x ${sectorSize} bytes)`, () => {
      it('reports the requested geometry and a description', withDevice(async (device) => {
        expect(device.sectorSize).toBe(sectorSize);
        expect(device.sectorCount).toBe(SECTOR_COUNT);
        expect(typeof device.description).toBe('string');
        expect(device.description.length).toBeGreaterThan(0);
      }));

      it('a fresh device reads zeros in every sector', withDevice(async (device) => {
        for (let s = 0; s < SECTOR_COUNT; s++) {
          const data = await device.read(s);
          expect(data).toBeInstanceOf(Uint8Array);
          expect(data.length).toBe(sectorSize);
          expect(data.every((b) => b === 0)).toBe(true);
        }
      }));

      it('a completed write is seen by later reads; an overwrite replaces the sector', withDevice(async (device) => {
        await device.write(3, pattern(sectorSize, 1));
        expect(await device.read(3)).toEqual(pattern(sectorSize, 1));
        expect(await device.read(3)).toEqual(pattern(sectorSize, 1));
        await device.write(3, pattern(sectorSize, 2));
        expect(await device.read(3)).toEqual(pattern(sectorSize, 2));
      }));

      it('reads return copies and writes take copies', withDevice(async (device) => {
        const input = pattern(sectorSize, 3);
        await device.write(0, input);
        input.fill(0xee);
        const first = await device.read(0);
        expect(first).toEqual(pattern(sectorSize, 3));
        first.fill(0xdd);
        expect(await device.read(0)).toEqual(pattern(sectorSize, 3));
        const a = await device.read(0);
        const b = await device.read(0);
        expect(a).not.toBe(b);
      }));

      it('sectors are independent, the first and the last included', withDevice(async (device) => {
        await device.write(0, pattern(sectorSize, 10));
        await device.write(last, pattern(sectorSize, 11));
        await device.write(4, pattern(sectorSize, 12));
        await device.write(5, pattern(sectorSize, 13));
        await device.write(4, pattern(sectorSize, 14));
        expect(await device.read(0)).toEqual(pattern(sectorSize, 10));
        expect(await device.read(last)).toEqual(pattern(sectorSize, 11));
        expect(await device.read(4)).toEqual(pattern(sectorSize, 14));
        expect(await device.read(5)).toEqual(pattern(sectorSize, 13));
        for (const s of [1, 2, 3, 6]) expect((await device.read(s)).every((b) => b === 0)).toBe(true);
      }));

      it('a sector number outside 0..sectorCount-1 or not an integer fails with range', withDevice(async (device) => {
        for (const sector of [-1, SECTOR_COUNT, 1.5, Number.NaN]) {
          expect(await codeOf(device.read(sector))).toBe('range');
          expect(await codeOf(device.write(sector, pattern(sectorSize, 4)))).toBe('range');
        }
        try {
          await device.read(SECTOR_COUNT);
          expect.unreachable('read past the end succeeded');
        } catch (err) {
          expect((err as BlockDeviceError).operation).toBe('read');
          expect((err as BlockDeviceError).sector).toBe(SECTOR_COUNT);
        }
        for (let s = 0; s < SECTOR_COUNT; s++) expect((await device.read(s)).every((b) => b === 0)).toBe(true);
      }));

      it('a buffer that is not exactly one sector fails with size and changes nothing', withDevice(async (device) => {
        await device.write(2, pattern(sectorSize, 5));
        expect(await codeOf(device.write(2, new Uint8Array(sectorSize - 1).fill(9)))).toBe('size');
        expect(await codeOf(device.write(2, new Uint8Array(sectorSize + 1).fill(9)))).toBe('size');
        expect(await codeOf(device.write(2, new Uint8Array(0)))).toBe('size');
        expect(await device.read(2)).toEqual(pattern(sectorSize, 5));
        expect((await device.read(3)).every((b) => b === 0)).toBe(true);
      }));

      it('flush resolves and the data stays readable', withDevice(async (device) => {
        await device.flush();
        await device.write(1, pattern(sectorSize, 6));
        await device.flush();
        expect(await device.read(1)).toEqual(pattern(sectorSize, 6));
        await device.write(1, pattern(sectorSize, 7));
        expect(await device.read(1)).toEqual(pattern(sectorSize, 7));
        await device.flush();
        await device.flush();
        expect(await device.read(1)).toEqual(pattern(sectorSize, 7));
      }));
    });
  }
}
