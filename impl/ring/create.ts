/**
 * `create`: initialise a ring on a device (docs/ring-protocol.md, "Geometry and format"):
 * nothing if the signature is there; else both control sectors, a flush, then the signature
 * LAST and a flush, so a crash part-way leaves a device without signature, never a signed ring
 * with garbage control sectors.
 */
import type { BlockDevice } from '../io/block-device.ts';
import { flushDevice, isInitialised, writeSector } from './device-io.ts';
import { CONSUMER_SECTOR, geometryOf, initialControlSector, PRODUCER_SECTOR, SIGNATURE_SECTOR, signatureSector } from './format.ts';
import { ringOk, type RingResult } from './result.ts';

/** Initialises a ring on `device` unless it already holds one. */
export async function createRing(device: BlockDevice): Promise<RingResult<void>> {
  const g = geometryOf(device);
  if (g.kind !== 'ok') return g;
  const initialised = await isInitialised(device);
  if (initialised.kind !== 'ok') return initialised;
  if (initialised.value) return ringOk(undefined);
  const control = initialControlSector(device.sectorSize);
  for (const step of [
    () => writeSector(device, PRODUCER_SECTOR, control),
    () => writeSector(device, CONSUMER_SECTOR, control),
    () => flushDevice(device),
    () => writeSector(device, SIGNATURE_SECTOR, signatureSector(device.sectorSize)),
    () => flushDevice(device),
  ]) {
    const r = await step();
    if (r.kind !== 'ok') return r;
  }
  return ringOk(undefined);
}
