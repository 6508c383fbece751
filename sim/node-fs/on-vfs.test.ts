/**
 * Code that imports node:fs enters a Vfs suite through `onVfs`: a queue written as a user would,
 * on node:fs and the npm package write-file-atomic, runs unmodified on the Vfs the queue suite
 * hands its adapter. Careful (the directories fsynced after every change), it holds the queue
 * properties it can (at the test budget: write-file-atomic makes many calls, so its crash states
 * are many), but a full disk corrupts an item through write-file-atomic's unchecked short write;
 * without the directory fsyncs, a power loss undoes an acknowledged enqueue.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED } from '../../cli/run-suites.ts';
import { routeOnce } from '../../properties/routed-code.ts';
import { QUEUE_PROPERTIES } from '../../properties/queue/index.ts';
import { runProperty } from '../../properties/suite.ts';
import type { QueueAdapter, QueueHandle } from '../../targets/queue-adapter.ts';
import type { Target } from '../../targets/target.ts';
import { facadeModule } from './node-fs-module.ts';
import { onVfs } from './on-vfs.ts';

type Fsp = typeof import('node:fs/promises');
type WriteFileAtomic = (path: string, data: string) => Promise<void>;

/** A queue of one file per item: `items/<n>` available, `taken/<n>` checked out, `ids/<n>` claimed names. */
function npmQueue(fsyncDirs: boolean): QueueAdapter {
  const code = { packages: ['write-file-atomic'] };
  return {
    survives: ['process-crash', 'power-loss'],
    async open(world) {
      routeOnce(code);
      const writeFileAtomic = ((await import('write-file-atomic' as string)) as { default: WriteFileAtomic }).default;
      // What the user's module would get from `import { promises } from 'node:fs'` once routed.
      const fsp = facadeModule()['promises'] as Fsp;
      const { dir, vfs } = world;
      const on = <T>(f: () => Promise<T>): Promise<T> => onVfs(vfs, f);
      const syncDir = async (d: string): Promise<void> => {
        if (!fsyncDirs) return;
        const h = await fsp.open(d, 'r');
        await h.sync();
        await h.close();
      };
      let next = 0;
      const taken = new Set<string>();
      await on(async () => {
        for (const sub of ['items', 'taken', 'ids']) await fsp.mkdir(`${dir}/${sub}`, { recursive: true });
        await syncDir(dir);
        // A restart gives back what the last process had checked out.
        for (const id of await fsp.readdir(`${dir}/taken`)) await fsp.rename(`${dir}/taken/${id}`, `${dir}/items/${id}`);
        await syncDir(`${dir}/items`);
        next = (await fsp.readdir(`${dir}/ids`)).length;
      });
      const handle: QueueHandle = {
        enqueue: (data) =>
          on(async () => {
            let id: string;
            for (;;) {
              id = String(next++);
              try {
                await fsp.mkdir(`${dir}/ids/${id}`);
                break;
              } catch (err) {
                if ((err as { code?: unknown }).code !== 'EEXIST') throw err;
              }
            }
            await syncDir(`${dir}/ids`);
            await writeFileAtomic(`${dir}/items/${id}`, data);
            await syncDir(`${dir}/items`);
            return id;
          }),
        // write-file-atomic's temporary files are `<name>.<hash>`: not items.
        list: () => on(async () => (await fsp.readdir(`${dir}/items`)).filter((n) => /^\d+$/.test(n))),
        checkout: (id) =>
          on(async () => {
            if (!/^\d+$/.test(id)) return undefined;
            try {
              await fsp.rename(`${dir}/items/${id}`, `${dir}/taken/${id}`);
            } catch (err) {
              if ((err as { code?: unknown }).code === 'ENOENT') return undefined;
              throw err;
            }
            taken.add(id);
            await syncDir(`${dir}/taken`);
            await syncDir(`${dir}/items`);
            return fsp.readFile(`${dir}/taken/${id}`, 'utf8');
          }),
        release: (id) =>
          on(async () => {
            if (!taken.delete(id)) throw new Error(`release: ${id} is not checked out here`);
            await fsp.rename(`${dir}/taken/${id}`, `${dir}/items/${id}`);
            await syncDir(`${dir}/items`);
            await syncDir(`${dir}/taken`);
          }),
        remove: (id) =>
          on(async () => {
            if (!taken.delete(id)) throw new Error(`remove: ${id} is not checked out here`);
            await fsp.unlink(`${dir}/taken/${id}`);
            await syncDir(`${dir}/taken`);
          }),
      };
      return handle;
    },
  };
}

const now = (): number => performance.now();
const property = (name: string) => {
  const p = QUEUE_PROPERTIES.find((q) => q.name === name);
  if (p === undefined) throw new Error(`no queue/${name}`);
  return p;
};

describe('node:fs code in a Vfs suite, through onVfs', () => {
  const careful: Target = { name: 'npm-queue', description: 'a queue on node:fs and write-file-atomic', queue: npmQueue(true) };
  const careless: Target = { name: 'npm-queue-careless', description: 'the same without directory fsyncs', queue: npmQueue(false) };

  it.each(['sequential', 'two-processes', 'crash-strict', 'crash-ext4-ordered', 'crash-process-crash'])('a careful queue on node:fs holds queue/%s', async (name) => {
    const o = await runProperty(property(name), { seed: DEFAULT_SEED, numRuns: property(name).testRuns, target: careful }, now);
    expect(o.counterexample ?? '').toBe('');
    expect(o.verdict).toBe('holds');
  });

  it("a full disk during an enqueue corrupts the item: write-file-atomic's unchecked short write (docs/findings.md) reaches the queue", async () => {
    const o = await runProperty(property('faults'), { seed: DEFAULT_SEED, numRuns: property('faults').defaultRuns, target: careful }, now);
    expect(o.verdict).toBe('fails');
    expect(o.counterexample).toMatch(/under disk full after \d+ bytes[\s\S]*corrupted: item \d+ came back with data/);
  });

  it('without directory fsyncs, a power loss undoes an acknowledged enqueue', async () => {
    const o = await runProperty(property('crash-strict'), { seed: DEFAULT_SEED, numRuns: property('crash-strict').defaultRuns, target: careless }, now);
    expect(o.verdict).toBe('fails');
    expect(o.counterexample).toMatch(/items\/\d+/);
  });
});
