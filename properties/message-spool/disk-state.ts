/**
 * The abstraction function of the message spool: a spool directory read back into the model's
 * terms, one {@link DiskEntry} per message (its queue, whether it is checked out, its record and
 * body). A file that cannot be read shows as a record-less entry, so it differs from any model.
 */
import { readWholeFile } from '../../impl/io/files.ts';
import { isVfsError, type Vfs } from '../../impl/io/vfs.ts';
import { MESSAGE_SPOOLABLE, QUEUES, type MessageRecord } from '../../impl/message-spool/index.ts';
import { Multispool, SpoolError } from '../../impl/multispool/index.ts';
import type { DiskEntry } from '../../model/message-spool/index.ts';

/** What the disk holds of one message, or why it could not be read. */
export type ReadEntry = DiskEntry | { readonly queue: string; readonly checkedOut: boolean; readonly unreadable: string };

/** The body in `S/.data/<name>`, or a marker saying why there is none. */
async function body(vfs: Vfs, path: string): Promise<string> {
  try {
    return MESSAGE_SPOOLABLE.data.decode(await readWholeFile(vfs, path));
  } catch (err) {
    if (isVfsError(err, 'ENOENT')) return '<no data file>';
    if (err instanceof Error) return `<unreadable data: ${err.message}>`;
    throw err;
  }
}

/** Every message on disk by id (several entries when a name is in several places: a bug that shows). */
export async function readMessageDisk(vfs: Vfs, dir: string): Promise<Map<string, ReadEntry[]>> {
  const spool = Multispool.loadUnsafe(vfs, dir, MESSAGE_SPOOLABLE);
  const found = new Map<string, ReadEntry[]>();
  const put = (name: string, entry: ReadEntry): void => {
    const list = found.get(name);
    if (list === undefined) found.set(name, [entry]);
    else list.push(entry);
  };
  for (const queue of QUEUES) {
    for (const name of await spool.list(queue)) {
      let record: MessageRecord;
      try {
        record = await spool.direct.contents(spool.entry(queue, name));
      } catch (err) {
        if (!(err instanceof SpoolError)) throw err;
        put(name, { queue, checkedOut: false, unreadable: err.message });
        continue;
      }
      put(name, { queue, checkedOut: false, record, body: await body(vfs, spool.layout.dataFile(name)) });
    }
    let checkouts;
    try {
      checkouts = await spool.listCheckoutsUnsafe(queue);
    } catch (err) {
      if (!(err instanceof SpoolError)) throw err;
      put(`(checkouts of ${queue})`, { queue, checkedOut: true, unreadable: err.message });
      continue;
    }
    for (const entry of checkouts) put(entry.name, { queue, checkedOut: true, record: entry.contents, body: await body(vfs, spool.layout.dataFile(entry.name)) });
  }
  return found;
}

/** The model's disk in the same shape, for comparison. */
export function modelDisk(disk: ReadonlyMap<string, DiskEntry>): Map<string, ReadEntry[]> {
  return new Map([...disk].map(([id, entry]) => [id, [entry]]));
}

/** One line per message: `m001 active (checked out) sendAt@1000 {...}`, sorted, for diffs. */
export function renderDisk(disk: ReadonlyMap<string, readonly ReadEntry[]>): string[] {
  const lines: string[] = [];
  for (const [id, entries] of disk) {
    for (const e of entries) {
      const where = `${e.queue}${e.checkedOut ? '/.checkout' : ''}`;
      lines.push('unreadable' in e ? `${id} ${where}: UNREADABLE (${e.unreadable})` : `${id} ${where}: ${JSON.stringify(e.record)} body ${JSON.stringify(e.body)}`);
    }
  }
  return lines.sort();
}
