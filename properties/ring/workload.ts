/**
 * Ring workloads for crash tests: one producer and one consumer in one process taking turns,
 * run on a faulty device that can be stopped at its k-th sector write. Records what was published
 * and released, so the state after a crash can be judged.
 */
import type { BlockDevice } from '../../impl/io/block-device.ts';
import { Consumer, createRing, Producer } from '../../impl/ring/index.ts';
import type { RingQuirks } from '../../impl/ring/quirks.ts';
import { mustOk } from './must-ok.ts';

/** One step of a ring workload. */
export type RingStep = { readonly op: 'produce'; readonly size: number } | { readonly op: 'consume' };

/** A published item: where it starts and ends in the stream, and its bytes. */
export interface PublishedItem {
  readonly start: number;
  readonly end: number;
  readonly item: Uint8Array;
}

/** What a workload had established when it stopped. */
export interface RingRecord {
  /** Items whose producer advance returned, in order. */
  readonly published: PublishedItem[];
  /** The consumer position of the last consumer advance that returned. */
  released: number;
  /** The step in flight when the device stopped, with the item or position it was about. */
  inFlight?: { readonly step: RingStep; readonly item?: PublishedItem; readonly release?: number };
}

/** Thrown by a {@link stoppingDevice} at the write where the power goes. */
export class PowerCut extends Error {
  constructor() {
    super('power cut');
    this.name = 'PowerCut';
  }
}

/**
 * Wraps `device` so that its `stopAt`-th write or flush (0-based, counted together) throws
 * {@link PowerCut} instead of running: the power goes just before that call, and every later
 * write or flush throws too. `calls()` counts the writes and flushes that ran; `stopped()` says
 * whether the power has gone.
 */
export function stoppingDevice(device: BlockDevice, stopAt: number): BlockDevice & { readonly calls: () => number; readonly stopped: () => boolean } {
  let calls = 0;
  let stopped = false;
  const gate = (): void => {
    if (stopped) throw new PowerCut();
    if (calls === stopAt) {
      stopped = true;
      throw new PowerCut();
    }
    calls++;
  };
  return {
    description: device.description,
    sectorSize: device.sectorSize,
    sectorCount: device.sectorCount,
    read: (s) => device.read(s),
    write: async (s, data) => {
      gate();
      await device.write(s, data);
    },
    flush: async () => {
      gate();
      await device.flush();
    },
    calls: () => calls,
    stopped: () => stopped,
  };
}

/** Item `i` of a workload: recognisable bytes (the index, then a pattern). */
export function itemBytes(i: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let k = 0; k < size; k++) out[k] = (i * 31 + k * 7 + 1) & 0xff;
  if (size >= 1) out[0] = i & 0xff;
  return out;
}

/**
 * Runs `steps` on a freshly created ring (the creation is not part of the crash window: it is
 * done and flushed first). Stops quietly at a {@link PowerCut}; returns the record.
 */
export async function runRingWorkload(device: BlockDevice, steps: readonly RingStep[], quirks: RingQuirks): Promise<RingRecord> {
  const record: RingRecord = { published: [], released: 0 };
  const producer = mustOk('producer attach', await Producer.attach(device, { queue: 'q', client: 'p', quirks }));
  const consumer = mustOk('consumer attach', await Consumer.attach(device, { queue: 'q', client: 'c', quirks }));
  try {
    for (const [i, step] of steps.entries()) {
      if (step.op === 'produce') {
        const item = itemBytes(i, step.size);
        const start = producer.position;
        record.inFlight = { step };
        const pushed = await producer.push(item);
        if (pushed.kind === 'retry') continue;
        const end = mustOk('push', pushed);
        const published = { start, end, item };
        record.inFlight = { step, item: published };
        mustOk('producer advance', await producer.advance(end));
        record.published.push(published);
      } else {
        record.inFlight = { step };
        const popped = await consumer.pop();
        if (popped.kind === 'retry') continue;
        const { next } = mustOk('pop', popped);
        record.inFlight = { step, release: next };
        mustOk('consumer advance', await consumer.advance(next));
        record.released = next;
      }
      delete record.inFlight;
    }
    delete record.inFlight;
  } catch (err) {
    if (!(err instanceof PowerCut)) throw err;
  }
  return record;
}

/** Creates a ring on `device` (flushed). */
export async function freshRing(device: BlockDevice): Promise<void> {
  mustOk('create', await createRing(device));
}
