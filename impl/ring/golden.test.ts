/**
 * Golden byte vectors: the device contents after a documented sequence of calls, written by hand
 * from docs/ring-protocol.md (not with the implementation's own encoders), byte for byte. A 5-sector device of
 * 512-byte sectors: signature, producer, consumer, and a data area of 2 sectors (T = 1024).
 */
import { describe, expect, it } from 'vitest';
import { memoryBlockDevice } from '../io/memory-block-device.ts';
import { Consumer, createRing, Producer, type RingResult } from './index.ts';

const SS = 512;

function ok<T>(r: RingResult<T>): T {
  if (r.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.value;
}

/** One sector built from explicit pieces: [offset, bytes] pairs on zeros. */
function sector(...pieces: Array<[number, number[] | string]>): number[] {
  const out = new Array<number>(SS).fill(0);
  for (const [offset, bytes] of pieces) {
    const list = typeof bytes === 'string' ? [...bytes].map((c) => c.charCodeAt(0)) : bytes;
    list.forEach((b, i) => {
      out[offset + i] = b;
    });
  }
  return out;
}

const sectorOf = (snapshot: Uint8Array, n: number): number[] => [...snapshot.subarray(n * SS, (n + 1) * SS)];

describe('golden vectors (docs/ring-protocol.md)', () => {
  it('create: signature, then control sectors with flag 2 and nothing else', async () => {
    const device = memoryBlockDevice({ sectorSize: SS, sectorCount: 5 });
    ok(await createRing(device));
    const snap = device.snapshot();
    expect(sectorOf(snap, 0)).toEqual(sector([0, 'mirage shared-block-device 1.0']));
    expect(sectorOf(snap, 1)).toEqual(sector([8, [2]]));
    expect(sectorOf(snap, 2)).toEqual(sector([8, [2]]));
    expect(sectorOf(snap, 3)).toEqual(sector());
    ok(await createRing(device));
    expect(device.snapshot()).toEqual(snap);
  });

  it('push, advance, pop, release, a wrapping item, and the suspend handshake', async () => {
    const device = memoryBlockDevice({ sectorSize: SS, sectorCount: 5 });
    ok(await createRing(device));
    const producer = ok(await Producer.attach(device, { queue: 'q', client: 'p' }));
    expect(await producer.push(new TextEncoder().encode('hello'))).toEqual({ kind: 'ok', value: 12 });
    // Not published yet: sector 1 is untouched, the item is in sector 3.
    expect(sectorOf(device.snapshot(), 1)).toEqual(sector([8, [2]]));
    expect(sectorOf(device.snapshot(), 3)).toEqual(sector([0, [5, 0, 0, 0]], [4, 'hello']));
    ok(await producer.advance(12));
    expect(sectorOf(device.snapshot(), 1)).toEqual(sector([0, [12, 0, 0, 0, 0, 0, 0, 0]], [8, [2]], [128, 'q used by p; producer = 12; suspend_ack = false']));

    const big = new Uint8Array(1010).fill(0xab);
    // 1016 bytes needed, 1012 free: not now.
    expect(await producer.push(big)).toEqual({ kind: 'retry' });

    const consumer = ok(await Consumer.attach(device, { queue: 'q', client: 'c' }));
    const popped = ok(await consumer.pop());
    expect(popped.next).toBe(12);
    expect(new TextDecoder().decode(popped.item)).toBe('hello');
    ok(await consumer.advance(12));
    expect(sectorOf(device.snapshot(), 2)).toEqual(sector([0, [12, 0, 0, 0, 0, 0, 0, 0]], [8, [2]], [128, 'q used by c; consumer = 12; suspend = false']));

    // The big item: header at 12, payload to the end of sector 4, its last 2 bytes wrap to sector 3.
    expect(await producer.push(big)).toEqual({ kind: 'ok', value: 1028 });
    ok(await producer.advance(1028));
    const snap = device.snapshot();
    expect(sectorOf(snap, 3)).toEqual(sector([0, [0xab, 0xab, 0, 0]], [4, 'hello'], [12, [0xf2, 0x03, 0, 0]], [16, new Array<number>(496).fill(0xab)]));
    expect(sectorOf(snap, 4)).toEqual(new Array<number>(512).fill(0xab));
    expect(sectorOf(snap, 1)).toEqual(sector([0, [0x04, 0x04, 0, 0, 0, 0, 0, 0]], [8, [2]], [128, 'q used by p; producer = 1028; suspend_ack = false']));
    const wrapped = ok(await consumer.pop());
    expect(wrapped.next).toBe(1028);
    expect([...wrapped.item]).toEqual([...big]);

    ok(await consumer.suspend());
    expect(sectorOf(device.snapshot(), 2)).toEqual(sector([0, [12, 0, 0, 0, 0, 0, 0, 0]], [8, [1]], [128, 'q used by c; consumer = 12; suspend = true']));
    expect(await consumer.state()).toEqual({ kind: 'ok', value: 'running' });
    expect(await producer.state()).toEqual({ kind: 'ok', value: 'suspended' });
    expect(sectorOf(device.snapshot(), 1)).toEqual(sector([0, [0x04, 0x04, 0, 0, 0, 0, 0, 0]], [8, [1]], [128, 'q used by p; producer = 1028; suspend_ack = true']));
    expect(await consumer.state()).toEqual({ kind: 'ok', value: 'suspended' });
  });

  it('a debug line is cut at 384 bytes', async () => {
    const device = memoryBlockDevice({ sectorSize: SS, sectorCount: 5 });
    ok(await createRing(device));
    const producer = ok(await Producer.attach(device, { queue: 'x'.repeat(500), client: 'p' }));
    ok(await producer.advance(ok(await producer.push(new Uint8Array(0)))));
    const s1 = sectorOf(device.snapshot(), 1);
    expect(s1.slice(128, 512)).toEqual(new Array<number>(384).fill('x'.charCodeAt(0)));
    expect(s1.slice(0, 9)).toEqual([4, 0, 0, 0, 0, 0, 0, 0, 2]);
  });
});
