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
import type { RoutedCode } from './routed-code.ts';

/** What a file writer may promise. */
export const FILE_WRITER_PROMISES = ['atomic', 'durable'] as const;

/** What a file writer promises. */
export type FileWriterPromise = (typeof FILE_WRITER_PROMISES)[number];

/** A loaded file writer. */
export interface FileWriter {
  /** Replaces what the file at `path` (absolute) holds by `data`; resolves once it reports success. */
  replace(path: string, data: string): Promise<void>;
}

/** A file writer, as spoolcheck checks it: routed code (see `RoutedCode`) and how to load it. */
export interface FileWriterAdapter extends RoutedCode {
  /** Loads a fresh writer (imports the packages: Node caches them). Called once per run, after the routing. */
  load(): Promise<FileWriter>;
  /** What it promises (see the module comment); `[]`: nothing is checked but that it runs. */
  readonly promises: readonly FileWriterPromise[];
}
