/**
 * Garbage in a control sector (docs/ring-protocol.md, "Control sectors"): the flag byte of the
 * producer's or the consumer's sector is overwritten with an arbitrary byte, as a misdirected
 * write or bit rot would. The format knows two encodings, 1 (true) and 2 (false); anything else
 * is corrupt. So:
 *
 * - a byte other than 1 and 2: the end whose sector it is refuses to attach with `corrupt`, and
 *   the other end reports `corrupt` at attach or at its first `state` (it reads that sector) —
 *   never an exception, never a flag read as true or false;
 * - 1 or 2 in the consumer's sector: the producer attaches `suspended` (1: the consumer asked it
 *   to stop) or running (2);
 * - 1 or 2 in the producer's sector: the consumer, attached before the producer, reports
 *   `suspended` (1: the producer acknowledged a suspend) or `running` (2).
 *
 * The ring may hold published items first: a valid flag is read the same whatever the positions.
 */
import fc from 'fast-check';
import { memoryBlockDevice } from '../../impl/io/memory-block-device.ts';
import { Consumer, CONSUMER_SECTOR, createRing, FLAG_FALSE, FLAG_OFFSET, FLAG_TRUE, Producer, PRODUCER_SECTOR, type RingResult } from '../../impl/ring/index.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { mustOk } from './must-ok.ts';

/** What a call answered, in words: `ok`, `suspended`, `corrupt`, another error kind (with its message), or what it threw. */
export async function answer<T>(call: () => Promise<RingResult<T>>): Promise<{ readonly said: string; readonly value?: T; readonly message?: string }> {
  try {
    const r = await call();
    if (r.kind === 'ok') return { said: 'ok', value: r.value };
    return r.kind === 'error' ? { said: r.error, message: r.message } : { said: r.kind };
  } catch (err) {
    return { said: `threw ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Returns the violation in words, or undefined. */
export async function runGarbageControl(sizes: readonly number[], which: 'producer' | 'consumer', flag: number, ctx: RunContext): Promise<string | undefined> {
  const device = memoryBlockDevice({ sectorSize: 512, sectorCount: 6 });
  mustOk('create', await createRing(device));
  const quirks = builtinOf(ctx).ring;
  const writer = mustOk('attach', await Producer.attach(device, { quirks }));
  for (const size of sizes) {
    const pushed = await writer.push(new Uint8Array(size).fill(3));
    if (pushed.kind !== 'ok') break;
    mustOk('advance', await writer.advance(pushed.value));
  }
  writer.detach();
  const sectorNumber = which === 'producer' ? PRODUCER_SECTOR : CONSUMER_SECTOR;
  const sector = await device.read(sectorNumber);
  sector[FLAG_OFFSET] = flag;
  await device.write(sectorNumber, sector);
  const valid = flag === FLAG_TRUE || flag === FLAG_FALSE;
  const where = `flag byte ${flag} in the ${which} sector`;

  if (which === 'consumer') {
    const producer = await answer(() => Producer.attach(device, { quirks }));
    if (!valid) return producer.said === 'corrupt' ? undefined : `${where}: the producer's attach said ${producer.said}, not corrupt`;
    const want = flag === FLAG_TRUE ? 'suspended' : 'ok';
    return producer.said === want ? undefined : `${where}: the producer's attach said ${producer.said}, not ${want}`;
  }
  const consumer = await answer(() => Consumer.attach(device, { quirks }));
  if (!valid) {
    if (consumer.said === 'corrupt') return undefined;
    if (consumer.value === undefined) return `${where}: the consumer's attach said ${consumer.said}, not corrupt`;
    const state = await answer(() => (consumer.value as Consumer).state());
    return state.said === 'corrupt' ? undefined : `${where}: the consumer attached and its state said ${state.said}${state.value === undefined ? '' : ` (${state.value})`}, not corrupt`;
  }
  if (consumer.value === undefined) return `${where}: the consumer's attach said ${consumer.said}, not ok`;
  const state = await answer(() => (consumer.value as Consumer).state());
  const want = flag === FLAG_TRUE ? 'suspended' : 'running';
  return state.value === want ? undefined : `${where}: the consumer's state said ${state.said}${state.value === undefined ? '' : ` (${state.value})`}, not ${want}`;
}

/** The garbage-control property. */
export const ringGarbageControl: PropertyDef = {
  suite: 'ring',
  requires: ['builtin'],
  name: 'garbage-control',
  description: 'a control sector whose flag byte is neither 1 nor 2 is reported as corrupt by both ends; 1 and 2 read as true and false',
  defaultRuns: 400,
  testRuns: 60,
  build: (ctx) =>
    fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 3 }),
      fc.constantFrom('producer' as const, 'consumer' as const),
      // The two encodings and their neighbours often; any byte sometimes.
      fc.oneof(fc.constantFrom(0, FLAG_TRUE, FLAG_FALSE, 3, 255), fc.integer({ min: 0, max: 255 })),
      async (sizes, which, flag) => {
        const violation = await runGarbageControl(sizes, which, flag, ctx);
        if (violation !== undefined) throw new Error(violation);
      },
    ) as unknown as fc.IAsyncProperty<never>,
};
