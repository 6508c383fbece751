/**
 * Running node:fs code on a Vfs the harness hands an adapter (a queue's or a mail spool's world):
 * how code that imports node:fs itself enters the suites whose world is a Vfs rather than a
 * node:fs disk. Route the code once (`routeCode` of `properties/routed-code.ts`, before it is
 * first imported), then make every call of it inside `onVfs(world.vfs, () => ...)`: its node:fs
 * calls, and everything they start (promises, callbacks, timers), go to that Vfs, as one
 * simulated process per Vfs (its open descriptors stay with it).
 *
 * Fault contract, in plain words: none here; the Vfs beneath injects what it injects.
 */
import type { Vfs } from '../../impl/io/vfs.ts';
import { inSimulatedProcess } from './context.ts';
import { FsOverVfs } from './fs-over-vfs.ts';

const facades = new WeakMap<Vfs, FsOverVfs>();

/** Runs `f` with its node:fs calls (of routed code) on `vfs`. */
export function onVfs<T>(vfs: Vfs, f: () => T): T {
  let fs = facades.get(vfs);
  if (fs === undefined) {
    fs = new FsOverVfs(vfs);
    facades.set(vfs, fs);
  }
  return inSimulatedProcess(fs, f);
}
