/**
 * The writer of ./src as a spoolcheck file writer. Its module imports node:fs itself, so its
 * directory is routed to spoolcheck's simulated disk (`dirs`); nothing of it changes.
 */
import type { FileWriterAdapter } from '../../targets/file-writer-adapter.ts';
import type { WriterOptions } from './options.ts';

const SRC = new URL('./src/', import.meta.url).pathname;

/** The writer with `options`, claiming atomic and durable replace. */
export function writerAdapter(options: WriterOptions): FileWriterAdapter {
  return {
    packages: [],
    dirs: [SRC],
    promises: ['atomic', 'durable'],
    async load() {
      const { replaceFile } = await import('./src/writer.mjs');
      return { replace: (path, data) => replaceFile(path, data, options) };
    },
  };
}
