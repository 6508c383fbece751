/**
 * The ring's access to its BlockDevice: every call returns a RingResult, a device failure
 * becoming an `io` error that names the sector. Also the signature check shared by both ends
 * and `create`.
 */
import { isBlockDeviceError, type BlockDevice } from '../io/block-device.ts';
import { hasSignature, SIGNATURE_SECTOR } from './format.ts';
import { ringError, ringOk, type RingResult } from './result.ts';

async function guard<T>(what: string, f: () => Promise<T>): Promise<RingResult<T>> {
  try {
    return ringOk(await f());
  } catch (err) {
    if (isBlockDeviceError(err)) return ringError('io', `${what}: ${err.message}`);
    throw err;
  }
}

const scratchBuffers = new WeakMap<BlockDevice, Uint8Array>();

/** The one scratch buffer of `device` (quirk RB-2 only). */
export function scratchOf(device: BlockDevice): Uint8Array {
  let buffer = scratchBuffers.get(device);
  if (buffer === undefined) {
    buffer = new Uint8Array(device.sectorSize);
    scratchBuffers.set(device, buffer);
  }
  return buffer;
}

/**
 * Reads one sector into a fresh buffer — or, with quirk RB-2, into the device's one `scratch`
 * buffer, which every call shares (the historic bug). With quirk RNG-5 (`zerosOnError`) a read
 * that fails with an I/O error gives a sector of zeros instead.
 */
export function readSector(device: BlockDevice, sector: number, scratch?: Uint8Array, zerosOnError = false): Promise<RingResult<Uint8Array>> {
  return guard(`reading sector ${sector} of ${device.description}`, async () => {
    const data = await device.read(sector).catch((err: unknown) => {
      // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      if (zerosOnError && isBlockDeviceError(err, 'io')) return new Uint8Array(device.sectorSize);
      throw err;
    });
    if (scratch === undefined) return data;
    scratch.set(data);
    return scratch;
  });
}

/** Writes one sector. */
export function writeSector(device: BlockDevice, sector: number, data: Uint8Array): Promise<RingResult<void>> {
  return guard(`writing sector ${sector} of ${device.description}`, () => device.write(sector, data));
}

/** Flushes the device. */
export function flushDevice(device: BlockDevice): Promise<RingResult<void>> {
  return guard(`flushing ${device.description}`, () => device.flush());
}

/** Whether sector 0 holds the signature. */
export async function isInitialised(device: BlockDevice): Promise<RingResult<boolean>> {
  const sector = await readSector(device, SIGNATURE_SECTOR);
  return sector.kind === 'ok' ? ringOk(hasSignature(sector.value)) : sector;
}
