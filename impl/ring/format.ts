/**
 * The on-disk format of the block ring (docs/ring-protocol.md, docs/ring-protocol.md), byte-compatible with
 * mirage shared-block-ring: sector numbers, the signature, the control sectors, and where a
 * stream byte lives. Pure functions over bytes; no I/O.
 */
import { ringError, ringOk, type RingResult } from './result.ts';

/** Sector of the signature. */
export const SIGNATURE_SECTOR = 0;
/** Sector of the producer's position and suspend_ack. */
export const PRODUCER_SECTOR = 1;
/** Sector of the consumer's position and suspend flag. */
export const CONSUMER_SECTOR = 2;
/** First sector of the data area. */
export const DATA_SECTOR = 3;
/** The signature, at offset 0 of sector 0. */
export const MAGIC = 'mirage shared-block-device 1.0';
/** Offset of the human-readable debug line in a control sector. */
export const DEBUG_LINE_OFFSET = 128;
/** Longest debug line, in bytes. */
export const DEBUG_LINE_MAX = 384;
/** Offset of the flag byte (suspend_ack or suspend) in a control sector. */
export const FLAG_OFFSET = 8;
/** Flag byte values. */
export const FLAG_TRUE = 1;
export const FLAG_FALSE = 2;
/** Items of 2^31 bytes or more are refused. */
export const MAX_ITEM_BYTES = 2 ** 31 - 1;

/** The ring's geometry, recomputed from the device at every attach (it is not stored). */
export interface Geometry {
  readonly sectorSize: number;
  readonly sectorCount: number;
  /** Data sectors: sectorCount - 3. */
  readonly dataSectors: number;
  /** Data bytes: dataSectors * sectorSize. */
  readonly capacity: number;
}

/** Checks a device's geometry: sector size a multiple of 4 and at least 512, at least 4 sectors. */
export function geometryOf(device: { readonly sectorSize: number; readonly sectorCount: number }): RingResult<Geometry> {
  const { sectorSize, sectorCount } = device;
  if (!Number.isInteger(sectorSize) || sectorSize < 512 || sectorSize % 4 !== 0) {
    return ringError('geometry', `a ring needs a sector size that is a multiple of 4 and at least 512 bytes; the device has ${sectorSize}`);
  }
  if (!Number.isInteger(sectorCount) || sectorCount < 4) {
    return ringError('geometry', `a ring needs at least 4 sectors (signature, producer, consumer, data); the device has ${sectorCount}`);
  }
  const dataSectors = sectorCount - DATA_SECTOR;
  return ringOk({ sectorSize, sectorCount, dataSectors, capacity: dataSectors * sectorSize });
}

/** `x` rounded up to a multiple of 4. */
export function roundup4(x: number): number {
  return Math.ceil(x / 4) * 4;
}

/** Stream bytes an item of `length` bytes takes: its 4-byte header and its payload padded to 4. */
export function itemBytes(length: number): number {
  return 4 + roundup4(length);
}

/** The device sector holding stream byte `x`. */
export function sectorOfByte(g: Geometry, x: number): number {
  return DATA_SECTOR + (Math.floor(x / g.sectorSize) % g.dataSectors);
}

/** A signature sector. */
export function signatureSector(sectorSize: number): Uint8Array {
  const sector = new Uint8Array(sectorSize);
  sector.set(new TextEncoder().encode(MAGIC), 0);
  return sector;
}

/** Whether `sector` starts with the signature. */
export function hasSignature(sector: Uint8Array): boolean {
  const magic = new TextEncoder().encode(MAGIC);
  return magic.every((b, i) => sector[i] === b);
}

/** A control sector as `create` writes it: zeros, flag false, no debug line. */
export function initialControlSector(sectorSize: number): Uint8Array {
  const sector = new Uint8Array(sectorSize);
  sector[FLAG_OFFSET] = FLAG_FALSE;
  return sector;
}

/** The contents of a control sector. */
export interface Control {
  readonly position: number;
  readonly flag: boolean;
}

/** Which control sector: names the fields in debug lines and messages. */
export type ControlKind = 'producer' | 'consumer';

/** Encodes a control sector with its debug line. */
export function encodeControl(sectorSize: number, kind: ControlKind, control: Control, queue: string, client: string): Uint8Array {
  const sector = new Uint8Array(sectorSize);
  new DataView(sector.buffer).setBigUint64(0, BigInt(control.position), true);
  sector[FLAG_OFFSET] = control.flag ? FLAG_TRUE : FLAG_FALSE;
  const flagName = kind === 'producer' ? 'suspend_ack' : 'suspend';
  const line = new TextEncoder().encode(`${queue} used by ${client}; ${kind} = ${control.position}; ${flagName} = ${control.flag}`);
  sector.set(line.subarray(0, Math.min(DEBUG_LINE_MAX, sectorSize - DEBUG_LINE_OFFSET)), DEBUG_LINE_OFFSET);
  return sector;
}

/**
 * Decodes a control sector: `corrupt` for a bad flag byte, a position not a multiple of 4 or above
 * 2^53. `lenientFlag` is quirk RNG-3 (any byte but 1 reads as false).
 */
export function decodeControl(sector: Uint8Array, kind: ControlKind, lenientFlag = false): RingResult<Control> {
  const where = `${kind} control sector ${kind === 'producer' ? PRODUCER_SECTOR : CONSUMER_SECTOR}`;
  const raw = new DataView(sector.buffer, sector.byteOffset, sector.byteLength).getBigUint64(0, true);
  if (raw > BigInt(Number.MAX_SAFE_INTEGER)) return ringError('corrupt', `${where}: position ${raw} is beyond 2^53`);
  const position = Number(raw);
  if (position % 4 !== 0) return ringError('corrupt', `${where}: position ${position} is not a multiple of 4`);
  const flag = sector[FLAG_OFFSET];
  // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
  if (lenientFlag) return ringOk({ position, flag: flag === FLAG_TRUE });
  if (flag !== FLAG_TRUE && flag !== FLAG_FALSE) return ringError('corrupt', `${where}: flag byte ${String(flag)} is neither 1 (true) nor 2 (false)`);
  return ringOk({ position, flag: flag === FLAG_TRUE });
}

/** Checks `C <= P <= C + T` between the two control sectors. */
export function checkPositions(g: Geometry, producer: number, consumer: number): RingResult<void> {
  if (consumer > producer || producer > consumer + g.capacity) {
    return ringError('corrupt', `control sectors disagree: consumer position ${consumer} and producer position ${producer} break C <= P <= C + ${g.capacity}`);
  }
  return ringOk(undefined);
}
