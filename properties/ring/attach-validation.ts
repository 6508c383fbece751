/**
 * `ring/attach-validation`: an attach believes nothing it has not checked (docs/ring-protocol.md,
 * "Geometry and format" and "Errors"). A device of some geometry holds a ring that has been used (items pushed, some
 * consumed), and then up to three things are damaged: a byte of the signature, a control
 * sector's position (any 64-bit value, or one just inside or outside the bounds the other end's
 * position sets), its flag byte, or both positions moved forward together as after a long life
 * (near 2^32, or near 2^53 where the producer's may cross the limit first). Then the producer and
 * the consumer attach, in either order; a device too small or with odd sectors gets the sectors a
 * ring would have, so that only its geometry is wrong.
 *
 * What each attach must answer is worked out here from the bytes the device holds just before
 * it, by the format's rules, independently of the implementation:
 *  - `geometry` when the sector size is not a multiple of 4 of at least 512, or fewer than 4 sectors;
 *  - `notInitialised` when sector 0 does not start with the signature;
 *  - `corrupt` when either control sector holds a position of 2^53 or more or not a multiple of 4,
 *    or a flag byte other than 1 and 2, or when the positions break C <= P <= C + T;
 *  - otherwise the consumer attaches at C and its `state` is `suspended` exactly when the
 *    producer's flag is 1; the producer attaches at P (or answers `suspended` when the
 *    consumer's flag is 1) and, when its flag differed from the consumer's, writes its own
 *    sector with the consumer's flag and nothing else changed.
 * A refused attach writes nothing.
 */
import fc from 'fast-check';
import { memoryBlockDevice, type MemoryBlockDevice } from '../../impl/io/memory-block-device.ts';
import { sameBytes } from '../../model/fifo/fifo.ts';
import { Consumer, CONSUMER_SECTOR, createRing, FLAG_FALSE, FLAG_OFFSET, FLAG_TRUE, initialControlSector, MAGIC, Producer, PRODUCER_SECTOR, SIGNATURE_SECTOR, signatureSector } from '../../impl/ring/index.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { answer } from './garbage-control.ts';
import { missingClues, type Clue } from './message-names.ts';
import { mustOk } from './must-ok.ts';

/** What an end's attach must answer, by the format's rules (for `ok`: what it must have read). */
type Expected = { readonly said: 'geometry' | 'notInitialised' | 'corrupt'; readonly clues: readonly Clue[] } | { readonly said: 'ok'; readonly P: number; readonly C: number; readonly producerFlag: boolean; readonly consumerFlag: boolean };

/** The byte every item of a built ring is made of (an item of `n` bytes is `n` of them). */
export const ITEM_BYTE = 5;

/** The signature's bytes, as the format gives them. */
const MAGIC_BYTES = new TextEncoder().encode(MAGIC);

/** Whether no ring fits a device of this geometry: a sector size not a multiple of 4 of at least 512, or fewer than 4 sectors. */
function badGeometry(sectorSize: number, sectorCount: number): boolean {
  return sectorSize % 4 !== 0 || sectorSize < 512 || sectorCount < 4;
}

/**
 * One control sector read by the rules: its position and flag, or what is wrong with it (a clue
 * per fault: the sector and the bad position, or the sector and the bad flag byte).
 */
function readControl(bytes: Uint8Array, sectorSize: number, sector: number): { readonly position: number; readonly flag: boolean } | { readonly faults: readonly Clue[] } {
  const at = sector * sectorSize;
  const raw = new DataView(bytes.buffer, bytes.byteOffset + at, 8).getBigUint64(0, true);
  const flag = bytes[at + FLAG_OFFSET] as number;
  const faults: Clue[] = [];
  if (raw > BigInt(Number.MAX_SAFE_INTEGER) || raw % 4n !== 0n) faults.push([`sector ${sector}`, String(raw)]);
  if (flag !== FLAG_TRUE && flag !== FLAG_FALSE) faults.push([`sector ${sector}`, String(flag)]);
  return faults.length > 0 ? { faults } : { position: Number(raw), flag: flag === FLAG_TRUE };
}

/**
 * What an attach of either end must answer on a device of this geometry holding `bytes`; for a
 * refusal, what its message must name (any one cause's clue): the bad sector size or count, sector
 * 0 for a missing signature, a control sector and its bad value, or both positions when they
 * break C <= P <= C + T.
 */
export function expectedAttach(sectorSize: number, sectorCount: number, bytes: Uint8Array): Expected {
  if (badGeometry(sectorSize, sectorCount)) {
    const clues: Clue[] = [];
    if (badGeometry(sectorSize, 4)) clues.push([String(sectorSize)]);
    if (sectorCount < 4) clues.push([String(sectorCount)]);
    return { said: 'geometry', clues };
  }
  if (MAGIC_BYTES.some((b, i) => bytes[SIGNATURE_SECTOR * sectorSize + i] !== b)) return { said: 'notInitialised', clues: [[`sector ${SIGNATURE_SECTOR}`]] };
  const producer = readControl(bytes, sectorSize, PRODUCER_SECTOR);
  const consumer = readControl(bytes, sectorSize, CONSUMER_SECTOR);
  if ('faults' in producer || 'faults' in consumer) return { said: 'corrupt', clues: [...('faults' in producer ? producer.faults : []), ...('faults' in consumer ? consumer.faults : [])] };
  const T = (sectorCount - 3) * sectorSize;
  if (consumer.position > producer.position || producer.position > consumer.position + T) return { said: 'corrupt', clues: [[String(consumer.position), String(producer.position)]] };
  return { said: 'ok', P: producer.position, C: consumer.position, producerFlag: producer.flag, consumerFlag: consumer.flag };
}

/** A damaged byte or field. */
export type Damage =
  | { readonly to: 'signature'; readonly index: number; readonly xor: number }
  /** A position: `raw` as is, or relative to the other end's position (`other + 4 * k + skew`, `other + T + 4 * k`). */
  | { readonly to: 'producer' | 'consumer'; readonly position: { readonly raw: bigint } | { readonly nearOther: number; readonly skew: number } | { readonly nearFar: number } }
  | { readonly to: 'producer' | 'consumer'; readonly flag: number }
  /** Both positions moved forward by `shift`, as after a long life: near 2^32, or 2^53 where P may pass the limit before C does. */
  | { readonly to: 'both'; readonly shift: bigint };

const endArb = fc.constantFrom('producer' as const, 'consumer' as const);

/** Damage, weighted to the boundaries: positions next to the other end's or a ring's length away. */
export const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ to: fc.constant('signature' as const), index: fc.nat({ max: MAGIC.length - 1 }), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    to: endArb,
    position: fc.oneof(
      fc.record({ raw: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(2n ** 53n - 4n, 2n ** 53n, 2n ** 53n + 4n, 2n ** 64n - 4n)) }),
      fc.record({ nearOther: fc.integer({ min: -2, max: 2 }), skew: fc.constantFrom(0, 0, 1, 2, 3) }),
      fc.record({ nearFar: fc.integer({ min: -1, max: 1 }) }),
    ),
  }),
  fc.record({ to: endArb, flag: fc.oneof(fc.constantFrom(0, FLAG_TRUE, FLAG_FALSE, 3, 255), fc.integer({ min: 0, max: 255 })) }),
  fc.record({ to: fc.constant('both' as const), shift: fc.constantFrom(2n ** 32n - 4n, 2n ** 32n, 2n ** 53n - 2n ** 12n, 2n ** 53n - 4n) }),
);

/** Applies `damage` to the device's sectors (a position's bytes or flag byte, or a signature byte). */
async function apply(device: MemoryBlockDevice, damage: Damage): Promise<void> {
  const ss = device.sectorSize;
  if (damage.to === 'signature') {
    const sector = await device.read(SIGNATURE_SECTOR);
    sector[damage.index] = (sector[damage.index] as number) ^ damage.xor;
    await device.write(SIGNATURE_SECTOR, sector);
    return;
  }
  if (damage.to === 'both') {
    for (const n of [PRODUCER_SECTOR, CONSUMER_SECTOR]) {
      const sector = await device.read(n);
      const view = new DataView(sector.buffer, sector.byteOffset);
      view.setBigUint64(0, BigInt.asUintN(64, view.getBigUint64(0, true) + damage.shift), true);
      await device.write(n, sector);
    }
    return;
  }
  const number = damage.to === 'producer' ? PRODUCER_SECTOR : CONSUMER_SECTOR;
  const sector = await device.read(number);
  if ('flag' in damage) {
    sector[FLAG_OFFSET] = damage.flag;
  } else {
    const other = await device.read(damage.to === 'producer' ? CONSUMER_SECTOR : PRODUCER_SECTOR);
    const otherPosition = new DataView(other.buffer, other.byteOffset).getBigUint64(0, true);
    const T = BigInt((device.sectorCount - 3) * ss);
    const p = damage.position;
    // Relative positions point the producer's ahead of the consumer's and the consumer's behind.
    const sign = damage.to === 'producer' ? 1n : -1n;
    const wanted = 'raw' in p ? p.raw : 'nearOther' in p ? otherPosition + BigInt(4 * p.nearOther + p.skew) : otherPosition + sign * (T + BigInt(4 * p.nearFar));
    new DataView(sector.buffer, sector.byteOffset).setBigUint64(0, BigInt.asUintN(64, wanted), true);
  }
  await device.write(number, sector);
}

/** A scenario: the geometry, the ring's use before the damage, the damage, who attaches first. */
export interface AttachScenario {
  readonly sectorSize: number;
  readonly sectorCount: number;
  /** Sizes of the items pushed and published. */
  readonly pushed: readonly number[];
  /** How many of them the consumer releases. */
  readonly consumed: number;
  readonly damage: readonly Damage[];
  readonly producerFirst: boolean;
}

/**
 * Builds the device: a ring created, used, then damaged (for a bad geometry, sectors written as
 * `create` would write them). `unconsumed`: the sizes of the items published and not released, in
 * order (each item is that many bytes of {@link ITEM_BYTE}).
 */
export async function buildDevice(s: AttachScenario, ctx: RunContext): Promise<{ device: MemoryBlockDevice; unconsumed: number[] }> {
  const unconsumed: number[] = [];
  const device = memoryBlockDevice({ sectorSize: s.sectorSize, sectorCount: s.sectorCount });
  if (badGeometry(s.sectorSize, s.sectorCount)) {
    // What a ring's first sectors hold, on a device no ring fits: only the geometry is wrong.
    await device.write(SIGNATURE_SECTOR, signatureSector(s.sectorSize));
    for (const n of [PRODUCER_SECTOR, CONSUMER_SECTOR]) if (n < s.sectorCount) await device.write(n, initialControlSector(s.sectorSize));
  } else {
    const quirks = builtinOf(ctx).ring;
    mustOk('create', await createRing(device));
    const producer = mustOk('attach', await Producer.attach(device, { quirks }));
    for (const size of s.pushed) {
      const pushed = await producer.push(new Uint8Array(size).fill(ITEM_BYTE));
      if (pushed.kind !== 'ok') break;
      mustOk('advance', await producer.advance(pushed.value));
      unconsumed.push(size);
    }
    producer.detach();
    const consumer = mustOk('attach', await Consumer.attach(device, { quirks }));
    let from = consumer.position;
    for (let left = s.consumed; left > 0 && unconsumed.length > 0; left--) {
      const popped = await consumer.pop({ from });
      if (popped.kind !== 'ok') break;
      from = popped.value.next;
      unconsumed.shift();
    }
    if (from !== consumer.position) mustOk('release', await consumer.advance(from));
    consumer.detach();
  }
  for (const d of s.damage) if (d.to === 'signature' || s.sectorCount > CONSUMER_SECTOR) await apply(device, d);
  return { device, unconsumed };
}

/** Undefined if a refusal's message names one of its causes' clues; else the violation in words. */
function refusalUnexplained(end: string, said: string, message: string | undefined, clues: readonly Clue[]): string | undefined {
  const unnamed = missingClues(message, clues);
  return unnamed === undefined ? undefined : `the ${end}'s attach said ${said}, but ${unnamed}`;
}

/** One end's attach against what the rules say; the violation in words, or undefined. */
async function checkAttach(end: 'producer' | 'consumer', device: MemoryBlockDevice, ctx: RunContext): Promise<string | undefined> {
  const quirks = builtinOf(ctx).ring;
  const before = device.snapshot();
  const want = expectedAttach(device.sectorSize, device.sectorCount, before);
  const ss = device.sectorSize;
  const sectorOf = (bytes: Uint8Array, n: number): Uint8Array => bytes.subarray(n * ss, (n + 1) * ss);
  if (end === 'consumer') {
    const got = await answer(() => Consumer.attach(device, { quirks }));
    const wrote = !sameBytes(before, device.snapshot());
    if (wrote) return `the consumer's attach (${got.said}) wrote to the device`;
    if (want.said !== 'ok') return got.said !== want.said ? `the consumer's attach said ${got.said}, not ${want.said}` : refusalUnexplained('consumer', got.said, got.message, want.clues);
    if (got.value === undefined) return `the consumer's attach said ${got.said}, not ok (C = ${want.C}, P = ${want.P})`;
    const consumer = got.value;
    if (consumer.position !== want.C) return `the consumer attached at ${consumer.position}, not at C = ${want.C}`;
    const state = await answer(() => consumer.state());
    consumer.detach();
    const wantState = want.producerFlag ? 'suspended' : 'running';
    return state.value === wantState ? undefined : `the consumer's state said ${state.said}${state.value === undefined ? '' : ` (${state.value})`}, not ${wantState} (the producer's flag is ${want.producerFlag ? 1 : 2})`;
  }
  const got = await answer(() => Producer.attach(device, { quirks }));
  const after = device.snapshot();
  if (want.said !== 'ok') {
    if (!sameBytes(before, after)) return `the producer's attach (${got.said}) wrote to the device though it should say ${want.said}`;
    return got.said !== want.said ? `the producer's attach said ${got.said}, not ${want.said}` : refusalUnexplained('producer', got.said, got.message, want.clues);
  }
  got.value?.detach();
  const wantSaid = want.consumerFlag ? 'suspended' : 'ok';
  if (got.said !== wantSaid) return `the producer's attach said ${got.said}, not ${wantSaid} (P = ${want.P}, C = ${want.C}, the consumer's flag is ${want.consumerFlag ? 1 : 2})`;
  if (got.value !== undefined && got.value.position !== want.P) return `the producer attached at ${got.value.position}, not at P = ${want.P}`;
  for (let n = 0; n < device.sectorCount; n++) {
    if (n !== PRODUCER_SECTOR && !sameBytes(sectorOf(before, n), sectorOf(after, n))) return `the producer's attach changed sector ${n}`;
  }
  const now = readControl(after, ss, PRODUCER_SECTOR);
  if ('faults' in now || now.position !== want.P || now.flag !== want.consumerFlag) {
    return `after the producer's attach its sector holds ${'faults' in now ? 'a corrupt record' : `position ${now.position}, flag ${now.flag ? 1 : 2}`}, not position ${want.P} with the consumer's flag ${want.consumerFlag ? 1 : 2}`;
  }
  if (want.producerFlag === want.consumerFlag && !sameBytes(sectorOf(before, PRODUCER_SECTOR), sectorOf(after, PRODUCER_SECTOR))) return `the producer's attach rewrote its sector though its flag already matched the consumer's`;
  return undefined;
}

/** Runs a scenario; the violation in words, or undefined. */
export async function runAttachValidation(s: AttachScenario, ctx: RunContext): Promise<string | undefined> {
  const { device } = await buildDevice(s, ctx);
  const order = s.producerFirst ? (['producer', 'consumer'] as const) : (['consumer', 'producer'] as const);
  for (const [i, end] of order.entries()) {
    const violation = await checkAttach(end, device, ctx);
    if (violation !== undefined) return `${end} attaching ${i === 0 ? 'first' : 'second'}: ${violation}`;
  }
  return undefined;
}

/** The scenario arbitrary: geometries on both sides of the limits, a little use, a little damage. */
export const attachScenarioArb: fc.Arbitrary<AttachScenario> = fc.record({
  sectorSize: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(512, 1024) }, { weight: 1, arbitrary: fc.constantFrom(256, 508, 510, 514, 1022) }),
  sectorCount: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 4, max: 6 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }),
  pushed: fc.array(fc.integer({ min: 0, max: 700 }), { maxLength: 4 }),
  consumed: fc.nat({ max: 4 }),
  damage: fc.array(damageArb, { maxLength: 3 }),
  producerFirst: fc.boolean(),
});

/** The attach-validation property. */
export const ringAttachValidation: PropertyDef = {
  suite: 'ring',
  requires: ['builtin'],
  name: 'attach-validation',
  description: 'attach checks geometry, signature and both control records (positions multiples of 4 below 2^53, flags 1 or 2, C <= P <= C + T) and reports what it read; a refused attach writes nothing',
  defaultRuns: 1000,
  testRuns: 150,
  build: (ctx) =>
    fc.asyncProperty(attachScenarioArb, async (scenario) => {
      const violation = await runAttachValidation(scenario, ctx);
      if (violation !== undefined) throw new Error(violation);
    }) as unknown as fc.IAsyncProperty<never>,
};
