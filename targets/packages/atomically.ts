/**
 * atomically (npm, exact version in package.json), unmodified, as a file writer. Its README says:
 * "Writes are atomic, meaning that first a temporary file containing the new content is written,
 * then this file is renamed to the final path, this way it's impossible to get a
 * corrupt/partially-written file", and it fsyncs the temporary file by default (option `fsync`).
 * Durability of the rename is not promised: `atomic` is claimed.
 */
import type { Target } from '../target.ts';

/** The built-in target `atomically`. */
export const ATOMICALLY_TARGET: Target = {
  name: 'atomically',
  description: 'the npm package atomically, unmodified, through the node:fs facade: claims atomic replace',
  fileWriter: {
    packages: ['atomically'],
    promises: ['atomic'],
    async load() {
      const name = 'atomically';
      const { writeFile } = (await import(name)) as { writeFile: (path: string, data: string) => Promise<void> };
      return { replace: (path, data) => writeFile(path, data) };
    },
  },
};
