/**
 * The protocol's shared sub-steps (`docs/multispool-protocol.md`) as pure functions on a
 * {@link SpoolState}: write a metadata file through `.tmp`, rename, touch, `renameTouched`, and
 * `remove(dir, name)`. Each returns a new state; nothing is changed in place.
 *
 * Time stamps: a touch, and every new `.tmp` file, get mtime `now`; a rename keeps the mtime of the
 * file it moves. The model has no I/O failures, so the only failures here are missing files.
 */
import { err, ok, type Result } from './result.ts';
import type { MetadataFile, QueueState, SpoolState } from './state.ts';

/** A directory that holds metadata files: `S/.tmp`, `S/<queue>`, or `S/<queue>/.checkout`. */
export type MetadataDir =
  | { readonly kind: 'tmp' }
  | { readonly kind: 'queue'; readonly queue: string }
  | { readonly kind: 'checkout'; readonly queue: string };

/** A copy of `map` with `key` set to `value`. */
export function withKey<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  return new Map(map).set(key, value);
}

/** A copy of `map` without `key`. */
export function withoutKey<K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  const copy = new Map(map);
  copy.delete(key);
  return copy;
}

/**
 * The state of queue `queue`. An unknown queue is a bug in the caller (the set of queues is fixed
 * per spool type), not a spool behaviour, so it throws.
 */
export function queueState<M, D>(spool: SpoolState<M, D>, queue: string): QueueState<M> {
  const qs = spool.queues.get(queue);
  if (qs === undefined) throw new Error(`model: unknown queue ${JSON.stringify(queue)}`);
  return qs;
}

/** The files of a metadata directory. */
export function filesOf<M, D>(spool: SpoolState<M, D>, dir: MetadataDir): ReadonlyMap<string, MetadataFile<M>> {
  switch (dir.kind) {
    case 'tmp':
      return spool.tmp;
    case 'queue':
      return queueState(spool, dir.queue).queued;
    case 'checkout':
      return queueState(spool, dir.queue).checkedOut;
  }
}

/** The spool with the files of `dir` replaced by `files`. */
function withFiles<M, D>(spool: SpoolState<M, D>, dir: MetadataDir, files: ReadonlyMap<string, MetadataFile<M>>): SpoolState<M, D> {
  if (dir.kind === 'tmp') return { ...spool, tmp: files };
  const qs = queueState(spool, dir.queue);
  const changed: QueueState<M> = dir.kind === 'queue' ? { ...qs, queued: files } : { ...qs, checkedOut: files };
  return { ...spool, queues: withKey(spool.queues, dir.queue, changed) };
}

/** Create or replace `dir/name`. */
export function putFile<M, D>(spool: SpoolState<M, D>, dir: MetadataDir, name: string, file: MetadataFile<M>): SpoolState<M, D> {
  return withFiles(spool, dir, withKey(filesOf(spool, dir), name, file));
}

/** Unlink `dir/name` (no-op when absent; callers check presence where the protocol does). */
export function deleteFile<M, D>(spool: SpoolState<M, D>, dir: MetadataDir, name: string): SpoolState<M, D> {
  return withFiles(spool, dir, withoutKey(filesOf(spool, dir), name));
}

/** Touch `S/.registry/name`; `undefined` when it does not exist (ENOENT). */
export function touchRegistry<M, D>(spool: SpoolState<M, D>, name: string, now: number): SpoolState<M, D> | undefined {
  if (!spool.registry.has(name)) return undefined;
  return { ...spool, registry: withKey(spool.registry, name, now) };
}

/**
 * Write `S/.tmp/name` (create, truncate, write, fsync, close) and touch it: the protocol's
 * "enqueue step 2", also used by `direct.save` and `checkedOut.save`.
 */
export function writeTmp<M, D>(spool: SpoolState<M, D>, name: string, metadata: M, now: number): SpoolState<M, D> {
  return putFile(spool, { kind: 'tmp' }, name, { metadata, mtimeMs: now });
}

/** `rename(from/name, to/name)`, keeping the file's mtime; `undefined` when the source is missing. */
export function rename<M, D>(spool: SpoolState<M, D>, from: MetadataDir, to: MetadataDir, name: string): SpoolState<M, D> | undefined {
  const file = filesOf(spool, from).get(name);
  if (file === undefined) return undefined;
  return putFile(deleteFile(spool, from, name), to, name, file);
}

/**
 * `renameTouched(from, to)`: touch the registry file, touch the source, rename. On ENOENT it stops
 * and returns `missing` with the state as far as it got (the registry mtime has changed when only
 * the source was missing).
 */
export function renameTouched<M, D>(
  spool: SpoolState<M, D>,
  from: MetadataDir,
  to: MetadataDir,
  name: string,
  now: number,
): { readonly kind: 'done' | 'missing'; readonly spool: SpoolState<M, D> } {
  const touched = touchRegistry(spool, name, now);
  if (touched === undefined) return { kind: 'missing', spool };
  const source = filesOf(touched, from).get(name);
  if (source === undefined) return { kind: 'missing', spool: touched };
  const sourceTouched = putFile(touched, from, name, { ...source, mtimeMs: now });
  // The source exists, so the rename cannot fail.
  return { kind: 'done', spool: rename(sourceTouched, from, to, name) ?? sourceTouched };
}

/**
 * The protocol's `remove(dir, name)`, metadata first, registry last:
 * 1. touch the registry file (missing → `noSuchEntry`, nothing changed);
 * 2. unlink `dir/name` (missing → `notFound`, but the registry mtime did change);
 * 3. unlink the data file, if any; 4. unlink the registry file.
 */
export function removeEntry<M, D>(
  spool: SpoolState<M, D>,
  dir: MetadataDir,
  name: string,
  now: number,
): { readonly spool: SpoolState<M, D>; readonly result: Result<undefined> } {
  const touched = touchRegistry(spool, name, now);
  if (touched === undefined) return { spool, result: err('noSuchEntry') };
  if (!filesOf(touched, dir).has(name)) return { spool: touched, result: err('notFound') };
  const withoutMetadata = deleteFile(touched, dir, name);
  const withoutData = { ...withoutMetadata, data: withoutKey(withoutMetadata.data, name) };
  const withoutRegistry = { ...withoutData, registry: withoutKey(withoutData.registry, name) };
  return { spool: withoutRegistry, result: ok(undefined) };
}

/** The keys of `map` in code-unit order (byte order for ASCII names), as `list` returns them. */
export function sortedNames(map: ReadonlyMap<string, unknown>): string[] {
  return [...map.keys()].sort();
}

/** The entries of `map` in code-unit order of their keys. */
export function sortedEntries<V>(map: ReadonlyMap<string, V>): [string, V][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
