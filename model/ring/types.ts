/**
 * The vocabulary of the block-ring model (docs/ring-protocol.md, "Errors" and "Geometry"): the
 * result of every call, the error kinds, the geometry and the sizes derived from it.
 *
 * The result shape is the implementation's (`impl/ring/result.ts`), defined again here because a
 * model imports nothing of ours outside `model/`. The model's messages are short: comparisons of
 * model and implementation look at `kind`, `value` and `error`, never at `message`. The model never
 * produces `corrupt` nor `io` (it stores decoded values and does no I/O); they are listed so that
 * both sides share one type.
 */

/** The kinds of ring errors. */
export type RingErrorKind = 'geometry' | 'notInitialised' | 'detached' | 'tooLarge' | 'badPosition' | 'corrupt' | 'io';

/** The outcome of a ring call: a value, `retry`, `suspended`, or an error of a documented kind. */
export type RingResult<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'retry' }
  | { readonly kind: 'suspended' }
  | { readonly kind: 'error'; readonly error: RingErrorKind; readonly message: string };

/** A successful result. */
export function ringOk<T>(value: T): RingResult<T> {
  return { kind: 'ok', value };
}

/** `retry`: no room now, nothing to pop now, or a suspend/resume request not acknowledged yet. */
export const RETRY: RingResult<never> = { kind: 'retry' };

/** `suspended`: the consumer asked the producer to stop. */
export const SUSPENDED: RingResult<never> = { kind: 'suspended' };

/** An error result. Typed `RingResult<never>` so that it fits any `RingResult<T>`. */
export function ringError(error: RingErrorKind, message: string): RingResult<never> {
  return { kind: 'error', error, message };
}

/** Whether the producer runs or is suspended, as both ends' `state()` report it. */
export type RingState = 'running' | 'suspended';

/** What `pop` returns: the item and the position just after it. */
export interface Popped {
  readonly next: number;
  readonly item: Uint8Array;
}

/** The device a ring lives on: its sector size in bytes and its number of sectors. */
export interface RingGeometry {
  readonly sectorSize: number;
  readonly sectorCount: number;
}

/** Sectors before the data area: signature, producer control, consumer control. */
export const CONTROL_SECTORS = 3;

/** The longest item length accepted; `L >= 2^31` is `tooLarge`. */
export const MAX_ITEM_LENGTH = 2 ** 31 - 1;

/**
 * Why `g` cannot hold a ring (sector size not a multiple of 4 or below 512, fewer than 4
 * sectors), or `undefined` when it can.
 */
export function geometryProblem(g: RingGeometry): string | undefined {
  if (!Number.isInteger(g.sectorSize) || g.sectorSize < 512 || g.sectorSize % 4 !== 0) return `bad sector size ${g.sectorSize}`;
  if (!Number.isInteger(g.sectorCount) || g.sectorCount < 4) return `bad sector count ${g.sectorCount}`;
  return undefined;
}

/** `T`, the data area in bytes: `(sectorCount - 3) * sectorSize`; 0 for a geometry that cannot hold a ring. */
export function capacityOf(g: RingGeometry): number {
  return geometryProblem(g) === undefined ? (g.sectorCount - CONTROL_SECTORS) * g.sectorSize : 0;
}

/** `x` rounded up to a multiple of 4. */
export function roundup4(x: number): number {
  return Math.ceil(x / 4) * 4;
}

/** Stream bytes an item of `length` bytes takes: `needed = 4 + roundup4(length)`. */
export function itemSize(length: number): number {
  return 4 + roundup4(length);
}
