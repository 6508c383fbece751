/**
 * The Entry handle (docs/multispool-protocol.md): a queue and a name, nothing more. Creating one checks nothing
 * about the disk; the operations that take it (`stat`, `direct.*`, `tryCheckout`, ...) do.
 */

/** An entry of queue `queue` named `name`; a plain value, safe to compare and copy. */
export interface Entry<Q extends string> {
  /** The queue the entry is (believed to be) in. */
  readonly queue: Q;
  /** The entry's name, unique in the spool for the entry's whole life. */
  readonly name: string;
}
