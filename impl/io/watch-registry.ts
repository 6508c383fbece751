/**
 * Which watchers listen to which directory, for adapters that see every change themselves
 * (memfs, the simulated Vfs): a modifying call notifies the registry synchronously.
 */
import { notificationQueue } from './dir-watcher.ts';
import type { DirWatcher } from './vfs.ts';

/** A set of directory watchers shared by every Vfs over the same storage. */
export interface WatchRegistry {
  /** Starts watching directory `dir`; the caller has checked it is a directory. */
  watch(dir: string): DirWatcher;
  /** Tells every watcher of `dir` that its entry `name` changed. */
  notify(dir: string, name: string): void;
}

/** Creates an empty {@link WatchRegistry}. */
export function notifyingRegistry(): WatchRegistry {
  const byDir = new Map<string, Set<(name: string) => void>>();
  return {
    watch(dir) {
      let listeners = byDir.get(dir);
      if (listeners === undefined) {
        listeners = new Set();
        byDir.set(dir, listeners);
      }
      const set = listeners;
      const queue = notificationQueue(() => {
        set.delete(queue.push);
        if (set.size === 0) byDir.delete(dir);
      });
      set.add(queue.push);
      return queue.watcher;
    },
    notify(dir, name) {
      for (const push of [...(byDir.get(dir) ?? [])]) push(name);
    },
  };
}
