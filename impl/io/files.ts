/**
 * Whole-file helpers built only from {@link Vfs} primitives, so a crash-simulating Vfs sees
 * every step (open, write, fsync, close) they take.
 */
import type { Vfs } from './vfs.ts';

/** Reads a whole regular file. */
export async function readWholeFile(vfs: Vfs, path: string): Promise<Uint8Array> {
  const file = await vfs.open(path, {});
  try {
    const size = await file.size();
    return await file.read(0, size);
  } finally {
    await file.close();
  }
}

/** How {@link writeWholeFile} creates the file. */
export interface WriteWholeFileOptions {
  /** Fail with EEXIST when the name exists (O_EXCL). Default false: create or truncate. */
  readonly exclusive?: boolean;
  /** fsync the file before closing it. Default true. */
  readonly fsync?: boolean;
}

/** Creates (or truncates) `path`, writes `data`, optionally fsyncs, and closes. */
export async function writeWholeFile(
  vfs: Vfs,
  path: string,
  data: Uint8Array,
  options: WriteWholeFileOptions = {},
): Promise<void> {
  const exclusive = options.exclusive ?? false;
  const file = await vfs.open(path, { write: true, create: true, exclusive, truncate: !exclusive });
  try {
    if (data.length > 0) await file.write(0, data);
    if (options.fsync ?? true) await file.fsync();
  } finally {
    await file.close();
  }
}
