/**
 * The in-memory {@link BlockDevice}: a zero-filled byte array cut into sectors.
 *
 * Every completed write is immediately visible and there is nothing to lose, so `flush` does
 * nothing. Reads return fresh copies and writes copy their input: no caller can change the device
 * except through `write`. For a device with a volatile cache that can crash, see
 * `sim/faulty-block.ts`.
 */
import { checkSectorArgs, requirePositiveInteger, type BlockDevice } from './block-device.ts';

/** Geometry and label of {@link memoryBlockDevice}. */
export interface MemoryBlockDeviceOptions {
  /** Bytes per sector: a positive integer. */
  readonly sectorSize: number;
  /** Number of sectors: a positive integer. */
  readonly sectorCount: number;
  /** Shown in reports. Default: `memory:<sectorCount>x<sectorSize>`. */
  readonly description?: string;
}

/** An in-memory device whose whole contents can be copied out. */
export interface MemoryBlockDevice extends BlockDevice {
  /** A copy of the whole device, `sectorCount * sectorSize` bytes, sector 0 first. */
  snapshot(): Uint8Array;
}

/** Creates a zero-filled in-memory device; throws an Error for a geometry that is not two positive integers. */
export function memoryBlockDevice(options: MemoryBlockDeviceOptions): MemoryBlockDevice {
  const { sectorSize, sectorCount } = options;
  requirePositiveInteger('memoryBlockDevice', 'sectorSize', sectorSize);
  requirePositiveInteger('memoryBlockDevice', 'sectorCount', sectorCount);
  const bytes = new Uint8Array(sectorSize * sectorCount);
  const geometry = { sectorSize, sectorCount };
  return {
    description: options.description ?? `memory:${sectorCount}x${sectorSize}`,
    sectorSize,
    sectorCount,
    read: async (sector) => {
      checkSectorArgs(geometry, 'read', sector);
      return bytes.slice(sector * sectorSize, (sector + 1) * sectorSize);
    },
    write: async (sector, data) => {
      checkSectorArgs(geometry, 'write', sector, data);
      bytes.set(data, sector * sectorSize);
    },
    flush: async () => {},
    snapshot: () => bytes.slice(),
  };
}
