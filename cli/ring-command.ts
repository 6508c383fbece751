/**
 * `spoolcheck ring ...`: a small file-backed demo of the block ring, as the original's example
 * program offers, so a person can watch two processes share a ring file:
 *
 *   spoolcheck ring create FILE [--sectors N] [--sector-size N]
 *   spoolcheck ring produce FILE [ITEM...]      (no ITEM: one item per line of stdin)
 *   spoolcheck ring consume FILE [--follow]
 *   spoolcheck ring state|suspend|resume FILE
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { systemClock } from '../impl/io/clock.ts';
import { openFileBlockDevice, type FileBlockDevice } from '../impl/io/file-block-device.ts';
import { isBlockDeviceError } from '../impl/io/block-device.ts';
import { Consumer, createRing, Producer, type RingResult } from '../impl/ring/index.ts';
import { UsageError, type Output } from './output.ts';

/** How long to wait before retrying a full (produce) or empty (consume --follow) ring. */
const POLL_MS = 100;

export const RING_USAGE = `Usage:
  spoolcheck ring create FILE [--sectors N] [--sector-size N]   make FILE a ring (default 64 sectors of 512 bytes)
  spoolcheck ring produce FILE [ITEM...]    push each ITEM (or each line of stdin) and publish it
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
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive integer, got '${text}'`);
  return n;
}

async function openDevice(file: string, sectorSize: number): Promise<FileBlockDevice> {
  try {
    return await openFileBlockDevice(file, { sectorSize });
  } catch (err) {
    if (isBlockDeviceError(err)) throw new UsageError(`cannot open ${file} as a ring device: ${err.message}`);
    throw err;
  }
}

/** Runs `spoolcheck ring <args>`; returns the exit code. */
export async function ringCommand(args: readonly string[], out: Output, stdinLines: () => AsyncIterable<string> = readStdinLines): Promise<number> {
  const parsed = (() => {
    try {
      return parseArgs({
        args: [...args],
        options: { sectors: { type: 'string' }, 'sector-size': { type: 'string' }, follow: { type: 'boolean' } },
        strict: true,
        allowPositionals: true,
      });
    } catch (err) {
      throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${RING_USAGE}`);
    }
  })();
  const [action, file, ...items] = parsed.positionals;
  if (action === undefined || file === undefined) throw new UsageError(`ring needs an action and a FILE\n${RING_USAGE}`);
  const sectorSize = positiveInteger('--sector-size', parsed.values['sector-size'], 512);
  if (action === 'create') {
    const sectorCount = positiveInteger('--sectors', parsed.values.sectors, 64);
    const device = await openFileBlockDevice(file, { sectorSize, sectorCount, create: true });
    try {
      need(`creating a ring in ${file}`, await createRing(device));
      out.stdout(`${file}: a ring of ${sectorCount - 3} data sectors of ${sectorSize} bytes (${(sectorCount - 3) * sectorSize} bytes)`);
    } finally {
      await device.close();
    }
    return 0;
  }
  const device = await openDevice(file, sectorSize);
  try {
    switch (action) {
      case 'produce': {
        const producer = need(`attaching a producer to ${file}`, await Producer.attach(device, { queue: file, client: `spoolcheck ring produce (pid ${process.pid})` }));
        const source: AsyncIterable<string> = items.length > 0 ? toAsync(items) : stdinLines();
        let count = 0;
        for await (const text of source) {
          for (;;) {
            const pushed = await producer.push(new TextEncoder().encode(text));
            if (pushed.kind === 'retry') {
              await systemClock.sleep(POLL_MS);
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
