/**
 * proper-lockfile (npm, exact version in package.json), unmodified, as a file lock. Its README
 * says: "An inter-process and inter-machine lockfile utility that works on a local or network
 * file system", "This library utilizes the `mkdir` strategy which works atomically on any kind of
 * file system", and a lock whose mtime is older than `stale` (default 10000 ms) is taken over.
 * Locks are taken with `retries: 0` (one attempt) and `realpath: false`; a lock is the directory
 * `<path>.lock`.
 */
import type { Target } from '../target.ts';

interface ProperLockfile {
  lock(path: string, options: { retries: number; realpath: boolean; stale: number; onCompromised: (err: Error) => void }): Promise<() => Promise<void>>;
}

const STALE_MS = 10_000;

/** The built-in target `proper-lockfile`. */
export const PROPER_LOCKFILE_TARGET: Target = {
  name: 'proper-lockfile',
  description: 'the npm package proper-lockfile, unmodified, through the node:fs facade: never two live holders',
  lock: {
    packages: ['proper-lockfile'],
    staleMs: STALE_MS,
    async load() {
      const name = 'proper-lockfile';
      const lockfile = ((await import(name)) as { default: ProperLockfile }).default;
      return {
        async acquire(path) {
          try {
            // A compromised lock is the lock suite's to find, not a reason to throw from a timer.
            return await lockfile.lock(path, { retries: 0, realpath: false, stale: STALE_MS, onCompromised: () => undefined });
          } catch (err) {
            if ((err as { code?: unknown }).code === 'ELOCKED') return undefined;
            throw err;
          }
        },
      };
    },
    async leaveStaleLock(vfs, path, mtimeMs) {
      const dir = `${path}.lock`;
      await vfs.mkdir(dir);
      await vfs.utimes(dir, mtimeMs, mtimeMs);
    },
  },
};
