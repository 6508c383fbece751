/**
 * The Monitor's check (`fsck`) as a pure function of a spool state: which Problems it reports
 * (`docs/multispool-protocol.md`, "Monitor"; docs/multispool-protocol.md).
 *
 * Data file mtimes: the state does not keep them, yet an `orphaned` problem of a `.data` file
 * carries its file's mtime. The model reports such a file with the mtime the caller passes as
 * `dataMtimeMs` (default 0; `writeSpoolState` lays every data file out with one mtime), and
 * {@link problemKey} leaves the mtime out for problems located in `.data`, so model and
 * implementation problems compare equal by key whatever the data files' real mtimes are.
 */
import { sortedEntries, sortedNames } from './primitives.ts';
import type { MetadataFile, SpoolState } from './state.ts';

/** Where a file was found. */
export type Location =
  | { readonly kind: 'registry' }
  | { readonly kind: 'tmp' }
  | { readonly kind: 'data' }
  | { readonly kind: 'queue'; readonly queue: string }
  | { readonly kind: 'checkout'; readonly queue: string };

/** A file as the Monitor saw it: its name and mtime. */
export interface FileInfo {
  readonly name: string;
  readonly mtimeMs: number;
}

/** One Problem the Monitor reports. The file's mtime is part of the problem. */
export type Problem =
  /** A `.tmp`, checkout, or (limited) queue file older than its limit. */
  | { readonly kind: 'tooOld'; readonly file: FileInfo; readonly location: Location }
  /** A file whose name is not in the registry; or (location registry) a registry name found in no queue or checkout. */
  | { readonly kind: 'orphaned'; readonly file: FileInfo; readonly location: Location }
  /** A registry name found in two or more queue/checkout directories (for each queue: queue, then checkout). */
  | { readonly kind: 'duplicated'; readonly file: FileInfo; readonly locations: readonly Location[] }
  /** (ours) A queue or checkout file with no data file of the same name. */
  | { readonly kind: 'missingData'; readonly file: FileInfo; readonly location: Location };

/** The Monitor's age limits, in ms. Ages are strict: a file is too old when `now - mtime > limit`. */
export interface Limits {
  readonly maxTmpFileAgeMs: number;
  readonly maxCheckedOutAgeMs: number;
  /** Per queue directory name; a queue without an entry has no age limit. */
  readonly maxQueueAgesMs: ReadonlyMap<string, number>;
}

/** The default limits: 10 minutes for `.tmp` and checkout files, no queue limit. */
export const DEFAULT_LIMITS: Limits = { maxTmpFileAgeMs: 600_000, maxCheckedOutAgeMs: 600_000, maxQueueAgesMs: new Map() };

/**
 * Every Problem of `spool` at time `now`. Order: the registry's problems, then `.tmp`, `.data`,
 * and for each queue its directory then its checkout directory; names in code-unit order; per
 * file tooOld, orphaned, missingData. (The implementation's order may differ: compare with
 * {@link sortProblems}.) `dataMtimeMs` is the mtime reported for `.data` files (see the header).
 */
export function fsck<M, D>(spool: SpoolState<M, D>, limits: Limits, now: number, dataMtimeMs = 0): Problem[] {
  const problems: Problem[] = [];
  for (const [name, mtimeMs] of sortedEntries(spool.registry)) {
    const file = { name, mtimeMs };
    const locations = locationsOf(spool, name);
    if (locations.length === 0) problems.push({ kind: 'orphaned', file, location: { kind: 'registry' } });
    if (locations.length >= 2) problems.push({ kind: 'duplicated', file, locations });
  }
  problems.push(...metadataDirProblems(spool, spool.tmp, { kind: 'tmp' }, limits.maxTmpFileAgeMs, now));
  for (const name of sortedNames(spool.data)) {
    if (!spool.registry.has(name)) problems.push({ kind: 'orphaned', file: { name, mtimeMs: dataMtimeMs }, location: { kind: 'data' } });
  }
  for (const [queue, qs] of spool.queues) {
    const queueLimit = limits.maxQueueAgesMs.get(queue);
    problems.push(...metadataDirProblems(spool, qs.queued, { kind: 'queue', queue }, queueLimit, now));
    problems.push(...metadataDirProblems(spool, qs.checkedOut, { kind: 'checkout', queue }, limits.maxCheckedOutAgeMs, now));
  }
  return problems;
}

/** The queue and checkout directories holding `name`: for each queue in order, queue then checkout. */
export function locationsOf<M, D>(spool: SpoolState<M, D>, name: string): Location[] {
  const found: Location[] = [];
  for (const [queue, qs] of spool.queues) {
    if (qs.queued.has(name)) found.push({ kind: 'queue', queue });
    if (qs.checkedOut.has(name)) found.push({ kind: 'checkout', queue });
  }
  return found;
}

/** Problems of the files of one metadata directory; `maxAgeMs` undefined means no age limit. */
function metadataDirProblems<M, D>(
  spool: SpoolState<M, D>,
  files: ReadonlyMap<string, MetadataFile<M>>,
  location: Location,
  maxAgeMs: number | undefined,
  now: number,
): Problem[] {
  const problems: Problem[] = [];
  for (const [name, { mtimeMs }] of sortedEntries(files)) {
    const file = { name, mtimeMs };
    if (maxAgeMs !== undefined && now - mtimeMs > maxAgeMs) problems.push({ kind: 'tooOld', file, location });
    if (!spool.registry.has(name)) problems.push({ kind: 'orphaned', file, location });
    if (location.kind !== 'tmp' && !spool.data.has(name)) problems.push({ kind: 'missingData', file, location });
  }
  return problems;
}

/** A location in words: `registry`, `tmp`, `data`, `queue:<q>`, `checkout:<q>`. */
export function locationKey(location: Location): string {
  return location.kind === 'queue' || location.kind === 'checkout' ? `${location.kind}:${location.queue}` : location.kind;
}

/**
 * A canonical string for a problem, for sets, maps and sorting: name, kind, location(s), mtime.
 * Two problems have the same key exactly when they are equal as values, except that the mtime
 * is left out for a problem located in `.data` (the model does not know data mtimes).
 */
export function problemKey(problem: Problem): string {
  const locations = problem.kind === 'duplicated' ? problem.locations : [problem.location];
  const inData = problem.kind !== 'duplicated' && problem.location.kind === 'data';
  return JSON.stringify([problem.file.name, problem.kind, locations.map(locationKey), inData ? null : problem.file.mtimeMs]);
}

/** A copy of `problems` sorted by {@link problemKey} (code-unit order). */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return problems
    .map((problem) => ({ problem, key: problemKey(problem) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ problem }) => problem);
}
