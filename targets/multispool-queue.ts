/**
 * Our own multispool behind the `QueueAdapter` contract, so that the `queue` suite checks it the
 * way it checks a user's queue: through the API only. Items are entries of one queue, `items`;
 * an item's id is its entry name; checkout is the multispool's checkout by rename, release saves
 * the entry back into `items`, remove removes it. Opening is recovery: every entry left checked
 * out (by a process that died) is saved back into `items`. `take` is the multispool's queue
 * reader on `items` (made at the first take, closed by `close`).
 */
import type { MultispoolQuirks } from '../impl/multispool/quirks.ts';
import { Multispool } from '../impl/multispool/multispool.ts';
import type { CheckedOutEntry } from '../impl/multispool/checked-out-entry.ts';
import type { QueueReader } from '../impl/multispool/queue-reader.ts';
import { isSpoolError } from '../impl/multispool/errors.ts';
import { lexicographicTimeOrder } from '../impl/multispool/names.ts';
import { jsonCodec, textCodec, type Spoolable } from '../impl/multispool/spoolable.ts';
import type { QueueAdapter, QueueHandle } from './queue-adapter.ts';

/** The one queue of the adapter's spool. */
type ItemsQueue = 'items';

/** Entry metadata: nothing beyond the entry's existence. */
type NoMeta = Record<string, never>;

const ITEMS_SPOOLABLE: Spoolable<ItemsQueue, NoMeta, string> = {
  queues: ['items'],
  queueDir: () => 'items',
  metadata: jsonCodec<NoMeta>(),
  data: textCodec,
};

/** The multispool with `quirks` (none: the real one) as a queue that claims to survive kills and power loss. */
export function multispoolQueue(quirks: MultispoolQuirks): QueueAdapter {
  return {
    survives: ['process-crash', 'power-loss'],
    reader: true,
    async open(world): Promise<QueueHandle> {
      const spool = await Multispool.create(world.vfs, world.dir, ITEMS_SPOOLABLE, { clock: world.clock, quirks });
      for (const left of await spool.listCheckoutsUnsafe('items')) await left.save('items');
      const names = lexicographicTimeOrder(world.clock, quirks);
      const held = new Map<string, CheckedOutEntry<ItemsQueue, NoMeta, string>>();
      const heldEntry = (id: string): CheckedOutEntry<ItemsQueue, NoMeta, string> => {
        const entry = held.get(id);
        if (entry === undefined) throw new Error(`item ${id} is not checked out by this handle`);
        held.delete(id);
        return entry;
      };
      let reader: QueueReader<ItemsQueue, NoMeta, string> | undefined;
      return {
        async take(signal) {
          reader ??= spool.queueReader('items');
          const next = await reader.dequeue({ signal });
          if (next.kind === 'stopped') return undefined;
          held.set(next.entry.name, next.entry);
          return { id: next.entry.name, data: await next.entry.dataFile.load() };
        },
        async close() {
          reader?.close();
        },
        enqueue: async (data) => (await spool.enqueue('items', {}, data, { reserve: names })).name,
        list: () => spool.list('items'),
        async checkout(id) {
          let entry;
          try {
            entry = spool.entry('items', id);
          } catch (err) {
            if (isSpoolError(err, 'invalidName')) return undefined; // no item can have that id
            throw err;
          }
          const attempt = await spool.tryCheckout(entry);
          if (attempt.kind === 'notFound') return undefined;
          held.set(id, attempt.entry);
          return attempt.entry.dataFile.load();
        },
        release: (id) => heldEntry(id).save('items'),
        remove: (id) => heldEntry(id).remove(),
      };
    },
  };
}
