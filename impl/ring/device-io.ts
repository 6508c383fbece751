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

/** Reads one sector. */
export function readSector(device: BlockDevice, sector: number): Promise<RingResult<Uint8Array>> {
  return guard(`reading sector ${sector} of ${device.description}`, () => device.read(sector));
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
