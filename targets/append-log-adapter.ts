/**
 * The adapter of an append log: code that appends records to files in a directory and gives them
 * back when it is opened again (an append-only database such as nedb, a write-ahead log, an event
 * store, a log of your own), checked by the `log` suite on the simulated disk through node:fs.
 * Such code is usually an npm package that imports node:fs itself (routed code, see
 * `routed-code.ts`).
 *
 * The contract the `log` suite checks, in plain words:
 * - always: after a crash at any moment (of each persistence profile) or a failed write (disk
 *   full, an I/O error), opening the log again succeeds (a torn last record does not stop
 *   recovery), and what it gives back are records that were appended, each whole, each once, in
 *   the order they were appended;
 * - `kill-safe`: a record whose append resolved survives a process crash (kill -9; the machine
 *   keeps running) and a failed write of a later record;
 * - `durable`: a record whose append resolved survives a power loss too;
 * - `sync`: the log has `sync()`, and every record appended before a `sync()` that resolved
 *   survives a power loss.
 */
import type { RoutedCode } from './routed-code.ts';

/** What an append log may promise. */
export const APPEND_LOG_PROMISES = ['kill-safe', 'durable', 'sync'] as const;

/** What an append log promises. */
export type AppendLogPromise = (typeof APPEND_LOG_PROMISES)[number];

/** An open append log. */
export interface AppendLog {
  /** Appends one record (a non-empty string of printable ASCII); resolves once the log reports success. */
  append(record: string): Promise<void>;
  /** Makes every record appended so far durable (required with the `sync` promise). */
  sync?(): Promise<void>;
  /** The records the log holds, oldest first. */
  records(): Promise<string[]>;
  /** Closes the log (the harness opens it again as a new process would). */
  close(): Promise<void>;
}

/** Opens logs: what `load` gives. */
export interface AppendLogOpener {
  /** Opens (recovering, when it was not closed) the log kept in the directory `dir` (absolute; it exists). */
  open(dir: string): Promise<AppendLog>;
}

/** An append log, as spoolcheck checks it: routed code (see `RoutedCode`), how to load it, what it promises. */
export interface AppendLogAdapter extends RoutedCode {
  /** Loads the log's code (imports the packages: Node caches them). Called once per run, after the routing. */
  load(): Promise<AppendLogOpener>;
  /** What it promises (see the module comment); `[]`: only recovery is checked. */
  readonly promises: readonly AppendLogPromise[];
}
