/**
 * The BlockDevice: what the block ring (docs/ring-protocol.md) runs on. Whole sectors only, asynchronous.
 *
 * This is public API. Implementations in this repository:
 *  - `impl/io/memory-block-device.ts`: an in-memory device;
 *  - `impl/io/file-block-device.ts`: a real file used as a device (node:fs);
 *  - `sim/faulty-block.ts`: a device with a volatile write cache that can crash, tear and misdirect.
 * `impl/io/block-device-contract.ts` is the contract every one must pass.
 *
 * Ordering and durability: a completed `write` is visible to every later `read` of any handle on
 * the same device. Durability across a crash is NOT promised until a later `flush` completes;
 * a faulty device documents exactly what a crash does to writes not yet flushed.
 *
 * Every failure is a {@link BlockDeviceError} with a `code`, delivered as a rejected promise
 * (never thrown synchronously); callers branch on the code.
 */

/** Why a device call failed. */
export type BlockDeviceErrorCode =
  /** A sector number outside 0..sectorCount-1 (or not an integer). */
  | 'range'
  /** A buffer that is not exactly one sector long. */
  | 'size'
  /** The device could not read or write (a latent sector error, a failing file). */
  | 'io'
  /** The device was closed (or, for a simulated device, has crashed). */
  | 'closed';

/** A failed device call: `code`, the operation and the sector it concerned. */
export class BlockDeviceError extends Error {
  readonly code: BlockDeviceErrorCode;
  readonly operation: string;
  readonly sector: number | undefined;

  constructor(code: BlockDeviceErrorCode, operation: string, sector: number | undefined, detail: string) {
    super(`${code}: ${operation}${sector === undefined ? '' : ` sector ${sector}`}: ${detail}`);
    this.name = 'BlockDeviceError';
    this.code = code;
    this.operation = operation;
    this.sector = sector;
  }
}

/**
 * True when `err` is a BlockDeviceError (with the given code, if one is given); recognised by its
 * name too, so an error from another copy of this module counts.
 */
export function isBlockDeviceError(err: unknown, code?: BlockDeviceErrorCode): err is BlockDeviceError {
  const ours = err instanceof BlockDeviceError || (err instanceof Error && err.name === 'BlockDeviceError' && typeof (err as { code?: unknown }).code === 'string');
  return ours && (code === undefined || (err as BlockDeviceError).code === code);
}

/** A device of `sectorCount` sectors of `sectorSize` bytes each. */
export interface BlockDevice {
  /** A short human-readable description for reports (`memory:8x512`, `file:/tmp/ring`). */
  readonly description: string;
  /** Bytes per sector: a multiple of 4, at least 512 for the ring (the device itself accepts any positive size). */
  readonly sectorSize: number;
  /** Number of sectors. */
  readonly sectorCount: number;
  /** Reads one whole sector (a fresh copy the caller may keep and modify). */
  read(sector: number): Promise<Uint8Array>;
  /** Writes one whole sector; `data` must be exactly `sectorSize` bytes. */
  write(sector: number, data: Uint8Array): Promise<void>;
  /** Makes every completed write durable. */
  flush(): Promise<void>;
}

/** Checks a sector number and buffer for `operation`; throws `range` or `size`. */
export function checkSectorArgs(device: Pick<BlockDevice, 'sectorSize' | 'sectorCount'>, operation: string, sector: number, data?: Uint8Array): void {
  if (!Number.isInteger(sector) || sector < 0 || sector >= device.sectorCount) {
    throw new BlockDeviceError('range', operation, sector, `the device has sectors 0..${device.sectorCount - 1}`);
  }
  if (data !== undefined && data.length !== device.sectorSize) {
    throw new BlockDeviceError('size', operation, sector, `a sector is ${device.sectorSize} bytes, got ${data.length}`);
  }
}

/** Throws a plain Error unless `value` is a positive integer; `caller` and `what` name it in the message. */
export function requirePositiveInteger(caller: string, what: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${caller}: ${what} must be a positive integer, got ${String(value)}`);
  }
}
