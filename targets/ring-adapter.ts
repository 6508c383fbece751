/**
 * The adapter a block ring implements to be checked by spoolcheck: a single-producer,
 * single-consumer queue of byte items on a block device. The producer appends items; the
 * consumer reads them in order and then consumes (advances past) what it has read. Everything is
 * checked through these calls alone, so the ring may lay out its sectors as it likes, as long as
 * it reaches the device only through `world.device`.
 *
 * The contract the `ring` suite's adapter properties check, in plain words:
 * - `push` resolves `'ok'` once the item is published: the consumer can read it, and it survives
 *   what `survives` promises; or `'full'` when there is no room, and then nothing changed. An empty
 *   ring always has room for an item of up to {@link RING_MIN_CAPACITY_BYTES} bytes;
 * - `pop` gives the next published item after the ones this consumer handle has already popped,
 *   in push order, each exactly once per handle, or `undefined` when there is none;
 * - `advance` consumes every item this handle has popped: they are gone for good (once it
 *   resolves, even across a crash), and the ones not popped stay;
 * - attaching again (after a restart or a crash) is recovery: the consumer starts at the first
 *   item not consumed, so items popped but not consumed come back (at-least-once), and the
 *   producer goes on after the last published item.
 *
 * A crash (`survives`) is a power cut before any device write or flush: the device's volatile
 * write cache is lost, its unflushed writes landing in any order, each whole or dropped (and torn
 * inside a sector for `torn-writes`). Afterwards every item whose push returned `'ok'` and that
 * was not consumed by an advance that returned must come back, in order, byte for byte; nothing
 * unpublished may appear except the item whose push was in flight, last and in full.
 */
import type { BlockDevice } from '../impl/io/block-device.ts';

/** An empty ring must take an item of this many bytes (a ring that takes nothing checks nothing). */
export const RING_MIN_CAPACITY_BYTES = 1024;

/** The device the ring properties give a ring: 16 sectors of 512 bytes (8 KiB), zeros at first. */
export const RING_DEVICE = { sectorSize: 512, sectorCount: 16 } as const;

/** What the ring is given: its device. */
export interface RingWorld {
  /** The device: the ring must read and write only through it (the harness cuts the power here). */
  readonly device: BlockDevice;
}

/** The producer end of an attached ring. */
export interface RingProducerHandle {
  /** Appends `item`: `'ok'` once published, `'full'` when there is no room (nothing changed). */
  push(item: Uint8Array): Promise<'ok' | 'full'>;
}

/** The consumer end of an attached ring. */
export interface RingConsumerHandle {
  /** The next published item after those this handle popped, or `undefined` when there is none. */
  pop(): Promise<Uint8Array | undefined>;
  /** Consumes every item this handle has popped (durably, once it resolves). */
  advance(): Promise<void>;
}

/** What a ring may claim to survive. */
export const RING_SURVIVES = ['power-loss', 'torn-writes'] as const;

/**
 * `power-loss`: a power cut on a device that writes each sector whole (sector-atomic) but loses,
 * reorders or drops unflushed writes; `torn-writes`: also on a device that tears a sector at 8-byte
 * granules.
 */
export type RingSurvives = (typeof RING_SURVIVES)[number];

/** A ring implementation, as spoolcheck checks it. */
export interface RingAdapter {
  /** Formats an empty ring on a device of zeros (durably: the harness flushes nothing for you). */
  create(world: RingWorld): Promise<void>;
  /** Attaches the producer (after a crash this is its recovery). */
  producer(world: RingWorld): Promise<RingProducerHandle>;
  /** Attaches the consumer (after a crash this is its recovery). */
  consumer(world: RingWorld): Promise<RingConsumerHandle>;
  /** What the ring promises to survive with every published item intact; absent: nothing. */
  readonly survives?: readonly RingSurvives[];
}
