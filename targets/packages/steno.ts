/**
 * steno (npm, lowdb's file writer; exact version in package.json), unmodified, as a file writer.
 * Its README says: "Safe: No partial writes (writes are atomic)" and "Safe: No race conditions
 * (writes are ordered even if they're async)": `atomic` is claimed, durability is not.
 */
import type { Target } from '../target.ts';

/** The built-in target `steno`. */
export const STENO_TARGET: Target = {
  name: 'steno',
  description: "the npm package steno (lowdb's writer), unmodified, through the node:fs facade: claims atomic replace",
  fileWriter: {
    packages: ['steno'],
    promises: ['atomic'],
    async load() {
      const name = 'steno';
      const { Writer } = (await import(name)) as { Writer: new (path: string) => { write(data: string): Promise<void> } };
      const writers = new Map<string, { write(data: string): Promise<void> }>();
      return {
        replace(path, data) {
          let w = writers.get(path);
          if (w === undefined) {
            w = new Writer(path);
            writers.set(path, w);
          }
          return w.write(data);
        },
      };
    },
  },
};
