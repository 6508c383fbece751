/**
 * Benchmark: block ring throughput, producer and consumer taking turns in one process, on the
 * in-memory device and on a real file (flush = fdatasync). Every item is pushed, published
 * (advance: flush, control write, flush), popped and released (advance: control write, flush).
 * Prints items/s and payload MB/s; asserts nothing.
 *
 * Usage: npx tsx bench/ring-throughput.ts
 */
import { join } from 'node:path';
import type { BlockDevice } from '../impl/io/block-device.ts';
import { openFileBlockDevice } from '../impl/io/file-block-device.ts';
import { memoryBlockDevice } from '../impl/io/memory-block-device.ts';
import { makeTempDir } from '../impl/io/node-vfs.ts';
import { Consumer, createRing, Producer, type RingResult } from '../impl/ring/index.ts';

function must<T>(r: RingResult<T>): T {
  if (r.kind !== 'ok') throw new Error(JSON.stringify(r));
  return r.value;
}

/** Moves `count` items of `size` bytes through a ring on `device`; returns elapsed ms. */
async function pump(device: BlockDevice, count: number, size: number): Promise<number> {
  must(await createRing(device));
  const producer = must(await Producer.attach(device));
  const consumer = must(await Consumer.attach(device));
  const item = new Uint8Array(size).fill(0x5a);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    must(await producer.advance(must(await producer.push(item))));
    const popped = must(await consumer.pop());
    must(await consumer.advance(popped.next));
  }
  return performance.now() - started;
}

/** Runs the benchmark and prints a table. */
export async function benchRingThroughput(print: (line: string) => void): Promise<void> {
  print('ring throughput (push + advance + pop + advance per item, 512-byte sectors, 1024 sectors)');
  print('device   item bytes  items   time      items/s    MB/s');
  const tmp = await makeTempDir('spoolcheck-bench-ring-');
  try {
    for (const size of [16, 512, 4096]) {
      for (const kind of ['memory', 'file'] as const) {
        const count = kind === 'memory' ? 5_000 : 300;
        const device =
          kind === 'memory'
            ? memoryBlockDevice({ sectorSize: 512, sectorCount: 1024 })
            : await openFileBlockDevice(join(tmp.path, `ring-${size}`), { sectorSize: 512, sectorCount: 1024, create: true });
        const ms = await pump(device, count, size);
        if ('close' in device) await device.close();
        const perSecond = count / (ms / 1000);
        print(`${kind.padEnd(8)} ${String(size).padStart(10)}  ${String(count).padStart(5)}  ${`${ms.toFixed(0)} ms`.padStart(8)}  ${perSecond.toFixed(0).padStart(9)}  ${((perSecond * size) / 1e6).toFixed(2).padStart(6)}`);
      }
    }
  } finally {
    await tmp.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchRingThroughput((l) => console.log(l));
}
