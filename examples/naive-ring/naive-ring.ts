/**
 * A naive block ring: a single-producer, single-consumer queue of byte items on a block device.
 *
 *   control sectors   where the producer and the consumer are (one sector each, or two copies each)
 *   data sectors      the rest of the device: one circular area of `capacity` bytes
 *
 * A position is a count of bytes since the ring was created: the producer position counts the
 * bytes published, the consumer position the bytes consumed; both only grow. Byte `p` of the
 * ring's history lives at offset `p % capacity` of the data area, so the producer may use
 * `capacity - (producer - consumer)` more bytes. A position sector stores the position as a
 * block ring's head is often drawn: the data sector and the byte in it where the next record
 * goes (or the next pop reads), and the lap (how many times the area wrapped).
 *
 * An item is a record: a 4-byte little-endian length, then its bytes. A record may wrap around the
 * end of the data area (into its first sector). Push writes the record (read-modify-write of the
 * sectors it only partly covers), then the new producer position; pop reads the record at the
 * consumer handle's cursor if the cursor is behind the producer position; advance writes the
 * cursor as the consumer position.
 *
 * How careful the ring is about durability, torn sectors and wrapping is chosen by
 * {@link NaiveRingOptions}: {@link CARELESS} is the ring as it is often first written,
 * {@link CAREFUL} is the fixed one. Every device access goes through the given
 * {@link BlockDevice}; nothing here reads a clock or a random number.
 *
 * The calls of one handle are serialised (each waits for the one before it). The producer and
 * the consumer are separate handles, and a push running at the same time as an advance could see
 * a consumer position the advance wrote but did not yet flush: the ring assumes the two ends do
 * not call at the same instant (they may interleave call by call, as spoolcheck's ring properties do).
 */
import type { BlockDevice } from '../../impl/io/block-device.ts';

/** What the ring does to be safe; each switch fixes one bug of the careless version. */
export interface NaiveRingOptions {
  /**
   * Flush the device after writing an item's data sectors and before writing the producer
   * position that publishes it. Without it, a power cut can persist the new producer position
   * but not the data (unflushed writes land in any order): a published item comes back as
   * whatever the sectors held before (zeros, or old items' bytes).
   */
  readonly flushBeforePublish: boolean;
  /**
   * Flush the device after writing the producer position (push) or the consumer position
   * (advance), before the call resolves. Without it, an acknowledged call is only in the
   * device's volatile cache: after a power cut a pushed item vanishes, or items consumed by an
   * advance that returned come back.
   */
  readonly flushAfterPublish: boolean;
  /**
   * Keep each position in two alternating copies (sectors 0 and 1 for the producer, 2 and 3 for
   * the consumer), each with a sequence number and an FNV-1a checksum; recovery takes the valid
   * copy with the highest sequence number, and a write always goes to the other copy, so a torn
   * write can only lose the position being written, never the one before it. Without it each
   * position has one sector (0 for the producer, 1 for the consumer), rewritten in place: its
   * data sector and its byte in that sector sit in different 8-byte granules, so a position write
   * that moves to another data sector (a push of a record that crosses a sector boundary, an
   * advance past one), torn at 8-byte granules, leaves the new sector with the old byte or the
   * other way round: a position up to a sector too far (the consumer pops bytes nobody pushed)
   * or too short (inside the last acknowledged record, which is lost, or behind the consumer).
   */
  readonly checksummedHeader: boolean;
  /**
   * Copy the part of a record that wraps to the start of the data area from where the first part
   * ended. Off, the writer copies it from the record's start (`record.subarray(0, rest)` where
   * `record.subarray(first)` was meant): every record that wraps is stored with its beginning
   * (length header included) repeated in place of its tail, so its item comes back wrong, or its
   * length is garbage and the ring reports itself corrupt.
   */
  readonly wrapCorrectly: boolean;
  /**
   * After a failed write of its own position, read the position back (the write may have landed
   * all the same: an ambiguous write) and go on from what the device holds. Without it, a
   * producer whose position landed while it believed otherwise writes the next record over the
   * published one and publishes a position behind the consumer's. (When the read-back fails as
   * well, the next push reads the position before anything else.)
   */
  readonly rereadAfterFailedWrite: boolean;
  /**
   * When the flush after a written producer position fails, go on from the new position all the
   * same: the position was written (reads see it), only its durability is in doubt. Without it,
   * the producer keeps its old position after the failed push, so its next record overwrites the
   * one the consumer may already have read, and the consumer, past that record, pops the middle
   * of the new one as an item.
   */
  readonly keepPositionAfterFailedFlush: boolean;
}

/** The ring as first written: no flushes, one unchecked position sector each, the wrap bug. */
export const CARELESS: NaiveRingOptions = {
  flushBeforePublish: false,
  flushAfterPublish: false,
  checksummedHeader: false,
  wrapCorrectly: false,
  rereadAfterFailedWrite: false,
  keepPositionAfterFailedFlush: false,
};

/** The fixed ring: every switch on. */
export const CAREFUL: NaiveRingOptions = {
  flushBeforePublish: true,
  flushAfterPublish: true,
  checksummedHeader: true,
  wrapCorrectly: true,
  rereadAfterFailedWrite: true,
  keepPositionAfterFailedFlush: true,
};

/** The ring on the device is not one this code wrote, or is damaged: a position or a length is impossible. */
export class NaiveRingCorruptError extends Error {
  constructor(detail: string) {
    super(`naive-ring: corrupt ring: ${detail}`);
    this.name = 'NaiveRingCorruptError';
  }
}

/** Bytes of a record's length header. */
const LENGTH_BYTES = 4;
/** The largest item length a length header holds. */
const MAX_ITEM_BYTES = 0xffff_ffff;

/**
 * Position sector fields: byte offsets of little-endian u32s. `sector` (of the data area) and
 * `byte` (in it) are where the position is, `lap` how many times it wrapped; `seq` and
 * `checksum` are written (and checked) only with `checksummedHeader`.
 */
const FIELD = { magic: 0, sector: 4, byte: 8, lap: 12, seq: 16, checksum: 20 } as const;
/** Bytes of a position sector in use (the rest is zeros). */
const POSITION_BYTES = 24;
/** The bytes the checksum covers: every field before it. */
const CHECKSUMMED_BYTES = FIELD.checksum;

/** Whose position a position sector holds, and the magic number that marks it. */
type Role = 'producer' | 'consumer';
const MAGIC: Readonly<Record<Role, number>> = { producer: 0x5047_4e52 /* "RNGP" */, consumer: 0x4347_4e52 /* "RNGC" */ };

/** Where everything is on a device, for one set of options. */
interface Layout {
  readonly sectorSize: number;
  /** The sectors holding each role's position: one, or two alternating copies. */
  readonly positionSectors: Readonly<Record<Role, readonly number[]>>;
  /** The first sector of the data area (which runs to the end of the device). */
  readonly dataStart: number;
  /** Bytes of the data area. */
  readonly capacity: number;
  /** Whether position sectors carry a checked sequence number and checksum. */
  readonly checksummed: boolean;
}

/** The layout of a ring on `device` with `options`; throws an Error for a device too small or oddly sized. */
function layoutOf(device: BlockDevice, options: NaiveRingOptions): Layout {
  const copies = options.checksummedHeader ? 2 : 1;
  const sectors = (first: number): number[] => Array.from({ length: copies }, (_, i) => first + i);
  const dataStart = 2 * copies;
  const { sectorSize, sectorCount } = device;
  if (sectorSize < POSITION_BYTES || sectorSize % 4 !== 0) throw new Error(`naive-ring: a sector must be a multiple of 4 bytes and at least ${POSITION_BYTES}, got ${sectorSize}`);
  if (sectorCount <= dataStart) throw new Error(`naive-ring: the device needs more than ${dataStart} sectors, it has ${sectorCount}`);
  return {
    sectorSize,
    positionSectors: { producer: sectors(0), consumer: sectors(copies) },
    dataStart,
    capacity: (sectorCount - dataStart) * sectorSize,
    checksummed: options.checksummedHeader,
  };
}

/** 32-bit FNV-1a of `bytes`. */
export function fnv1a32(bytes: Uint8Array): number {
  let hash = 0x811c_9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x0100_0193) >>> 0;
  return hash;
}

/** A position as stored: the value and the sequence number of the copy it came from. */
interface StoredPosition {
  readonly position: number;
  readonly seq: number;
}

/** The sector holding `role`'s `position` as copy number `seq` (seq and checksum zero when not checksummed). */
function encodePosition(layout: Layout, role: Role, { position, seq }: StoredPosition): Uint8Array {
  const lap = Math.floor(position / layout.capacity);
  if (lap > 0xffff_ffff) throw new Error(`naive-ring: position ${position} is past the last lap`);
  const offset = position % layout.capacity;
  const sector = new Uint8Array(layout.sectorSize);
  const view = new DataView(sector.buffer);
  view.setUint32(FIELD.magic, MAGIC[role], true);
  view.setUint32(FIELD.sector, Math.floor(offset / layout.sectorSize), true);
  view.setUint32(FIELD.byte, offset % layout.sectorSize, true);
  view.setUint32(FIELD.lap, lap, true);
  if (layout.checksummed) {
    view.setUint32(FIELD.seq, seq, true);
    view.setUint32(FIELD.checksum, fnv1a32(sector.subarray(0, CHECKSUMMED_BYTES)), true);
  }
  return sector;
}

/** The position `sector` holds for `role`, or undefined when it holds none (wrong magic, sector or byte out of range, bad checksum). */
function decodePosition(layout: Layout, role: Role, sector: Uint8Array): StoredPosition | undefined {
  const view = new DataView(sector.buffer, sector.byteOffset, sector.byteLength);
  const field = (at: number): number => view.getUint32(at, true);
  if (field(FIELD.magic) !== MAGIC[role] || field(FIELD.sector) >= layout.capacity / layout.sectorSize || field(FIELD.byte) >= layout.sectorSize) return undefined;
  if (layout.checksummed && field(FIELD.checksum) !== fnv1a32(sector.subarray(0, CHECKSUMMED_BYTES))) return undefined;
  const position = field(FIELD.lap) * layout.capacity + field(FIELD.sector) * layout.sectorSize + field(FIELD.byte);
  return { position, seq: layout.checksummed ? field(FIELD.seq) : 0 };
}

/**
 * One role's position on the device: its one sector, or its two alternating copies. `load`
 * recovers it (the valid copy with the highest sequence number) and remembers which copy that
 * was; `store` writes the next sequence number to the other copy (or over the one sector).
 */
class PositionCell {
  readonly #device: BlockDevice;
  readonly #layout: Layout;
  readonly #role: Role;
  /** The copy holding the current position, and its sequence number. */
  #slot = 0;
  #seq = 0;

  constructor(device: BlockDevice, layout: Layout, role: Role) {
    this.#device = device;
    this.#layout = layout;
    this.#role = role;
  }

  get #sectors(): readonly number[] {
    return this.#layout.positionSectors[this.#role];
  }

  /** Writes position 0 as copy 0 and zeros over the other copy (not flushed). */
  async format(): Promise<void> {
    for (const [slot, sector] of this.#sectors.entries()) {
      await this.#device.write(sector, slot === 0 ? encodePosition(this.#layout, this.#role, { position: 0, seq: 0 }) : new Uint8Array(this.#layout.sectorSize));
    }
    this.#slot = 0;
    this.#seq = 0;
  }

  /** The current position; throws a {@link NaiveRingCorruptError} when no copy holds one. */
  async load(): Promise<number> {
    let best: (StoredPosition & { slot: number }) | undefined;
    for (const [slot, sector] of this.#sectors.entries()) {
      const stored = decodePosition(this.#layout, this.#role, await this.#device.read(sector));
      if (stored !== undefined && (best === undefined || stored.seq > best.seq)) best = { ...stored, slot };
    }
    if (best === undefined) throw new NaiveRingCorruptError(`no valid ${this.#role} position in sector(s) ${this.#sectors.join(', ')}`);
    this.#slot = best.slot;
    this.#seq = best.seq;
    return best.position;
  }

  /** Writes `position` as the next copy (not flushed). */
  async store(position: number): Promise<void> {
    const slot = (this.#slot + 1) % this.#sectors.length;
    const seq = (this.#seq + 1) >>> 0;
    await this.#device.write(this.#sectors[slot] as number, encodePosition(this.#layout, this.#role, { position, seq }));
    this.#slot = slot;
    this.#seq = seq;
  }
}

/** Throws a {@link NaiveRingCorruptError} unless the consumer is behind the producer by at most the capacity. */
function checkPositions(layout: Layout, producer: number, consumer: number): void {
  if (consumer > producer || producer - consumer > layout.capacity) {
    throw new NaiveRingCorruptError(`producer position ${producer} and consumer position ${consumer} are not 0..${layout.capacity} bytes apart`);
  }
}

/** A contiguous part of a ring byte range: `length` bytes at data-area `offset`, bytes `from..` of the range. */
interface Piece {
  readonly offset: number;
  readonly from: number;
  readonly length: number;
}

/** The pieces `length` bytes from ring position `position` occupy: one, or two when they wrap past the end. */
function piecesOf(layout: Layout, position: number, length: number): Piece[] {
  const offset = position % layout.capacity;
  const first = Math.min(length, layout.capacity - offset);
  const pieces = [{ offset, from: 0, length: first }];
  if (first < length) pieces.push({ offset: 0, from: first, length: length - first });
  return pieces;
}

/** One sector's share of a piece: `count` bytes at `within` of `sector`, bytes `done..` of the piece. */
interface SectorRun {
  readonly sector: number;
  readonly within: number;
  readonly count: number;
  readonly done: number;
}

/** The sectors a piece covers, in order. */
function* sectorRuns(layout: Layout, piece: Piece): Generator<SectorRun> {
  for (let done = 0; done < piece.length; ) {
    const at = piece.offset + done;
    const within = at % layout.sectorSize;
    const count = Math.min(layout.sectorSize - within, piece.length - done);
    yield { sector: layout.dataStart + Math.floor(at / layout.sectorSize), within, count, done };
    done += count;
  }
}

/** Reads `length` bytes of the data area from ring position `position` (wrapping). */
async function readRange(device: BlockDevice, layout: Layout, position: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  for (const piece of piecesOf(layout, position, length)) {
    for (const run of sectorRuns(layout, piece)) {
      const sector = await device.read(run.sector);
      bytes.set(sector.subarray(run.within, run.within + run.count), piece.from + run.done);
    }
  }
  return bytes;
}

/**
 * Writes `bytes` into the data area from ring position `position` (wrapping; the wrapped piece
 * taken from the wrong place unless `wrapCorrectly`). A sector only partly covered is read,
 * patched and written back, so its other bytes stay as they were.
 */
async function writeRange(device: BlockDevice, layout: Layout, position: number, bytes: Uint8Array, wrapCorrectly: boolean): Promise<void> {
  for (const piece of piecesOf(layout, position, bytes.length)) {
    const source = bytes.subarray(wrapCorrectly ? piece.from : 0);
    for (const run of sectorRuns(layout, piece)) {
      const sector = run.count === layout.sectorSize ? new Uint8Array(layout.sectorSize) : await device.read(run.sector);
      sector.set(source.subarray(run.done, run.done + run.count), run.within);
      await device.write(run.sector, sector);
    }
  }
}

/** A record: the 4-byte little-endian length of `item`, then `item`. */
function recordOf(item: Uint8Array): Uint8Array {
  const record = new Uint8Array(LENGTH_BYTES + item.length);
  new DataView(record.buffer).setUint32(0, item.length, true);
  record.set(item, LENGTH_BYTES);
  return record;
}

/** Runs the calls given to it one after another (a failed call does not stop the next). */
function serialiser(): <T>(call: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(call: () => Promise<T>): Promise<T> => {
    const next = last.then(call, call);
    last = next.catch(() => {});
    return next;
  };
}

/** Formats an empty ring on `device`: both positions 0, flushed (whatever `options` say about flushing). */
export async function createRing(device: BlockDevice, options: NaiveRingOptions): Promise<void> {
  const layout = layoutOf(device, options);
  await new PositionCell(device, layout, 'producer').format();
  await new PositionCell(device, layout, 'consumer').format();
  await device.flush();
}

/** The producer end of a ring: appends items. */
export class NaiveRingProducer {
  readonly #device: BlockDevice;
  readonly #layout: Layout;
  readonly #options: NaiveRingOptions;
  readonly #own: PositionCell;
  readonly #consumer: PositionCell;
  readonly #serialised = serialiser();
  /** Bytes published: where the next record goes. */
  #position: number;
  /** True when a failed position write could not be read back either: the next push reads it first. */
  #inDoubt = false;

  private constructor(device: BlockDevice, layout: Layout, options: NaiveRingOptions, own: PositionCell, consumer: PositionCell, position: number) {
    this.#device = device;
    this.#layout = layout;
    this.#options = options;
    this.#own = own;
    this.#consumer = consumer;
    this.#position = position;
  }

  /** Attaches the producer of the ring on `device` (after a crash, this is its recovery: it goes on after the last published item). */
  static async attach(device: BlockDevice, options: NaiveRingOptions): Promise<NaiveRingProducer> {
    const layout = layoutOf(device, options);
    const own = new PositionCell(device, layout, 'producer');
    const consumer = new PositionCell(device, layout, 'consumer');
    const position = await own.load();
    checkPositions(layout, position, await consumer.load());
    return new NaiveRingProducer(device, layout, options, own, consumer, position);
  }

  /** Appends `item`: `'ok'` once its producer position is written (and flushed, with `flushAfterPublish`); `'full'` when there is no room. */
  push(item: Uint8Array): Promise<'ok' | 'full'> {
    return this.#serialised(async () => {
      if (this.#inDoubt) {
        this.#position = await this.#own.load();
        this.#inDoubt = false;
      }
      const consumer = await this.#consumer.load();
      checkPositions(this.#layout, this.#position, consumer);
      const free = this.#layout.capacity - (this.#position - consumer);
      if (item.length > MAX_ITEM_BYTES || LENGTH_BYTES + item.length > free) return 'full';
      const record = recordOf(item);
      await writeRange(this.#device, this.#layout, this.#position, record, this.#options.wrapCorrectly);
      if (this.#options.flushBeforePublish) await this.#device.flush();
      try {
        await this.#own.store(this.#position + record.length);
      } catch (err) {
        if (this.#options.rereadAfterFailedWrite) {
          // The read-back may fail too: then the next push reads the position first.
          this.#inDoubt = true;
          this.#position = await this.#own.load();
          this.#inDoubt = false;
        }
        throw err;
      }
      if (this.#options.flushAfterPublish) {
        try {
          await this.#device.flush();
        } catch (err) {
          if (this.#options.keepPositionAfterFailedFlush) this.#position += record.length;
          throw err;
        }
      }
      this.#position += record.length;
      return 'ok';
    });
  }
}

/** The consumer end of a ring: reads items in order, then consumes them. */
export class NaiveRingConsumer {
  readonly #device: BlockDevice;
  readonly #layout: Layout;
  readonly #options: NaiveRingOptions;
  readonly #own: PositionCell;
  readonly #producer: PositionCell;
  readonly #serialised = serialiser();
  /** Where the next pop reads: after every item this handle popped. */
  #cursor: number;
  /** The consumer position last written (the items before it are consumed). */
  #consumed: number;

  private constructor(device: BlockDevice, layout: Layout, options: NaiveRingOptions, own: PositionCell, producer: PositionCell, position: number) {
    this.#device = device;
    this.#layout = layout;
    this.#options = options;
    this.#own = own;
    this.#producer = producer;
    this.#cursor = position;
    this.#consumed = position;
  }

  /** Attaches the consumer of the ring on `device` (after a crash, this is its recovery: it starts at the first item not consumed). */
  static async attach(device: BlockDevice, options: NaiveRingOptions): Promise<NaiveRingConsumer> {
    const layout = layoutOf(device, options);
    const own = new PositionCell(device, layout, 'consumer');
    const producer = new PositionCell(device, layout, 'producer');
    const position = await own.load();
    checkPositions(layout, await producer.load(), position);
    return new NaiveRingConsumer(device, layout, options, own, producer, position);
  }

  /**
   * The next published item after those this handle popped, or `undefined` when there is none;
   * throws a {@link NaiveRingCorruptError} when its length runs past the published bytes.
   */
  pop(): Promise<Uint8Array | undefined> {
    return this.#serialised(async () => {
      const producer = await this.#producer.load();
      checkPositions(this.#layout, producer, this.#cursor);
      const available = producer - this.#cursor;
      if (available === 0) return undefined;
      const header = await readRange(this.#device, this.#layout, this.#cursor, LENGTH_BYTES);
      const length = new DataView(header.buffer).getUint32(0, true);
      if (available < LENGTH_BYTES || length > available - LENGTH_BYTES) {
        throw new NaiveRingCorruptError(`the item at position ${this.#cursor} has length ${length}, but only ${available} bytes are published`);
      }
      const item = await readRange(this.#device, this.#layout, this.#cursor + LENGTH_BYTES, length);
      this.#cursor += LENGTH_BYTES + length;
      return item;
    });
  }

  /** Consumes every item this handle popped: writes the cursor as the consumer position (and flushes, with `flushAfterPublish`). */
  advance(): Promise<void> {
    return this.#serialised(async () => {
      if (this.#cursor === this.#consumed) return;
      const cursor = this.#cursor;
      try {
        await this.#own.store(cursor);
      } catch (err) {
        if (this.#options.rereadAfterFailedWrite) this.#consumed = await this.#own.load();
        throw err;
      }
      if (this.#options.flushAfterPublish) await this.#device.flush();
      this.#consumed = cursor;
    });
  }
}
