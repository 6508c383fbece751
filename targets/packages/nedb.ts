/**
 * @seald-io/nedb (npm, exact version in package.json), unmodified, as an append log: each record
 * is a document `{ _id: record }` inserted into a datastore kept in `<dir>/log.db` with nedb's
 * default options; a record's append is its `insertAsync`, `sync` is `compactDatafileAsync`,
 * opening is `loadDatabaseAsync`, the records are the documents' ids in order (spoolcheck's
 * records sort in the order they were appended).
 *
 * What it promises, in its own words (lib/persistence.js, the Persistence class's comment):
 * "Durability works similarly to major databases: compaction forces the OS to physically flush
 * data to disk, while appends to the data file do not (the OS is responsible for flushing the
 * data). That guarantees that a server crash can never cause complete data loss, while preserving
 * performance. The worst that can happen is a crash between two syncs, causing a loss of all data
 * between the two syncs." An insert resolves after its line was appended to the data file
 * (appendFile): `kill-safe`; a compaction is fsynced: `sync`.
 */
import type { AppendLog } from '../append-log-adapter.ts';
import type { Target } from '../target.ts';

interface Datastore {
  loadDatabaseAsync(): Promise<void>;
  insertAsync(doc: { _id: string }): Promise<unknown>;
  findAsync(query: object): Promise<{ _id: string }[]>;
  compactDatafileAsync(): Promise<void>;
}

/** The built-in target `nedb`. */
export const NEDB_TARGET: Target = {
  name: 'nedb',
  description: 'the npm package @seald-io/nedb, unmodified, through the node:fs facade: an append-only datastore, kill-safe inserts, durable once compacted',
  appendLog: {
    packages: ['@seald-io/nedb'],
    promises: ['kill-safe', 'sync'],
    async load() {
      const name = '@seald-io/nedb';
      const Nedb = ((await import(name)) as { default: new (options: { filename: string }) => Datastore }).default;
      return {
        async open(dir): Promise<AppendLog> {
          const db = new Nedb({ filename: `${dir}/log.db` });
          await db.loadDatabaseAsync();
          return {
            async append(record) {
              await db.insertAsync({ _id: record });
            },
            sync: () => db.compactDatafileAsync(),
            async records() {
              return (await db.findAsync({})).map((d) => d._id).sort();
            },
            async close() {},
          };
        },
      };
    },
  },
};
