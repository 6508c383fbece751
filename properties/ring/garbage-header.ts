/**
 * Garbage in a length header (docs/ring-protocol.md; the format has no checksums): a published item's header
 * is overwritten with an arbitrary u32, as bit rot or a misdirected write would. `pop` must then
 * return the original item (unchanged header), or `corrupt` when the header claims more than was
 * published (its message naming the header's position and the length it claims) — never an
 * exception, never an item read past the published data. (A garbage length
 * that still fits is undetectable without checksums: the README says so.)
 */
import fc from 'fast-check';
import type { BlockDevice } from '../../impl/io/block-device.ts';
import { memoryBlockDevice } from '../../impl/io/memory-block-device.ts';
import { Consumer, createRing, DATA_SECTOR, Producer, type RingResult } from '../../impl/ring/index.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { missingClues } from './message-names.ts';
import { mustOk } from './must-ok.ts';

/**
 * The garbage written: an absolute u32, or a length relative to what is published after the
 * header (the edge where one byte more must be refused, where an off-by-4 check slips through).
 */
export type Garbage = { readonly absolute: number } | { readonly nearPublished: number };

/** Returns the violation in words, or undefined. */
export async function runGarbageHeader(sizes: readonly number[], victim: number, garbage: Garbage, ctx: RunContext): Promise<string | undefined> {
  const ss = 512;
  const device = memoryBlockDevice({ sectorSize: ss, sectorCount: 8 });
  mustOk('create', await createRing(device));
  const quirks = builtinOf(ctx).ring;
  const producer = mustOk('attach', await Producer.attach(device, { quirks }));
  const starts: number[] = [];
  for (const size of sizes) {
    const start = producer.position;
    const pushed = await producer.push(new Uint8Array(size).fill(7));
    if (pushed.kind !== 'ok') break;
    mustOk('advance', await producer.advance(pushed.value));
    starts.push(start);
  }
  const at = starts[victim % Math.max(1, starts.length)];
  if (at === undefined) return undefined;
  const sectorNumber = DATA_SECTOR + (Math.floor(at / ss) % (device.sectorCount - DATA_SECTOR));
  const published = producer.position - at - 4;
  const claimed = 'absolute' in garbage ? garbage.absolute >>> 0 : Math.max(0, published + garbage.nearPublished);
  const sector = await device.read(sectorNumber);
  new DataView(sector.buffer).setUint32(at % ss, claimed, true);
  await device.write(sectorNumber, sector);
  // A pop that believes a huge header would read the ring round and round (gigabytes): it is cut
  // off once it has read every sector a few times, which no honest pop of this ring needs.
  let reads = 0;
  const readLimit = device.sectorCount * 4;
  const guarded: BlockDevice = {
    description: device.description,
    sectorSize: device.sectorSize,
    sectorCount: device.sectorCount,
    read: async (n) => {
      if (++reads > readLimit) throw new Error(`pop read more than ${readLimit} sectors of an ${device.sectorCount}-sector ring: far past the published data`);
      return device.read(n);
    },
    write: (n, data) => device.write(n, data),
    flush: () => device.flush(),
  };
  const consumer = mustOk('consumer attach', await Consumer.attach(guarded, { quirks }));
  let popped: RingResult<unknown>;
  try {
    popped = await consumer.pop({ from: at });
  } catch (err) {
    return `pop threw instead of reporting corruption: ${err instanceof Error ? err.message : String(err)} (header ${claimed} at ${at}, ${published} bytes published after it)`;
  }
  if (claimed > published && !(popped.kind === 'error' && popped.error === 'corrupt')) {
    return `a header claiming ${claimed} bytes at ${at}, with only ${published} published after it, gave ${popped.kind === 'ok' ? 'an item' : JSON.stringify(popped)} instead of corrupt`;
  }
  if (popped.kind === 'error' && popped.error === 'corrupt') {
    const unnamed = missingClues(popped.message, [[String(at), String(claimed)]]);
    if (unnamed !== undefined) return `a header claiming ${claimed} bytes at ${at} was refused as corrupt, but ${unnamed}`;
  }
  return undefined;
}

/** The garbage-header property. */
export const ringGarbageHeader: PropertyDef = {
  suite: 'ring',
  requires: ['builtin'],
  name: 'garbage-header',
  description: 'a length header claiming more than was published is reported as corrupt, never an item or an exception',
  defaultRuns: 800,
  testRuns: 100,
  build: (ctx) =>
    fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 5 }),
      fc.nat(),
      fc.oneof(
        fc.integer({ min: 0, max: 3000 }).map((absolute): Garbage => ({ absolute })),
        fc.constantFrom(0xffffffff, 0x7fffffff, 0x80000000).map((absolute): Garbage => ({ absolute })),
        fc.nat().map((absolute): Garbage => ({ absolute })),
        fc.integer({ min: -8, max: 8 }).map((nearPublished): Garbage => ({ nearPublished })),
      ),
      async (sizes, victim, garbage) => {
        const violation = await runGarbageHeader(sizes, victim, garbage, ctx);
        if (violation !== undefined) throw new Error(violation);
      },
    ) as unknown as fc.IAsyncProperty<never>,
};
