/**
 * Which simulated file system a call of a routed package goes to: the one of the simulated
 * process the call is made in. A property runs a package's code inside `inSimulatedProcess(fs,
 * f)`; everything `f` starts (promises, callbacks, timers) carries that process with it through
 * Node's AsyncLocalStorage, so two simulated processes can run the same package at once, each on
 * its own view of the disk. Unlike real processes they share the package's module-level state
 * (caches, per-file queues): write-file-atomic's in-module queue of writes per file name, for
 * one, makes two simulated processes' writes of one file run one after the other, which two real
 * processes would not.
 *
 * Fault contract, in plain words: none; this only says which Vfs is meant.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FsOverVfs } from './fs-over-vfs.ts';

const storage = new AsyncLocalStorage<FsOverVfs>();

/** Runs `f` as a simulated process whose node:fs calls go to `fs`. */
export function inSimulatedProcess<T>(fs: FsOverVfs, f: () => T): T {
  return storage.run(fs, f);
}

/** The simulated file system of the running simulated process, or undefined outside one. */
export function currentFs(): FsOverVfs | undefined {
  return storage.getStore();
}
