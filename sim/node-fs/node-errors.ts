/**
 * Errors the way node:fs makes them: `ENOENT: no such file or directory, open '/x'`, with
 * `errno` (negative, as libuv gives it), `code`, `syscall`, `path` and, for two-path calls,
 * `dest`, so that code written against node:fs (which tests `err.code`, and sometimes the
 * message) sees exactly what it would see on a real disk.
 */
import { constants } from 'node:os';
import { getSystemErrorMap } from 'node:util';
import { isVfsError, VfsError } from '../../impl/io/vfs.ts';

/** A node:fs error. */
export interface NodeFsError extends Error {
  errno: number;
  code: string;
  syscall: string;
  path?: string;
  dest?: string;
}

const errnos = constants.errno as Record<string, number>;
const messages = getSystemErrorMap();

/** The node:fs error `code` of `syscall` on `path` (and `dest`), with `detail` after the message if given. */
export function nodeFsError(code: string, syscall: string, path?: string, dest?: string, detail?: string): NodeFsError {
  const errno = errnos[code] === undefined ? -5 : -(errnos[code] as number);
  const text = messages.get(errno)?.[1] ?? 'unknown error';
  const where = path === undefined ? '' : dest === undefined ? ` '${path}'` : ` '${path}' -> '${dest}'`;
  const err = new Error(`${code}: ${text}, ${syscall}${where}${detail === undefined ? '' : ` (${detail})`}`) as NodeFsError;
  err.errno = errno;
  err.code = code;
  err.syscall = syscall;
  if (path !== undefined) err.path = path;
  if (dest !== undefined) err.dest = dest;
  return err;
}

/**
 * The node:fs error for what a Vfs call threw: a VfsError keeps its code; anything else (a bug of
 * the simulation, or of the harness) is passed on unchanged, never disguised as an I/O error.
 */
export function fromVfsError(err: unknown, syscall: string, path: string, dest?: string): unknown {
  if (err instanceof VfsError || (err instanceof Error && err.name === 'VfsError')) {
    const code = (err as VfsError).code;
    const e = nodeFsError(code, syscall, path, dest);
    if (isVfsError(err, 'EIO') || isVfsError(err, 'ENOSPC')) e.message += ` [${(err as VfsError).message}]`;
    return e;
  }
  return err;
}

/** The error of a call the facade does not simulate: ENOSYS, saying so plainly. */
export function notSimulated(syscall: string, path?: string): NodeFsError {
  return nodeFsError('ENOSYS', syscall, path, undefined, `spoolcheck's node:fs facade does not simulate ${syscall}`);
}
