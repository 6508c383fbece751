/**
 * `spoolcheck ring ...`: a small file-backed demo of the block ring, as the original's example
 * program offers, so a person can watch two processes share a ring file:
 *
 *   spoolcheck ring create FILE [--sectors N] [--sector-size N] [--force]
 *   spoolcheck ring produce FILE [ITEM...] [--timeout S]   (no ITEM: one item per line of stdin)
 *   spoolcheck ring consume FILE [--follow]
 *   spoolcheck ring state|suspend|resume FILE
 *
 * A ring file is read with the sector size it was made with, found from its control sectors
 * (`--sector-size` forces one).
 */
import { stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { systemClock } from '../impl/io/clock.ts';
import { openFileBlockDevice, type FileBlockDevice } from '../impl/io/file-block-device.ts';
import { isBlockDeviceError } from '../impl/io/block-device.ts';
import { Consumer, createRing, Producer, type RingResult } from '../impl/ring/index.ts';
import { parseInteger, UsageError, type Output } from './output.ts';

/** How long to wait before retrying a full (produce) or empty (consume --follow) ring. */
const POLL_MS = 100;

export const RING_USAGE = `Usage:
  spoolcheck ring create FILE [--sectors N] [--sector-size N] [--force]
                                            make FILE a ring (default 64 sectors of 512 bytes; --force replaces an existing file)
  spoolcheck ring produce FILE [ITEM...] [--timeout S]
                                            push each ITEM (or each line of stdin) and publish it; a full ring is waited on (at most S seconds)
  spoolcheck ring consume FILE [--follow]   print every published item and release it; --follow keeps waiting
  spoolcheck ring state FILE                print the producer's acknowledged state
  spoolcheck ring suspend FILE | resume FILE`;

/** A ring failure in words, or the value. */
function need<T>(what: string, r: RingResult<T>): T {
  if (r.kind === 'ok') return r.value;
  const detail = r.kind === 'error' ? `${r.error}: ${r.message}` : r.kind;
  throw new UsageError(`${what}: ${detail}`);
}

function positiveInteger(flag: string, text: string | undefined, fallback: number): number {
  return text === undefined ? fallback : parseInteger(flag, text, 1, Number.MAX_SAFE_INTEGER);
}

/** The largest ring `create` makes (a demo: a bigger one is almost surely a typo). */
const MAX_RING_BYTES = 1 << 30;

/** Opens `file` as a device (making it `sectorCount` sectors when given); a clear usage error for what is not a ring device. */
async function openDevice(file: string, sectorSize: number, sectorCount?: number): Promise<FileBlockDevice> {
  let info;
  try {
    info = await stat(file);
  } catch {
    info = undefined;
  }
  if (info?.isDirectory() === true) throw new UsageError(`${file} is a directory, not a ring file`);
  if (sectorCount === undefined) {
    if (info === undefined) throw new UsageError(`${file} does not exist (make it with 'spoolcheck ring create ${file}')`);
    if (info.size % sectorSize !== 0) throw new UsageError(`${file} is ${info.size} bytes, not a whole number of ${sectorSize}-byte sectors: a truncated or foreign file (or pass the --sector-size it was made with)`);
  }
  try {
    return await openFileBlockDevice(file, sectorCount === undefined ? { sectorSize } : { sectorSize, sectorCount, create: true });
  } catch (err) {
    if (isBlockDeviceError(err)) throw new UsageError(`cannot open ${file} as a ring device: ${err.message}`);
    if ((err as { code?: unknown }).code === 'ENOENT') throw new UsageError(`cannot create ${file}: its directory does not exist`);
    throw err;
  }
}

/** The sector sizes a ring file is tried with when `--sector-size` is not given, in order. */
const SECTOR_SIZES = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];

/** Opens a ring file made with any sector size: the first size whose control sectors read as a ring's. */
async function openWithAnySectorSize(file: string): Promise<FileBlockDevice> {
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || info.isDirectory()) return openDevice(file, 512);
  for (const size of SECTOR_SIZES) {
    if (info.size % size !== 0 || info.size < 4 * size) continue;
    const device = await openDevice(file, size);
    if ((await Consumer.attach(device)).kind === 'ok') return device;
    await device.close();
  }
  return openDevice(file, 512).then(async (device) => {
    const attached = await Consumer.attach(device);
    await device.close();
    throw new UsageError(`${file} reads as a ring with none of the sector sizes ${SECTOR_SIZES.join(', ')} (${attached.kind === 'error' ? attached.message : attached.kind}): pass the --sector-size it was made with`);
  });
}

/** Refuses to create a ring over an existing file unless `force`; a directory or a missing parent is a clear error. */
async function checkCreatable(file: string, force: boolean): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (info === undefined) {
    const parent = await stat(dirname(file)).catch(() => undefined);
    if (parent?.isDirectory() !== true) throw new UsageError(`cannot create ${file}: its directory ${dirname(file)} does not exist`);
    return;
  }
  if (info.isDirectory()) throw new UsageError(`${file} is a directory, not a ring file`);
  if (!force) throw new UsageError(`${file} exists; 'ring create' would overwrite it: pass --force to replace it with a new, empty ring`);
  await truncate(file, 0);
}

/** Runs `spoolcheck ring <args>`; returns the exit code. */
export async function ringCommand(args: readonly string[], out: Output, stdinLines: () => AsyncIterable<string> = readStdinLines): Promise<number> {
  const parsed = (() => {
    try {
      return parseArgs({
        args: [...args],
        options: { sectors: { type: 'string' }, 'sector-size': { type: 'string' }, follow: { type: 'boolean' }, force: { type: 'boolean' }, timeout: { type: 'string' } },
        strict: true,
        allowPositionals: true,
      });
    } catch (err) {
      throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${RING_USAGE}`);
    }
  })();
  const [action, file, ...items] = parsed.positionals;
  if (action === undefined || file === undefined) throw new UsageError(`ring needs an action and a FILE\n${RING_USAGE}`);
  const givenSectorSize = parsed.values['sector-size'];
  const sectorSize = positiveInteger('--sector-size', givenSectorSize, 512);
  if (action === 'create') {
    const sectorCount = positiveInteger('--sectors', parsed.values.sectors, 64);
    if (sectorCount < 4) throw new UsageError(`--sectors must be at least 4 (two control sectors, one for the user, one of data), got ${sectorCount}`);
    if (sectorCount * sectorSize > MAX_RING_BYTES) throw new UsageError(`a ring of ${sectorCount} sectors of ${sectorSize} bytes would be ${sectorCount * sectorSize} bytes; the demo makes rings of at most ${MAX_RING_BYTES} bytes`);
    await checkCreatable(file, parsed.values.force === true);
    const device = await openDevice(file, sectorSize, sectorCount);
    try {
      need(`creating a ring in ${file}`, await createRing(device));
      out.stdout(`${file}: a ring of ${sectorCount - 3} data sectors of ${sectorSize} bytes (${(sectorCount - 3) * sectorSize} bytes)`);
    } finally {
      await device.close();
    }
    return 0;
  }
  const device = givenSectorSize === undefined ? await openWithAnySectorSize(file) : await openDevice(file, sectorSize);
  try {
    switch (action) {
      case 'produce': {
        const producer = need(`attaching a producer to ${file}`, await Producer.attach(device, { queue: file, client: `spoolcheck ring produce (pid ${process.pid})` }));
        const source: AsyncIterable<string> = items.length > 0 ? toAsync(items) : stdinLines();
        const timeoutS = parsed.values.timeout === undefined ? undefined : positiveInteger('--timeout', parsed.values.timeout, 1);
        let count = 0;
        for await (const text of source) {
          let waitedMs = 0;
          for (;;) {
            const pushed = await producer.push(new TextEncoder().encode(text));
            if (pushed.kind === 'retry') {
              if (waitedMs === 0) out.stderr(`${file}: the ring is full; waiting for a consumer to free room${timeoutS === undefined ? ' (Ctrl-C to stop, or --timeout SECONDS)' : ` (at most ${timeoutS} s)`}`);
              if (timeoutS !== undefined && waitedMs >= timeoutS * 1000) {
                out.stderr(`${file}: still full after ${timeoutS} s; published ${count} item(s), the rest not`);
                return 1;
              }
              await systemClock.sleep(POLL_MS);
              waitedMs += POLL_MS;
              continue;
            }
            need('push', await producer.advance(need('push', pushed)));
            count++;
            break;
          }
        }
        out.stdout(`published ${count} item(s); producer at ${producer.position}`);
        return 0;
      }
      case 'consume': {
        const consumer = need(`attaching a consumer to ${file}`, await Consumer.attach(device, { queue: file, client: `spoolcheck ring consume (pid ${process.pid})` }));
        for (;;) {
          const popped = await consumer.pop();
          if (popped.kind === 'retry') {
            if (parsed.values.follow !== true) return 0;
            await systemClock.sleep(POLL_MS);
            continue;
          }
          const { next, item } = need('pop', popped);
          out.stdout(new TextDecoder().decode(item));
          need('advance', await consumer.advance(next));
        }
      }
      case 'state': {
        const consumer = need(`attaching to ${file}`, await Consumer.attach(device));
        const info = need('reading the control sectors', await consumer.debugInfo());
        out.stdout(`${need('state', await consumer.state())}; producer at ${info.producerOffset}, consumer at ${info.consumerOffset}, suspend requested: ${info.suspend === 1}`);
        return 0;
      }
      case 'suspend':
      case 'resume': {
        const consumer = need(`attaching to ${file}`, await Consumer.attach(device));
        const r = action === 'suspend' ? await consumer.suspend() : await consumer.resume();
        if (r.kind === 'retry') {
          out.stderr(`the producer has not acknowledged the previous request yet; try again once it has`);
          return 1;
        }
        need(action, r);
        out.stdout(`${action} requested; the producer acknowledges at its next push or state check`);
        return 0;
      }
      default:
        throw new UsageError(`unknown ring action '${action}'\n${RING_USAGE}`);
    }
  } finally {
    await device.close();
  }
}

async function* toAsync(items: readonly string[]): AsyncIterable<string> {
  yield* items;
}

async function* readStdinLines(): AsyncIterable<string> {
  yield* createInterface({ input: process.stdin, crlfDelay: Infinity });
}
