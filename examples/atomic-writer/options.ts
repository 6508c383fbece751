/**
 * The safety steps of the config saver in ./src. They live outside ./src on purpose: everything
 * under ./src is routed to spoolcheck's simulated disk, and a module of it loaded before the
 * routing (by importing a constant from it, say) would keep Node's real node:fs.
 */

/** The safety steps of `replaceFile` (./src/writer.mjs). */
export interface WriterOptions {
  /** Write a temporary file and rename it over the target (instead of rewriting the target in place). */
  readonly tmpThenRename: boolean;
  /** fsync the new content before the rename. */
  readonly fsyncFile: boolean;
  /** fsync the directory after the rename, so the rename itself is durable. */
  readonly fsyncDir: boolean;
  /** Loop until every byte is written (a write may be short when the disk fills up). */
  readonly loopShortWrites: boolean;
}

/** Every step on. */
export const CAREFUL: WriterOptions = { tmpThenRename: true, fsyncFile: true, fsyncDir: true, loopShortWrites: true };

/** Every step off: what a hurried first version does. */
export const CARELESS: WriterOptions = { tmpThenRename: false, fsyncFile: false, fsyncDir: false, loopShortWrites: false };

