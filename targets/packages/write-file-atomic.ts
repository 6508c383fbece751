/**
 * write-file-atomic (npm, exact version in package.json), unmodified, as a file writer. Its README
 * says: "This is an extension for node's `fs.writeFile` that makes its operation atomic" and
 * "Atomically and asynchronously writes data to a file, replacing the file if it already
 * exists." It fsyncs the temporary file by default (option `fsync`, "default = true") but the
 * README promises nothing about durability of the rename, so only `atomic` is claimed.
 */
import type { Target } from '../target.ts';

/** The built-in target `write-file-atomic`. */
export const WRITE_FILE_ATOMIC_TARGET: Target = {
  name: 'write-file-atomic',
  description: 'the npm package write-file-atomic, unmodified, through the node:fs facade: claims atomic replace',
  fileWriter: {
    packages: ['write-file-atomic'],
    promises: ['atomic'],
    async load() {
      const name = 'write-file-atomic'; // a name, not a literal import: the package has no type declarations
      const mod = (await import(name)) as { default: (path: string, data: string) => Promise<void> };
      return { replace: (path, data) => mod.default(path, data) };
    },
  },
};

/**
 * The built-in target `write-file-atomic-sync`: the same package's synchronous form, which its
 * README describes as "The synchronous version of writeFileAtomic" (so it claims the same), run
 * through the facade's synchronous calls.
 */
export const WRITE_FILE_ATOMIC_SYNC_TARGET: Target = {
  name: 'write-file-atomic-sync',
  description: 'the npm package write-file-atomic, unmodified, its writeFileAtomicSync through the node:fs facade: claims atomic replace',
  fileWriter: {
    packages: ['write-file-atomic'],
    promises: ['atomic'],
    async load() {
      const name = 'write-file-atomic';
      const mod = (await import(name)) as { default: { sync: (path: string, data: string) => void } };
      return {
        async replace(path, data) {
          mod.default.sync(path, data);
        },
      };
    },
  },
};
