/**
 * The producer end of the block ring (docs/ring-protocol.md, docs/ring-protocol.md "Producer"): push writes an
 * item into free space without publishing it; advance publishes it by writing sector 1. Every
 * call first honours the consumer's suspend request (the handshake of docs/ring-protocol.md), advance
 * included, so that no item is published once the consumer has seen the ring suspended.
 */
import type { BlockDevice } from '../io/block-device.ts';
import { flushDevice, isInitialised, readSector, scratchOf, writeSector } from './device-io.ts';
import {
  checkPositions,
  CONSUMER_SECTOR,
  decodeControl,
  encodeControl,
  geometryOf,
  itemBytes,
  MAX_ITEM_BYTES,
  PRODUCER_SECTOR,
  sectorOfByte,
  type Geometry,
} from './format.ts';
import { rereadControl } from './control-reread.ts';
import { HandleLock } from './handle-lock.ts';
import type { RingQuirks } from './quirks.ts';
import { resultText, ringError, ringOk, SUSPENDED, RETRY, type RingResult, type RingState } from './result.ts';

/** Who uses the ring, for the debug lines of the control sectors. */
export interface RingUser {
  readonly queue?: string;
  readonly client?: string;
  /** Bugs to switch on (tests of the harness only). */
  readonly quirks?: RingQuirks;
}

/** Raw control values, as `debugInfo` reports them. */
export interface RingDebugInfo {
  readonly producerOffset: bigint;
  readonly suspendAck: number;
  readonly consumerOffset: bigint;
  readonly suspend: number;
}

/** Reads both control sectors raw (shared by both ends' `debugInfo`). */
export async function readDebugInfo(device: BlockDevice): Promise<RingResult<RingDebugInfo>> {
  const p = await readSector(device, PRODUCER_SECTOR);
  if (p.kind !== 'ok') return p;
  const c = await readSector(device, CONSUMER_SECTOR);
  if (c.kind !== 'ok') return c;
  const view = (s: Uint8Array): DataView => new DataView(s.buffer, s.byteOffset, s.byteLength);
  return ringOk({
    producerOffset: view(p.value).getBigUint64(0, true),
    suspendAck: p.value[8] ?? 0,
    consumerOffset: view(c.value).getBigUint64(0, true),
    suspend: c.value[8] ?? 0,
  });
}

/** A producer handle. Open with {@link Producer.attach}. */
export class Producer {
  readonly #device: BlockDevice;
  readonly #g: Geometry;
  readonly #queue: string;
  readonly #client: string;
  readonly #quirks: RingQuirks;
  /** Last published position. */
  #position: number;
  /** Our last written suspend_ack. */
  #ack: boolean;
  /** Position returned by the last push since the last advance. */
  #pending: number | undefined;
  #attached = true;
  /** True after a failed control write whose sector could not be read back: the next call reads it first. */
  #uncertain = false;
  readonly #lock = new HandleLock();

  private constructor(device: BlockDevice, g: Geometry, user: RingUser, position: number, ack: boolean) {
    this.#device = device;
    this.#g = g;
    this.#queue = user.queue ?? 'unknown';
    this.#client = user.client ?? 'unknown';
    this.#quirks = user.quirks ?? {};
    this.#position = position;
    this.#ack = ack;
  }

  /**
   * Attaches to the ring on `device`: `notInitialised` without signature, `corrupt` for bad
   * control sectors, `suspended` if the consumer has asked the producer to stop (after
   * acknowledging it, as the original).
   */
  static async attach(device: BlockDevice, user: RingUser = {}): Promise<RingResult<Producer>> {
    const g = geometryOf(device);
    if (g.kind !== 'ok') return g;
    const initialised = await isInitialised(device);
    if (initialised.kind !== 'ok') return initialised;
    if (!initialised.value) return ringError('notInitialised', `${device.description} holds no ring: sector 0 lacks the signature (create the ring first)`);
    const sector = await readSector(device, PRODUCER_SECTOR);
    if (sector.kind !== 'ok') return sector;
    // Stryker disable next-line all: quirk selection (which buggy variant runs), not product behaviour
    const control = decodeControl(sector.value, 'producer', user.quirks?.lenientFlagByte === true);
    if (control.kind !== 'ok') return control;
    const producer = new Producer(device, g.value, user, control.value.position, control.value.flag);
    const check = await producer.#suspendCheck();
    if (check.kind !== 'ok') return check;
    return check.value ? SUSPENDED : ringOk(producer);
  }

  /** The position the next push writes at (the last published position). */
  get position(): number {
    return this.#position;
  }

  /**
   * Reads the consumer's sector; if its suspend flag differs from our ack, writes our sector with
   * the new ack. Returns whether the ring is suspended, and the consumer position.
   */
  async #suspendCheck(): Promise<RingResult<boolean> & { consumer?: number }> {
    const sector = await this.#read(CONSUMER_SECTOR);
    if (sector.kind !== 'ok') return sector;
    // Stryker disable next-line all: quirk selection (which buggy variant runs), not product behaviour
    const consumer = decodeControl(sector.value, 'consumer', this.#quirks.lenientFlagByte === true);
    if (consumer.kind !== 'ok') return consumer;
    const positions = checkPositions(this.#g, this.#position, consumer.value.position);
    if (positions.kind !== 'ok') return positions;
    if (consumer.value.flag !== this.#ack) {
      const written = await this.#writeControl(this.#position, consumer.value.flag);
      if (written.kind !== 'ok') return written;
    }
    return { ...ringOk(consumer.value.flag), consumer: consumer.value.position };
  }

  /**
   * Writes our sector. When the write fails it may have landed all the same (an ambiguous write):
   * the sector is read back and what it holds adopted (`control-reread.ts`); the write counts as
   * done when it holds what was written.
   */
  async #writeControl(position: number, ack: boolean): Promise<RingResult<void>> {
    const r = await writeSector(this.#device, PRODUCER_SECTOR, encodeControl(this.#g.sectorSize, 'producer', { position, flag: ack }, this.#queue, this.#client));
    if (r.kind === 'ok') {
      this.#position = position;
      this.#ack = ack;
      return r;
    }
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    if (this.#quirks.noRereadAfterFailedWrite === true) return r;
    const held = await this.#reread();
    return held.kind === 'ok' && this.#position === position && this.#ack === ack ? ringOk(undefined) : r;
  }

  /** Reads our sector back and adopts it; an error (and the next call tries again) when it cannot be read or decoded. */
  async #reread(): Promise<RingResult<void>> {
    const held = await rereadControl(this.#device, PRODUCER_SECTOR, 'producer');
    this.#uncertain = held.kind !== 'ok';
    if (held.kind !== 'ok') return held;
    if (this.#pending !== undefined && held.value.position === this.#pending) this.#pending = undefined;
    this.#position = held.value.position;
    this.#ack = held.value.flag;
    return ringOk(undefined);
  }

  /** Reads a sector (into the shared scratch buffer under quirk RB-2). */
  #read(sector: number): Promise<RingResult<Uint8Array>> {
    // Stryker disable next-line all: quirk selection (which buggy variant runs), not product behaviour
    return readSector(this.#device, sector, this.#quirks.sharedScratchBuffer === true ? scratchOf(this.#device) : undefined, this.#quirks.readErrorsAsZeros === true);
  }

  /**
   * Runs one call alone on this handle (not under quirks RB-2 and RB-3, as the historic bugs),
   * after reading our sector back if an earlier failed write left it in doubt.
   */
  #serial<T>(f: () => Promise<RingResult<T>>): Promise<RingResult<T>> {
    const call = async (): Promise<RingResult<T>> => {
      if (this.#uncertain) {
        const held = await this.#reread();
        if (held.kind !== 'ok') return ringError('io', `the producer sector of ${this.#device.description} cannot be read back after a failed write: ${resultText(held)}`);
      }
      return f();
    };
    // Stryker disable next-line all: quirk selection (which buggy variant runs), not product behaviour
    return this.#lock.run(call, this.#quirks.sharedScratchBuffer === true || this.#quirks.staleControlRecord === true);
  }

  #detached(call: string): RingResult<never> | undefined {
    return this.#attached ? undefined : ringError('detached', `producer ${call} on a detached handle`);
  }

  /**
   * Writes `item` at the producer position without publishing it; returns the position after it,
   * to pass to {@link advance}. `retry` when there is no room now, `suspended` when the consumer
   * asked to stop, `tooLarge` when the item can never fit.
   */
  push(item: Uint8Array): Promise<RingResult<number>> {
    return this.#serial(() => this.#pushNow(item));
  }

  async #pushNow(item: Uint8Array): Promise<RingResult<number>> {
    const detached = this.#detached('push');
    if (detached !== undefined) return detached;
    if (item.length > MAX_ITEM_BYTES) return ringError('tooLarge', `an item of ${item.length} bytes is 2^31 bytes or more`);
    const check = await this.#suspendCheck();
    if (check.kind !== 'ok') return check;
    if (check.value) return SUSPENDED;
    const needed = itemBytes(item.length);
    if (needed > this.#g.capacity) return ringError('tooLarge', `an item of ${item.length} bytes needs ${needed} bytes; the ring holds ${this.#g.capacity}`);
    const used = this.#position - (check.consumer ?? 0);
    if (this.#g.capacity - used < needed) return RETRY;
    const written = await this.#writeItem(this.#position, item);
    if (written.kind !== 'ok') return written;
    this.#pending = this.#position + needed;
    return ringOk(this.#pending);
  }

  /**
   * Writes header and payload at stream position `at`, sector by sector: a sector the item covers
   * only in part by read-modify-write (its other bytes stay), a sector it covers whole without
   * reading it first.
   */
  async #writeItem(at: number, item: Uint8Array): Promise<RingResult<void>> {
    const ss = this.#g.sectorSize;
    const bytes = new Uint8Array(4 + item.length);
    new DataView(bytes.buffer).setUint32(0, item.length, true);
    bytes.set(item, 4);
    let done = 0;
    while (done < bytes.length) {
      // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      const x = this.#quirks.positions32Bit === true ? (at + done) >>> 0 : at + done;
      const offset = x % ss;
      const count = Math.min(ss - offset, bytes.length - done);
      const sectorNumber = sectorOfByte(this.#g, x);
      const sector = count === ss ? ringOk(new Uint8Array(ss)) : await this.#read(sectorNumber);
      if (sector.kind !== 'ok') return sector;
      sector.value.set(bytes.subarray(done, done + count), offset);
      const w = await writeSector(this.#device, sectorNumber, sector.value);
      if (w.kind !== 'ok') return w;
      done += count;
    }
    return ringOk(undefined);
  }

  /**
   * Publishes the item of the last push: `position` must be what that push returned (or the
   * current position: nothing to do). Flushes the item, re-checks the suspend request (suspended:
   * nothing is published), writes sector 1, flushes.
   */
  advance(position: number): Promise<RingResult<void>> {
    return this.#serial(() => this.#advanceNow(position));
  }

  async #advanceNow(position: number): Promise<RingResult<void>> {
    // Quirk RB-3 writes the ack this call started with, whatever happened meanwhile.
    const startAck = this.#ack;
    const detached = this.#detached('advance');
    if (detached !== undefined) return detached;
    if (position === this.#position) return ringOk(undefined);
    if (position !== this.#pending) {
      return ringError('badPosition', `producer advance to ${position}: the last push returned ${this.#pending ?? 'nothing'} and the producer is at ${this.#position}`);
    }
    if (this.#quirks.noFlushBeforePublish !== true) {
      const f = await flushDevice(this.#device);
      if (f.kind !== 'ok') return f;
    }
    if (this.#quirks.advanceIgnoresSuspend !== true) {
      const check = await this.#suspendCheck();
      if (check.kind !== 'ok') return check;
      if (check.value) return SUSPENDED;
    }
    // Stryker disable next-line all: quirk selection (which buggy variant runs), not product behaviour
    const w = await this.#writeControl(position, this.#quirks.staleControlRecord === true ? startAck : this.#ack);
    if (w.kind !== 'ok') return w;
    this.#pending = undefined;
    return flushDevice(this.#device);
  }

  /** `running` or `suspended`, acknowledging a changed request as a side effect. */
  state(): Promise<RingResult<RingState>> {
    return this.#serial(() => this.#stateNow());
  }

  async #stateNow(): Promise<RingResult<RingState>> {
    const detached = this.#detached('state');
    if (detached !== undefined) return detached;
    const check = await this.#suspendCheck();
    if (check.kind !== 'ok') return check;
    return ringOk(check.value ? 'suspended' : 'running');
  }

  /** Refuses every later call. */
  detach(): void {
    this.#attached = false;
  }

  /** The raw control values. */
  debugInfo(): Promise<RingResult<RingDebugInfo>> {
    return readDebugInfo(this.#device);
  }
}
