/**
 * The abstract state of a multispool directory: what the model predicts and what the
 * abstraction function (`properties/multispool/disk-state.ts`) reads back from a real directory.
 * Plain immutable data. Queues are named by their directory names.
 *
 * Only what the spool's behaviour depends on is kept: file names, decoded contents, and the
 * modification times the Monitor judges (registry, `.tmp`, queue and checkout files). The mtime
 * of a data file is not part of the state.
 */

/** A metadata file (in `.tmp`, a queue, or a checkout directory): decoded contents and mtime. */
export interface MetadataFile<M> {
  readonly metadata: M;
  readonly mtimeMs: number;
}

/** The two directories of one queue: `S/<q>` and `S/<q>/.checkout`, name → file. */
export interface QueueState<M> {
  readonly queued: ReadonlyMap<string, MetadataFile<M>>;
  readonly checkedOut: ReadonlyMap<string, MetadataFile<M>>;
}

/** A whole spool directory. */
export interface SpoolState<M, D> {
  /** `S/.registry`: name → mtime of the registry file. */
  readonly registry: ReadonlyMap<string, number>;
  /** `S/.tmp`: staged metadata files (empty when quiescent). */
  readonly tmp: ReadonlyMap<string, MetadataFile<M>>;
  /** `S/.data`: name → decoded data. */
  readonly data: ReadonlyMap<string, D>;
  /** Every queue, in the spool type's fixed order: directory name → its state. */
  readonly queues: ReadonlyMap<string, QueueState<M>>;
}

/** The empty spool of the given queues (what `create` makes of an empty directory). */
export function emptySpool<M, D>(queues: readonly string[]): SpoolState<M, D> {
  return {
    registry: new Map(),
    tmp: new Map(),
    data: new Map(),
    queues: new Map(queues.map((q) => [q, { queued: new Map(), checkedOut: new Map() }])),
  };
}
