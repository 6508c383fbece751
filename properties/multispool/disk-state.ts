/**
 * The abstraction function: a spool directory on any Vfs, read back as the model's
 * {@link SpoolState}; and its inverse for tests, which lays a given state out on a Vfs
 * (used to build hand-broken layouts for the Monitor).
 *
 * Reading uses only `readdir`, `stat` and whole-file reads, never the implementation, so a bug
 * in the implementation cannot hide itself from the comparison.
 */
import { readWholeFile, writeWholeFile } from '../../impl/io/files.ts';
import { join, type Vfs } from '../../impl/io/vfs.ts';
import type { Codec } from '../../impl/multispool/spoolable.ts';
import type { MetadataFile, QueueState, SpoolState } from '../../model/multispool/state.ts';

/** How to decode (and encode) the files of a spool. */
export interface StateCodecs<M, D> {
  readonly metadata: Codec<M>;
  readonly data: Codec<D>;
}

/** The directory does not have the shape of a spool, or a file does not decode. */
export class AbstractionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AbstractionError';
  }
}

/** Reads the spool at `dir` (with the given queue directories) as an abstract state. */
export async function readSpoolState<M, D>(
  vfs: Vfs,
  dir: string,
  queueDirs: readonly string[],
  codecs: StateCodecs<M, D>,
): Promise<SpoolState<M, D>> {
  const registry = new Map<string, number>();
  for (const name of await fileNames(vfs, join(dir, '.registry'))) {
    registry.set(name, (await vfs.stat(join(dir, '.registry', name))).mtimeMs);
  }
  const data = new Map<string, D>();
  for (const name of await fileNames(vfs, join(dir, '.data'))) {
    data.set(name, await decodeFile(vfs, join(dir, '.data', name), codecs.data));
  }
  const queues = new Map<string, QueueState<M>>();
  for (const q of queueDirs) {
    queues.set(q, {
      queued: await readMetadataDir(vfs, join(dir, q), codecs.metadata, ['.checkout']),
      checkedOut: await readMetadataDir(vfs, join(dir, q, '.checkout'), codecs.metadata, []),
    });
  }
  return { registry, tmp: await readMetadataDir(vfs, join(dir, '.tmp'), codecs.metadata, []), data, queues };
}

/**
 * Lays `state` out under `dir` (which must not exist yet): the spool directories, then every
 * file with its contents and mtime. Data files get mtime `dataMtimeMs`.
 */
export async function writeSpoolState<M, D>(
  vfs: Vfs,
  dir: string,
  state: SpoolState<M, D>,
  codecs: StateCodecs<M, D>,
  dataMtimeMs: number,
): Promise<void> {
  await vfs.mkdir(dir);
  for (const sub of ['.registry', '.tmp', '.data']) await vfs.mkdir(join(dir, sub));
  for (const q of state.queues.keys()) {
    await vfs.mkdir(join(dir, q));
    await vfs.mkdir(join(dir, q, '.checkout'));
  }
  const put = async (path: string, bytes: Uint8Array, mtimeMs: number): Promise<void> => {
    await writeWholeFile(vfs, path, bytes, { fsync: false });
    await vfs.utimes(path, mtimeMs, mtimeMs);
  };
  for (const [name, mtimeMs] of state.registry) await put(join(dir, '.registry', name), new Uint8Array(0), mtimeMs);
  for (const [name, file] of state.tmp) await put(join(dir, '.tmp', name), codecs.metadata.encode(file.metadata), file.mtimeMs);
  for (const [name, value] of state.data) await put(join(dir, '.data', name), codecs.data.encode(value), dataMtimeMs);
  for (const [q, qs] of state.queues) {
    for (const [name, file] of qs.queued) await put(join(dir, q, name), codecs.metadata.encode(file.metadata), file.mtimeMs);
    for (const [name, file] of qs.checkedOut) {
      await put(join(dir, q, '.checkout', name), codecs.metadata.encode(file.metadata), file.mtimeMs);
    }
  }
}

/** Names of the regular files of a directory, sorted; anything else (but `allowedDirs`) is an error. */
async function fileNames(vfs: Vfs, path: string, allowedDirs: readonly string[] = []): Promise<string[]> {
  const names = (await vfs.readdir(path)).sort();
  const files: string[] = [];
  for (const name of names) {
    if (allowedDirs.includes(name)) continue;
    const kind = (await vfs.stat(join(path, name))).kind;
    if (kind !== 'file') throw new AbstractionError(`${join(path, name)} is a ${kind}, expected a file`);
    files.push(name);
  }
  return files;
}

async function readMetadataDir<M>(
  vfs: Vfs,
  path: string,
  codec: Codec<M>,
  allowedDirs: readonly string[],
): Promise<Map<string, MetadataFile<M>>> {
  const files = new Map<string, MetadataFile<M>>();
  for (const name of await fileNames(vfs, path, allowedDirs)) {
    const filePath = join(path, name);
    const metadata = await decodeFile(vfs, filePath, codec);
    files.set(name, { metadata, mtimeMs: (await vfs.stat(filePath)).mtimeMs });
  }
  return files;
}

async function decodeFile<T>(vfs: Vfs, path: string, codec: Codec<T>): Promise<T> {
  const bytes = await readWholeFile(vfs, path);
  try {
    return codec.decode(bytes);
  } catch (err) {
    throw new AbstractionError(`${path} does not decode (${bytes.length} bytes): ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Removes `path` and everything below it (nothing when it does not exist). */
export async function removeTree(vfs: Vfs, path: string): Promise<void> {
  let kind: string;
  try {
    kind = (await vfs.stat(path)).kind;
  } catch {
    return;
  }
  if (kind !== 'directory') {
    await vfs.unlink(path);
    return;
  }
  for (const name of await vfs.readdir(path)) await removeTree(vfs, join(path, name));
  await vfs.rmdir(path);
}
