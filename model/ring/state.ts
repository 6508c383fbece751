/**
 * The abstract state of a block ring (docs/ring-protocol.md, docs/ring-protocol.md): what the model predicts,
 * with one producer handle and one consumer handle, as the ring allows. Plain immutable data.
 *
 * - `P` and `C` are the published positions (sector 1 and sector 2), `S` the consumer's suspend
 *   flag (sector 2), `A` the producer's suspend_ack (sector 1). Positions only grow; byte `x` of
 *   the stream lives in data sector `floor(x / ss) mod N`, which the model does not need.
 * - `items` holds every item written at or after `C`, in stream order: the published ones
 *   (`at < P`, contiguous from `C` to `P`) and at most one unpublished item at `P` (the last
 *   successful push since the last publish). The unpublished item stays in the stream when its
 *   producer detaches (its bytes are still on the device); a later push replaces it, an advance
 *   to its end publishes it. Only the producer handle's `pending` makes it publishable.
 * - Before `create` the device holds no ring: `created` is false, positions are 0, flags false.
 */
import { capacityOf, type RingGeometry } from './types.ts';

/** One item of the stream: the position of its length header, and its payload. */
export interface StreamItem {
  readonly at: number;
  readonly item: Uint8Array;
}

/** Where a handle is in its life: never attached, attached, or detached. */
export type HandleStatus = 'absent' | 'attached' | 'detached';

/** The producer handle: its status and `pending`, what its last push returned (only while attached). */
export interface ProducerHandle {
  readonly status: HandleStatus;
  /** The position returned by the last successful push since the last publish; `undefined` if none. */
  readonly pending: number | undefined;
}

/** The whole ring as the model sees it. */
export interface RingModelState {
  /** The device's geometry (not stored on the device: recomputed at every attach). */
  readonly geometry: RingGeometry;
  /** The data area in bytes (`capacityOf(geometry)`). */
  readonly T: number;
  /** Whether sector 0 holds the signature. */
  readonly created: boolean;
  /** The producer position (sector 1). */
  readonly P: number;
  /** The consumer position (sector 2). */
  readonly C: number;
  /** The consumer's suspend flag (sector 2). */
  readonly S: boolean;
  /** The producer's suspend_ack (sector 1). */
  readonly A: boolean;
  /** Every item written at or after `C`, in stream order (see the file comment). */
  readonly items: readonly StreamItem[];
  /** The one producer handle. */
  readonly producer: ProducerHandle;
  /** The one consumer handle. */
  readonly consumer: HandleStatus;
}

/** A device of geometry `g` that holds no ring yet, with no handle. */
export function initialRingState(g: RingGeometry): RingModelState {
  return {
    geometry: g,
    T: capacityOf(g),
    created: false,
    P: 0,
    C: 0,
    S: false,
    A: false,
    items: [],
    producer: { status: 'absent', pending: undefined },
    consumer: 'absent',
  };
}

/** The published items (those between `C` and `P`), in stream order. */
export function publishedItems(state: RingModelState): readonly StreamItem[] {
  return state.items.filter((i) => i.at < state.P);
}

/** The item written at `P` but not published, if any. */
export function unpublishedItem(state: RingModelState): StreamItem | undefined {
  return state.items.find((i) => i.at >= state.P);
}

/**
 * Every item boundary between `C` and `P`, increasing: `C`, the start of every published item,
 * and `P`. These are exactly the positions a consumer may pop from or advance to; any other
 * position between `C` and `P` makes the implementation's behaviour unspecified and the model throw.
 */
export function itemBoundaries(state: RingModelState): readonly number[] {
  return [...publishedItems(state).map((i) => i.at), state.P];
}
