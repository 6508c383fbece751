/**
 * The adapter of a file lock: code that lets one process at a time hold a lock on a path
 * (proper-lockfile, lockfile, a pid file of your own), checked by the `lock` suite on the
 * simulated disk through node:fs, with racing processes. Like a file writer, such code is
 * usually an npm package that imports node:fs itself; its imports are routed to the node:fs
 * facade over the simulated disk.
 *
 * The contract the `lock` suite checks, in plain words: never two live holders at once, also
 * when several processes race to take over a stale lock left by a process that died; and a lock
 * nobody holds can be taken (someone who tries gets it).
 */
import type { Clock } from '../impl/io/clock.ts';
import type { Vfs } from '../impl/io/vfs.ts';
import type { RoutedCode } from './routed-code.ts';

/** A loaded lock. */
export interface FileLock {
  /** Tries once to take the lock on `path` (absolute; the file exists): its release, or undefined when another holds it. */
  acquire(path: string): Promise<(() => Promise<void>) | undefined>;
}

/** A file lock, as spoolcheck checks it: routed code (see `RoutedCode`), how to load it, and its stale locks. */
export interface LockAdapter extends RoutedCode {
  /**
   * Loads the lock (imports the packages). Called once per run, after the routing. `world.clock`
   * is the run's time; code that reads the wall clock itself (through `Date`) sees the same time:
   * the harness freezes `Date` at it during the run.
   */
  load(world: { readonly clock: Clock }): Promise<FileLock>;
  /** Leaves on `vfs` what a holder of the lock on `path` that died leaves behind, in the lock's own layout, last touched at `mtimeMs`. */
  leaveStaleLock(vfs: Vfs, path: string, mtimeMs: number): Promise<void>;
  /** How old (ms) a lock must be to count as stale, for the harness to make a dead holder's lock old enough. */
  readonly staleMs: number;
}
