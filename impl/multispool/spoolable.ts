/**
 * What a spool stores, as the original's `Spoolable`: the fixed set of queues and how each maps
 * to a directory, and how metadata and data become bytes and back. The spool is generic over it.
 */

/** Turns values into bytes and back. `decode` throws (any error) on bytes it cannot read. */
export interface Codec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/**
 * The spooled types. `Q` is the queue enumeration (string literals).
 * - `queues`: every queue, in a fixed order (the spool creates one directory per queue).
 * - `queueDir(q)`: the directory name of queue q under the spool; must be a single path
 *   component that does not start with '.', and distinct queues must map to distinct names.
 */
export interface Spoolable<Q extends string, M, D> {
  readonly queues: readonly Q[];
  queueDir(queue: Q): string;
  readonly metadata: Codec<M>;
  readonly data: Codec<D>;
}

/**
 * Yields candidate entry names. `reserve` calls `next(0)`, and on a name clash `next(1)`,
 * `next(2)`, ... until an exclusive create of `.registry/<name>` succeeds. A name must be a
 * single path component, not starting with '.', without '/' or NUL.
 */
export interface NameGenerator {
  next(attempt: number): string;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A codec for any JSON value; decode throws on bytes that are not UTF-8 JSON. */
export function jsonCodec<T>(): Codec<T> {
  return {
    encode: (value) => utf8.encode(JSON.stringify(value)),
    decode: (bytes) => JSON.parse(fromUtf8.decode(bytes)) as T,
  };
}

/** A codec for UTF-8 text. */
export const textCodec: Codec<string> = {
  encode: (value) => utf8.encode(value),
  decode: (bytes) => fromUtf8.decode(bytes),
};
