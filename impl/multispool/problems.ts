/**
 * What the Monitor reports (docs/multispool-protocol.md): Problems, where they were found, and the age limits.
 */

/** Where a file was found: a spool directory, or a queue's directory or checkout directory. */
export type Location<Q extends string> =
  | { readonly kind: 'registry' }
  | { readonly kind: 'tmp' }
  | { readonly kind: 'data' }
  | { readonly kind: 'queue'; readonly queue: Q }
  | { readonly kind: 'checkout'; readonly queue: Q };

/** A file as the Monitor saw it. */
export interface MonitoredFile {
  readonly name: string;
  readonly mtimeMs: number;
}

/**
 * One Problem. The file's mtime is part of it (a touched file is a new problem).
 * - `tooOld`: a `.tmp`, checkout, or (limited) queue file older than its limit;
 * - `orphaned`: a file whose name is not in the registry; or (location `registry`) a registry
 *   name in no queue and no checkout directory;
 * - `duplicated`: a registry name in two or more queue/checkout directories;
 * - `missingData` (ours): a queue or checkout file without a `.data` file of the same name.
 */
export type Problem<Q extends string> =
  | { readonly kind: 'tooOld'; readonly file: MonitoredFile; readonly location: Location<Q> }
  | { readonly kind: 'orphaned'; readonly file: MonitoredFile; readonly location: Location<Q> }
  | { readonly kind: 'duplicated'; readonly file: MonitoredFile; readonly locations: readonly Location<Q>[] }
  | { readonly kind: 'missingData'; readonly file: MonitoredFile; readonly location: Location<Q> };

/** The Monitor's age limits in ms; ages are strict (`now - mtime > limit`). */
export interface MonitorLimits<Q extends string> {
  /** For `.tmp` files. Default 600,000 (10 minutes). */
  readonly maxTmpFileAgeMs: number;
  /** For checked-out files. Default 600,000 (10 minutes). */
  readonly maxCheckedOutAgeMs: number;
  /** Per queue; a queue without an entry has no age limit. Default: none. */
  readonly maxQueueAgesMs: ReadonlyMap<Q, number>;
}

/** The default limits: 10 minutes for `.tmp` and checkout files, no queue limit. */
export const DEFAULT_MONITOR_LIMITS: MonitorLimits<never> = {
  maxTmpFileAgeMs: 600_000,
  maxCheckedOutAgeMs: 600_000,
  maxQueueAgesMs: new Map<never, number>(),
};

/** A location in words: `registry`, `tmp`, `data`, `queue:<q>`, `checkout:<q>`. */
export function describeLocation<Q extends string>(location: Location<Q>): string {
  return location.kind === 'queue' || location.kind === 'checkout' ? `${location.kind}:${location.queue}` : location.kind;
}

/** The directory of a location relative to the spool directory: `.registry`, `.tmp`, `.data`, `q`, `q/.checkout`. */
export function locationDir<Q extends string>(location: Location<Q>): string {
  switch (location.kind) {
    case 'registry':
      return '.registry';
    case 'tmp':
      return '.tmp';
    case 'data':
      return '.data';
    case 'queue':
      return location.queue;
    case 'checkout':
      return `${location.queue}/.checkout`;
  }
}

/** A canonical string for a problem: equal strings exactly for problems equal as values. */
export function problemKey<Q extends string>(problem: Problem<Q>): string {
  const locations = problem.kind === 'duplicated' ? problem.locations : [problem.location];
  return JSON.stringify([problem.kind, problem.file.name, problem.file.mtimeMs, locations.map(describeLocation)]);
}
