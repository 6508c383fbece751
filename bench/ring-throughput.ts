/**
 * Benchmark: block ring throughput, producer and consumer taking turns in one process, on the
 * in-memory device and on a real file (flush = fdatasync). Every item is pushed, published
 * (advance: flush, control write, flush), popped and released (advance: control write, flush).
 * Prints items/s and payload MB/s. Then, on the file device, the ring side by side with the raw
 * device work it stands on: as many sector writes and flushes (fdatasync) as the ring made for
 * the same items, issued bare, one after another, and the ratio of the two times (issue 16
 * item 4: goal within 2x). Asserts nothing.
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

/** Device calls made through a counting wrapper. */
interface CallCounts {
  reads: number;
  writes: number;
  flushes: number;
}

/** `device`, counting its calls into `counts`. */
function counting(device: BlockDevice, counts: CallCounts): BlockDevice {
  return {
    description: device.description,
    sectorSize: device.sectorSize,
    sectorCount: device.sectorCount,
    read: (s) => {
      counts.reads++;
      return device.read(s);
    },
    write: (s, d) => {
      counts.writes++;
      return device.write(s, d);
    },
    flush: () => {
      counts.flushes++;
      return device.flush();
    },
  };
}

/**
 * Writes and flushes as the ring did, bare: `counts.writes` sector writes spread over the data
 * sectors and `counts.flushes` flushes, interleaved in the ring's proportion; returns elapsed ms.
 */
async function raw(device: BlockDevice, counts: CallCounts): Promise<number> {
  const sector = new Uint8Array(device.sectorSize).fill(0x5a);
  const started = performance.now();
  let flushed = 0;
  for (let w = 0; w < counts.writes; w++) {
    await device.write(3 + (w % (device.sectorCount - 3)), sector);
    // Flush whenever the ring's proportion of flushes per write says one is due.
    while (flushed < Math.floor(((w + 1) * counts.flushes) / counts.writes)) {
      await device.flush();
      flushed++;
    }
  }
  while (flushed < counts.flushes) {
    await device.flush();
    flushed++;
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
    print('');
    print('ring vs raw device work on the file device (the same writes and flushes, bare; goal: ring within 2x)');
    print('item bytes  items  reads  writes  flushes   ring       raw        ratio');
    for (const size of [16, 4096]) {
      const count = 300;
      const counts: CallCounts = { reads: 0, writes: 0, flushes: 0 };
      const ringDevice = await openFileBlockDevice(join(tmp.path, `vs-ring-${size}`), { sectorSize: 512, sectorCount: 1024, create: true });
      const ringMs = await pump(counting(ringDevice, counts), count, size);
      await ringDevice.close();
      const rawDevice = await openFileBlockDevice(join(tmp.path, `vs-raw-${size}`), { sectorSize: 512, sectorCount: 1024, create: true });
      const rawMs = await raw(rawDevice, counts);
      await rawDevice.close();
      const ratio = ringMs / rawMs;
      print(
        `${String(size).padStart(10)}  ${String(count).padStart(5)}  ${String(counts.reads).padStart(5)}  ${String(counts.writes).padStart(6)}  ${String(counts.flushes).padStart(7)}  ${`${ringMs.toFixed(0)} ms`.padStart(8)}  ${`${rawMs.toFixed(0)} ms`.padStart(8)}  ${ratio.toFixed(2).padStart(6)}x ${ratio <= 2 ? '(goal met)' : '(goal NOT met)'}`,
      );
    }
  } finally {
    await tmp.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchRingThroughput((l) => console.log(l));
}
