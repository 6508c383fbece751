/**
 * The project's rule for clear errors, as a check the properties apply to every SpoolError the
 * implementation throws: the error names the path it is about (`e.path`, inside the spool
 * directory under test), its message contains that full Vfs path, it says which kind it is, and
 * a failure that came from the Vfs keeps the VfsError as its `cause` (errors of the spool's own
 * making have none).
 */
import { VfsError } from '../../impl/io/vfs.ts';
import { isSpoolError, type SpoolError, type SpoolErrorKind } from '../../impl/multispool/index.ts';

/** Kinds that only ever come from a failed Vfs call: their `cause` is that call's VfsError. */
const FROM_VFS: ReadonlySet<SpoolErrorKind> = new Set<SpoolErrorKind>(['noSuchEntry', 'notFound', 'io']);

/** Kinds the spool raises on its own (no Vfs call failed): they have no `cause`. */
const OWN: ReadonlySet<SpoolErrorKind> = new Set<SpoolErrorKind>(['invalidName', 'namesExhausted', 'entryDisappeared', 'released']);

/** True when `path` is `dir` itself or lies below it. */
export function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/**
 * What is wrong with SpoolError `e` thrown by an operation on the spool at `spoolDir`, in words
 * (one problem per line), or `undefined` when it is a clear error.
 */
export function clearErrorProblems(e: SpoolError, spoolDir: string): string | undefined {
  const problems: string[] = [];
  if (e.name !== 'SpoolError') problems.push(`its name is ${JSON.stringify(e.name)}, not "SpoolError"`);
  const thrown: unknown = e;
  if (!isSpoolError(thrown) || !isSpoolError(thrown, e.kind)) problems.push(`isSpoolError(e, ${JSON.stringify(e.kind)}) is false`);
  const otherKind: SpoolErrorKind = e.kind === 'io' ? 'notFound' : 'io';
  if (isSpoolError(thrown, otherKind)) problems.push(`isSpoolError(e, ${JSON.stringify(otherKind)}) is true for an error of kind ${e.kind}`);
  if (e.path === undefined) {
    problems.push('it has no path (e.path is undefined)');
  } else {
    if (!isInside(e.path, spoolDir)) problems.push(`its path ${JSON.stringify(e.path)} is not inside the spool directory ${spoolDir}`);
    if (!e.message.includes(e.path)) problems.push(`its message does not contain its path ${JSON.stringify(e.path)}`);
  }
  if (FROM_VFS.has(e.kind)) {
    if (!(e.cause instanceof VfsError)) problems.push(`a ${e.kind} error should keep the failed Vfs call's VfsError as its cause; cause is ${String(e.cause)}`);
    else if (!e.message.includes(e.cause.code)) problems.push(`its message does not name the Vfs error code ${e.cause.code}`);
  }
  if (e.kind === 'corrupt' && e.cause === undefined) problems.push("a corrupt error should keep the codec's error as its cause; it has none");
  if (OWN.has(e.kind) && e.cause !== undefined) problems.push(`a ${e.kind} error has a cause (${String(e.cause)}), though no Vfs call failed`);
  if (problems.length === 0) return undefined;
  return `unclear ${e.kind} error: ${problems.join('; ')}.\n  message: ${JSON.stringify(e.message)}\n  path:    ${JSON.stringify(e.path)}`;
}

/** A SpoolError that breaks the clear-error rule. */
export class UnclearErrorViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnclearErrorViolation';
  }
}

/** Throws {@link UnclearErrorViolation} when `e` breaks the clear-error rule for `spoolDir`. */
export function assertClearError(e: SpoolError, spoolDir: string): void {
  const problems = clearErrorProblems(e, spoolDir);
  if (problems !== undefined) throw new UnclearErrorViolation(problems);
}
