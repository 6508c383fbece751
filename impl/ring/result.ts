/**
 * What every ring call returns (docs/ring-protocol.md, "Errors"): a value, `retry`, `suspended`,
 * or an error of a documented kind with a message naming the sector and the bad value. Ring
 * conditions are never thrown.
 */

/** The kinds of ring errors. */
export type RingErrorKind = 'geometry' | 'notInitialised' | 'detached' | 'tooLarge' | 'badPosition' | 'corrupt' | 'io';

/** The outcome of a ring call. */
export type RingResult<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'retry' }
  | { readonly kind: 'suspended' }
  | { readonly kind: 'error'; readonly error: RingErrorKind; readonly message: string };

/** A successful result. */
export function ringOk<T>(value: T): RingResult<T> {
  return { kind: 'ok', value };
}

/** `retry`: no room now, or nothing to pop now, or a suspend/resume request not yet acknowledged. */
export const RETRY: RingResult<never> = { kind: 'retry' };

/** `suspended`: the consumer asked the producer to stop. */
export const SUSPENDED: RingResult<never> = { kind: 'suspended' };

/** An error result. */
export function ringError(error: RingErrorKind, message: string): RingResult<never> {
  return { kind: 'error', error, message };
}

/** What a result says, for a message: an error's own message, or the kind (`ok`, `retry`, `suspended`). */
export function resultText(r: RingResult<unknown>): string {
  return r.kind === 'error' ? r.message : r.kind;
}

/** Whether the producer runs or is suspended, as `state()` reports it. */
export type RingState = 'running' | 'suspended';

/** What `pop` returns: the item and the position just after it. */
export interface Popped {
  readonly next: number;
  readonly item: Uint8Array;
}
