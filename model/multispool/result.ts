/**
 * What a model operation returns: a value, or one of the error kinds of the protocol
 * (`docs/multispool-protocol.md`, "Error kinds"). The model itself never produces `corrupt`
 * (it stores decoded values) nor `io` (it has no I/O); they are listed so that the model's and the
 * implementation's results share one type.
 */

/** The protocol's error kinds, as `SpoolError.kind` in the implementation. */
export type ErrorKind =
  | 'missing'
  | 'notADirectory'
  | 'notEmpty'
  | 'invalidName'
  | 'namesExhausted'
  | 'noSuchEntry'
  | 'notFound'
  | 'entryDisappeared'
  | 'corrupt'
  | 'released'
  | 'io';

/** The outcome of one operation: `ok` with a value, or `error` with a kind. */
export type Result<T> = { readonly kind: 'ok'; readonly value: T } | { readonly kind: 'error'; readonly error: ErrorKind };

/** A successful result. */
export function ok<T>(value: T): Result<T> {
  return { kind: 'ok', value };
}

/** A failed result. Typed `Result<never>` so that it fits any `Result<T>`. */
export function err(error: ErrorKind): Result<never> {
  return { kind: 'error', error };
}
