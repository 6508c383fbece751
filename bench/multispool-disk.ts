/**
 * Benchmark: the multispool on a real disk (issue 16 item 3). One cycle is what a spool user does
 * with one entry: enqueue it, take it with a queue reader (`dequeueAvailable`: the checkout
 * rename), load its data, remove it. The spool runs on node:fs in a temporary directory through a
 * Vfs that counts every file fsync and directory fsync, so the figures say how many fsyncs one
 * cycle costs and which steps make them. Then the fsync-bound limit of that protocol on this disk:
 * the same number of bare fsyncs of a small file (the cost of the fsyncs alone), and the ratio of
 * cycles/s to that limit. Prints figures and the goals (<= 8 fsyncs per cycle, >= 0.67 of the
 * limit); asserts nothing.
 *
 * Not yet here (the rest of item 3): Python's mailbox.Maildir doing the same cycle side by side.
 *
 * Usage: node --import ./bin/ts-loader.js bench/multispool-disk.ts [cycles]
 */
import { makeTempDir, nodeVfs } from '../impl/io/node-vfs.ts';
import type { Vfs, VfsFile } from '../impl/io/vfs.ts';
import { Multispool } from '../impl/multispool/index.ts';
import { TEST_SPOOLABLE } from '../properties/multispool/test-spoolable.ts';

/** fsyncs counted by {@link countingVfs}: files by the directory they are in, directories by path. */
interface FsyncCounts {
  files: Map<string, number>;
  dirs: Map<string, number>;
}

const bump = (m: Map<string, number>, k: string): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};

/** `vfs` (an object of plain functions, as nodeVfs makes), counting fsyncs into `counts` (paths relative to `root`). */
function countingVfs(vfs: Vfs, root: string, counts: FsyncCounts): Vfs {
  const rel = (p: string): string => (p.startsWith(root) ? p.slice(root.length) || '/' : p);
  const dirOf = (p: string): string => rel(p).replace(/\/[^/]*$/, '') || '/';
  return {
    ...vfs,
    open: async (path, flags) => {
      const file: VfsFile = await vfs.open(path, flags);
      return {
        path: file.path,
        read: (position, length) => file.read(position, length),
        write: (position, data) => file.write(position, data),
        size: () => file.size(),
        fsync: () => {
          bump(counts.files, dirOf(path));
          return file.fsync();
        },
        close: () => file.close(),
      };
    },
    fsyncDir: (path) => {
      bump(counts.dirs, rel(path));
      return vfs.fsyncDir(path);
    },
  };
}

const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

/** Runs `cycles` cycles on a fresh spool; returns elapsed ms and the fsyncs they made. */
async function spoolCycles(dir: string, cycles: number): Promise<{ ms: number; counts: FsyncCounts }> {
  const counts: FsyncCounts = { files: new Map(), dirs: new Map() };
  const base = nodeVfs(dir);
  const spoolDir = '/spool';
  await Multispool.create(base, spoolDir, TEST_SPOOLABLE);
  const counted = Multispool.loadUnsafe(countingVfs(base, spoolDir, counts), spoolDir, TEST_SPOOLABLE);
  const reader = counted.queueReader('alpha');
  const started = performance.now();
  for (let i = 0; i < cycles; i++) {
    await counted.enqueue('alpha', { label: `m${i}`, rev: 0 }, `data of message ${i}`, { reserve: { next: (attempt) => `m${String(i).padStart(6, '0')}-${attempt}` } });
    const entry = await reader.dequeueAvailable();
    if (entry === undefined) throw new Error(`cycle ${i}: the entry just enqueued is not in the queue`);
    await entry.dataFile.load();
    await entry.remove();
  }
  return { ms: performance.now() - started, counts };
}

/** `count` bare fsyncs of one small file, rewritten before each; returns elapsed ms. */
async function bareFsyncs(dir: string, count: number): Promise<number> {
  const vfs = nodeVfs(dir);
  const file = await vfs.open('/bare', { create: true, write: true });
  const bytes = new TextEncoder().encode('a small record of about the size of a metadata file');
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    await file.write(0, bytes);
    await file.fsync();
  }
  const ms = performance.now() - started;
  await file.close();
  return ms;
}

/** Runs the benchmark and prints the figures. */
export async function benchMultispoolDisk(print: (line: string) => void, cycles = 200): Promise<void> {
  const tmp = await makeTempDir('spoolcheck-bench-spool-');
  try {
    const { ms, counts } = await spoolCycles(tmp.path, cycles);
    const perCycle = (total(counts.files) + total(counts.dirs)) / cycles;
    print(`multispool on a real disk (${tmp.path.split('/').slice(0, -1).join('/') || '/'}): ${cycles} cycles of enqueue + dequeueAvailable + load + remove`);
    print(`  ${(cycles / (ms / 1000)).toFixed(0)} cycles/s, ${(ms / cycles).toFixed(2)} ms per cycle`);
    print(`  fsyncs per cycle: ${perCycle.toFixed(2)} (goal <= 8)`);
    for (const [what, m] of [
      ['file fsyncs in', counts.files],
      ['directory fsyncs of', counts.dirs],
    ] as const) {
      for (const [path, n] of [...m].sort((a, b) => b[1] - a[1])) print(`    ${(n / cycles).toFixed(2)}  ${what} ${path}`);
    }
    const fsyncs = Math.round(perCycle * cycles);
    const bareMs = await bareFsyncs(tmp.path, fsyncs);
    const limit = cycles / (bareMs / 1000);
    const share = cycles / (ms / 1000) / limit;
    print(`  fsync-bound limit of this protocol here: ${fsyncs} bare fsyncs take ${bareMs.toFixed(0)} ms, so at most ${limit.toFixed(0)} cycles/s`);
    print(`  share of the limit reached: ${share.toFixed(2)} (goal >= 0.67)`);
  } finally {
    await tmp.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cycles = process.argv[2] === undefined ? 200 : Number(process.argv[2]);
  if (!Number.isInteger(cycles) || cycles < 1) {
    console.error(`usage: bench/multispool-disk.ts [cycles]: cycles must be a positive integer, got ${process.argv[2]}`);
    process.exit(2);
  }
  await benchMultispoolDisk((l) => console.log(l), cycles);
}
