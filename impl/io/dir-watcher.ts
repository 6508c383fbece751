/**
 * The pending-notification queue behind every adapter's {@link DirWatcher}: an adapter pushes
 * the names it hears about, the queue reader drains them and waits for more.
 */
import type { DirWatcher } from './vfs.ts';

/** A {@link DirWatcher} plus the adapter-side `push`. */
export interface NotificationQueue {
  /** The watcher handed to the Vfs caller. */
  readonly watcher: DirWatcher;
  /** Records a notification (naming `name`, if the adapter knows it) and wakes every waiter. Ignored once closed. */
  push(name?: string): void;
  /** True once the watcher was closed. */
  readonly closed: () => boolean;
}

/** Creates a notification queue; `onClose` runs once when the watcher is closed. */
export function notificationQueue(onClose: () => void = () => {}): NotificationQueue {
  const pending: string[] = [];
  let signalled = false;
  let waiters: Array<() => void> = [];
  let closed = false;
  const wakeAll = (): void => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  const watcher: DirWatcher = {
    drain: () => {
      signalled = false;
      return pending.splice(0, pending.length);
    },
    wait: (signal) =>
      new Promise<void>((resolve) => {
        if (signalled || closed || signal?.aborted === true) {
          resolve();
          return;
        }
        const wake = (): void => {
          signal?.removeEventListener('abort', wake);
          waiters = waiters.filter((w) => w !== wake);
          resolve();
        };
        waiters.push(wake);
        signal?.addEventListener('abort', wake, { once: true });
      }),
    close: () => {
      if (closed) return;
      closed = true;
      onClose();
      wakeAll();
    },
  };
  return {
    watcher,
    push: (name) => {
      if (closed) return;
      signalled = true;
      if (name !== undefined) pending.push(name);
      wakeAll();
    },
    closed: () => closed,
  };
}
