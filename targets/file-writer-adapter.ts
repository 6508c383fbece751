/**
 * The adapter of a file writer: code that replaces the whole content of a file (write-file-
 * atomic, atomically, steno, a config saver of your own), checked by the `file` suite on the
 * simulated disk through node:fs. Such code is usually an npm package that imports node:fs
 * itself; its imports are routed to spoolcheck's node:fs facade over the simulated disk
 * (`sim/node-fs/`), so the package runs unmodified.
 *
 * The contract the `file` suite checks, in plain words:
 * - `atomic`: after a crash at any moment (of each persistence profile) and after any failure
 *   (disk full, an I/O error), the file holds the old content or a new one in full, never a mix,
 *   a prefix or nothing; a `replace` that resolved wrote its content in full;
 * - `durable`: once `replace` resolved, a crash (power loss included) leaves that content or a
 *   later one, never an older one.
 */

/** What a file writer may promise. */
export const FILE_WRITER_PROMISES = ['atomic', 'durable'] as const;

/** What a file writer promises. */
export type FileWriterPromise = (typeof FILE_WRITER_PROMISES)[number];

/** A loaded file writer. */
export interface FileWriter {
  /** Replaces what the file at `path` (absolute) holds by `data`; resolves once it reports success. */
  replace(path: string, data: string): Promise<void>;
}

/** A file writer, as spoolcheck checks it. */
export interface FileWriterAdapter {
  /**
   * The npm packages whose node:fs imports (and their dependencies') go to the simulated disk:
   * they are routed before `load` runs, and must not have been loaded before in this process.
   */
  readonly packages: readonly string[];
  /**
   * Directories (absolute) of modules of your own that import node:fs themselves: routed the same
   * way. Keep such modules in a directory of their own: every module under it is routed.
   */
  readonly dirs?: readonly string[];
  /** The directory the packages are resolved from (default: spoolcheck's own). */
  readonly resolveFrom?: string;
  /** Loads a fresh writer (imports the packages: Node caches them). Called once per run, after the routing. */
  load(): Promise<FileWriter>;
  /** What it promises (see the module comment); `[]`: nothing is checked but that it runs. */
  readonly promises: readonly FileWriterPromise[];
}
