/**
 * The spool's errors: one {@link SpoolError} class whose `kind` is one of the protocol's error
 * kinds (`docs/multispool-protocol.md`, "Error kinds"), and the one place where a failed Vfs call
 * becomes a SpoolError.
 */
import { VfsError, type VfsErrorCode } from '../io/vfs.ts';

/**
 * What went wrong, as the protocol names it:
 * - `missing`: a directory the spool needs does not exist and may not be created;
 * - `notADirectory`: a path that must be a directory is something else;
 * - `notEmpty`: `load`/`create` on a non-empty directory that does not look like a spool;
 * - `invalidName`: a name that is empty, contains `/` or NUL, or starts with `.`;
 * - `namesExhausted`: `reserve` found no free name in its attempts;
 * - `noSuchEntry`: the entry's registry file does not exist;
 * - `notFound`: the entry's file is not in the directory the operation needs;
 * - `entryDisappeared`: `checkout` lost the race for the entry;
 * - `corrupt`: metadata or data bytes the codec cannot decode;
 * - `released`: a checked-out entry used after its `save` or `remove`;
 * - `io`: any other Vfs failure (the VfsError is the `cause`).
 */
export type SpoolErrorKind =
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

/** Where a SpoolError happened and what caused it. */
export interface SpoolErrorDetails {
  /** The path the failing step worked on, when there is one. */
  readonly path?: string;
  /** The underlying failure (a VfsError for `io`, the codec's error for `corrupt`). */
  readonly cause?: unknown;
}

/** A spool operation failed; branch on `kind`, never on the message. */
export class SpoolError extends Error {
  /** The protocol's name for the failure. */
  readonly kind: SpoolErrorKind;
  /** The path the failing step worked on, when there is one. */
  readonly path?: string;

  constructor(kind: SpoolErrorKind, message: string, details: SpoolErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SpoolError';
    this.kind = kind;
    this.path = details.path;
  }
}

/** True when `e` is a SpoolError (of the given kind, when one is given). */
export function isSpoolError(e: unknown, kind?: SpoolErrorKind): e is SpoolError {
  return e instanceof SpoolError && (kind === undefined || e.kind === kind);
}

/** For each Vfs error code that means something to the protocol at a given step, its kind. */
export type VfsCodeKinds = Partial<Record<VfsErrorCode, SpoolErrorKind>>;

const KIND_PHRASES: Record<SpoolErrorKind, string> = {
  missing: 'does not exist',
  notADirectory: 'is not a directory',
  notEmpty: 'is not empty',
  invalidName: 'is not a valid name',
  namesExhausted: 'has no free name',
  noSuchEntry: 'no such entry (registry file missing)',
  notFound: 'not found',
  entryDisappeared: 'entry disappeared before checkout',
  corrupt: 'cannot be decoded',
  released: 'the checked-out entry was already saved or removed',
  io: 'I/O error',
};

/**
 * Converts anything a Vfs step threw into a SpoolError: a SpoolError passes through; a VfsError
 * whose code `codes` maps becomes that kind; everything else becomes `io` with the error as cause.
 * `what` says in words what the step was doing (e.g. `write metadata`).
 */
export function toSpoolError(err: unknown, what: string, path: string, codes: VfsCodeKinds = {}): SpoolError {
  if (err instanceof SpoolError) return err;
  if (err instanceof VfsError) {
    const kind = codes[err.code] ?? 'io';
    const detail = kind === 'io' ? err.message : `${KIND_PHRASES[kind]} (${err.code})`;
    return new SpoolError(kind, `${what} ${path}: ${detail}`, { path, cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new SpoolError('io', `${what} ${path}: ${message}`, { path, cause: err });
}

/**
 * Runs one Vfs step, turning its failure into a SpoolError with {@link toSpoolError}.
 * `await vfsStep('read metadata', path, () => readWholeFile(vfs, path), { ENOENT: 'notFound' })`.
 */
export async function vfsStep<T>(what: string, path: string, step: () => Promise<T>, codes: VfsCodeKinds = {}): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw toSpoolError(err, what, path, codes);
  }
}

/** Decodes bytes read from `path` with `decode`; a codec failure is a `corrupt` SpoolError. */
export function decodeAt<T>(decode: (bytes: Uint8Array) => T, bytes: Uint8Array, path: string, what: string): T {
  try {
    return decode(bytes);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new SpoolError('corrupt', `${what} ${path} cannot be decoded: ${message}`, { path, cause: err });
  }
}
