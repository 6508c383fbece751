/**
 * What an end of the ring does when the write of its own control sector fails: that write may
 * have landed all the same, wholly or in part (an ambiguous write: a timeout, a lost reply of a
 * network block device, a controller reset). The end is the only writer of its sector, so the
 * sector says where it stands: the end reads it back and adopts it. Without this, an end whose
 * pointer landed while it believed otherwise works from a stale position: a producer behind the
 * published pointer overwrites published items or finds the consumer "ahead" of it (`corrupt` on
 * every later call); a consumer behind its released pointer pops space the producer reuses.
 */
import type { BlockDevice } from '../io/block-device.ts';
import { readSector } from './device-io.ts';
import { decodeControl } from './format.ts';
import { ringOk, type RingResult } from './result.ts';

/** A control record: a position and the end's flag (suspend_ack or suspend). */
export interface HeldControl {
  readonly position: number;
  readonly flag: boolean;
}

/** The record sector `sector` of end `end` holds now: an `io` error when it cannot be read, `corrupt` when it cannot be decoded. */
export async function rereadControl(device: BlockDevice, sector: number, end: 'producer' | 'consumer'): Promise<RingResult<HeldControl>> {
  const read = await readSector(device, sector);
  if (read.kind !== 'ok') return read;
  const control = decodeControl(read.value, end);
  return control.kind === 'ok' ? ringOk({ position: control.value.position, flag: control.value.flag }) : control;
}
