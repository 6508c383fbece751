/**
 * The consumer end of the block ring (docs/ring-protocol.md, docs/ring-protocol.md "Consumer"): pop reads the
 * next published item without consuming it; advance releases space by writing sector 2; suspend
 * and resume drive the handshake of docs/ring-protocol.md. A length header that claims more than was
 * published is reported as `corrupt`, never returned as an item.
 */
import type { BlockDevice } from '../io/block-device.ts';
import { flushDevice, isInitialised, readSector, scratchOf, writeSector } from './device-io.ts';
import { checkPositions, CONSUMER_SECTOR, decodeControl, encodeControl, geometryOf, itemBytes, PRODUCER_SECTOR, sectorOfByte, type Geometry } from './format.ts';
import { readDebugInfo, type RingDebugInfo, type RingUser } from './producer.ts';
import { rereadControl } from './control-reread.ts';
import { HandleLock } from './handle-lock.ts';
import type { RingQuirks } from './quirks.ts';
import { RETRY, resultText, ringError, ringOk, type Popped, type RingResult, type RingState } from './result.ts';

/** A consumer handle. Open with {@link Consumer.attach}. */
export class Consumer {
  readonly #device: BlockDevice;
  readonly #g: Geometry;
  readonly #queue: string;
  readonly #client: string;
  readonly #quirks: RingQuirks;
  /** Last released position. */
  #position: number;
  /** Our last written suspend flag. */
  #suspend: boolean;
  #attached = true;
  /** True after a failed control write whose sector could not be read back: the next call reads it first. */
  #uncertain = false;
  readonly #lock = new HandleLock();

  private constructor(device: BlockDevice, g: Geometry, user: RingUser, position: number, suspend: boolean) {
    this.#device = device;
    this.#g = g;
    this.#queue = user.queue ?? 'unknown';
    this.#client = user.client ?? 'unknown';
    this.#quirks = user.quirks ?? {};
    this.#position = position;
    this.#suspend = suspend;
  }

  /** Attaches to the ring on `device` (`notInitialised`, `corrupt` for bad control sectors). */
  static async attach(device: BlockDevice, user: RingUser = {}): Promise<RingResult<Consumer>> {
    const g = geometryOf(device);
    if (g.kind !== 'ok') return g;
    const initialised = await isInitialised(device);
    if (initialised.kind !== 'ok') return initialised;
    if (!initialised.value) return ringError('notInitialised', `${device.description} holds no ring: sector 0 lacks the signature (create the ring first)`);
    const sector = await readSector(device, CONSUMER_SECTOR);
    if (sector.kind !== 'ok') return sector;
    // Stryker disable next-line all: quirk selection (which buggy variant runs), not product behaviour
    const control = decodeControl(sector.value, 'consumer', user.quirks?.lenientFlagByte === true);
    if (control.kind !== 'ok') return control;
    const consumer = new Consumer(device, g.value, user, control.value.position, control.value.flag);
    const producer = await consumer.#readProducer();
    if (producer.kind !== 'ok') return producer;
    return ringOk(consumer);
  }

  /** The last released position. */
  get position(): number {
    return this.#position;
  }

  /** Reads and validates the producer's sector: its position and suspend_ack. */
  async #readProducer(): Promise<RingResult<{ position: number; ack: boolean }>> {
    const sector = await this.#read(PRODUCER_SECTOR);
    if (sector.kind !== 'ok') return sector;
    // Stryker disable next-line all: quirk selection (which buggy variant runs), not product behaviour
    const control = decodeControl(sector.value, 'producer', this.#quirks.lenientFlagByte === true);
    if (control.kind !== 'ok') return control;
    const positions = checkPositions(this.#g, control.value.position, this.#position);
    if (positions.kind !== 'ok') return positions;
    return ringOk({ position: control.value.position, ack: control.value.flag });
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
        if (held.kind !== 'ok') return ringError('io', `the consumer sector of ${this.#device.description} cannot be read back after a failed write: ${resultText(held)}`);
      }
      return f();
    };
    // Stryker disable next-line all: quirk selection (which buggy variant runs), not product behaviour
    return this.#lock.run(call, this.#quirks.sharedScratchBuffer === true || this.#quirks.staleControlRecord === true);
  }

  /** Reads our sector back and adopts it; an error (and the next call tries again) when it cannot be read or decoded. */
  async #reread(): Promise<RingResult<void>> {
    const held = await rereadControl(this.#device, CONSUMER_SECTOR, 'consumer');
    this.#uncertain = held.kind !== 'ok';
    if (held.kind !== 'ok') return held;
    this.#position = held.value.position;
    this.#suspend = held.value.flag;
    return ringOk(undefined);
  }

  #detached(call: string): RingResult<never> | undefined {
    return this.#attached ? undefined : ringError('detached', `consumer ${call} on a detached handle`);
  }

  #checkPosition(call: string, position: number, producer: number): RingResult<never> | undefined {
    if (!Number.isSafeInteger(position) || position % 4 !== 0 || position < this.#position || position > producer) {
      return ringError('badPosition', `consumer ${call} at ${position}: positions must be multiples of 4 between the consumer (${this.#position}) and the producer (${producer})`);
    }
    return undefined;
  }

  /** Reads `count` stream bytes from position `x`. */
  async #readStream(x: number, count: number): Promise<RingResult<Uint8Array>> {
    const ss = this.#g.sectorSize;
    const out = new Uint8Array(count);
    let done = 0;
    while (done < count) {
      const offset = (x + done) % ss;
      const n = Math.min(ss - offset, count - done);
      const sector = await this.#read(sectorOfByte(this.#g, x + done));
      if (sector.kind !== 'ok') return sector;
      out.set(sector.value.subarray(offset, offset + n), done);
      done += n;
    }
    return ringOk(out);
  }

  /**
   * The item at `from` (default: the consumer position) and the position after it; `retry` when
   * nothing is published there. Does not consume: advance does.
   */
  pop(options: { readonly from?: number } = {}): Promise<RingResult<Popped>> {
    return this.#serial(() => this.#popNow(options));
  }

  async #popNow(options: { readonly from?: number }): Promise<RingResult<Popped>> {
    const detached = this.#detached('pop');
    if (detached !== undefined) return detached;
    const producer = await this.#readProducer();
    if (producer.kind !== 'ok') return producer;
    const from = options.from ?? this.#position;
    const bad = this.#checkPosition('pop', from, producer.value.position);
    if (bad !== undefined) return bad;
    if (from === producer.value.position) return RETRY;
    const header = await this.#readStream(from, 4);
    if (header.kind !== 'ok') return header;
    const length = new DataView(header.value.buffer).getUint32(0, true);
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    const published = producer.value.position - from - (this.#quirks.lengthCheckCountsHeader === true ? 0 : 4);
    // Stryker disable next-line all: quirk selection (which buggy variant runs), not product behaviour
    const checkLength = this.#quirks.trustLengthHeader !== true;
    if (length > published && checkLength) {
      return ringError('corrupt', `the length header at position ${from} (sector ${sectorOfByte(this.#g, from)}) says ${length} bytes, but only ${published} are published after it`);
    }
    const payload = await this.#readStream(from + 4, length);
    if (payload.kind !== 'ok') return payload;
    return ringOk({ next: from + itemBytes(length), item: payload.value });
  }

  /** Pops every available item from `from`, folding them with `f`; returns the final position and value. */
  fold<A>(f: (item: Uint8Array, acc: A) => A, options: { readonly from?: number; readonly init: A }): Promise<RingResult<{ position: number; value: A }>> {
    return this.#serial(() => this.#foldNow(f, options));
  }

  async #foldNow<A>(f: (item: Uint8Array, acc: A) => A, options: { readonly from?: number; readonly init: A }): Promise<RingResult<{ position: number; value: A }>> {
    let position = options.from ?? this.#position;
    let value = options.init;
    for (;;) {
      const popped = await this.#popNow({ from: position });
      if (popped.kind === 'retry') return ringOk({ position, value });
      if (popped.kind !== 'ok') return popped;
      value = f(popped.value.item, value);
      position = popped.value.next;
    }
  }

  /** Releases everything before `position` (a multiple of 4 between the consumer and producer positions). */
  advance(position: number): Promise<RingResult<void>> {
    return this.#serial(() => this.#advanceNow(position));
  }

  async #advanceNow(position: number): Promise<RingResult<void>> {
    // Quirk RB-3 writes the suspend flag this call started with, whatever happened meanwhile.
    const startSuspend = this.#suspend;
    const detached = this.#detached('advance');
    if (detached !== undefined) return detached;
    const producer = await this.#readProducer();
    if (producer.kind !== 'ok') return producer;
    const bad = this.#checkPosition('advance', position, producer.value.position);
    if (bad !== undefined) return bad;
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    const to = this.#quirks.advanceConsumesAll === true ? producer.value.position : position;
    // Stryker disable next-line all: quirk selection (which buggy variant runs), not product behaviour
    return this.#writeControl(to, this.#quirks.staleControlRecord === true ? startSuspend : this.#suspend);
  }

  /**
   * Writes our sector, then flushes. When the write fails it may have landed all the same (an
   * ambiguous write): the sector is read back and what it holds adopted (`control-reread.ts`);
   * the write counts as done when it holds what was written.
   */
  async #writeControl(position: number, suspend: boolean): Promise<RingResult<void>> {
    const w = await writeSector(this.#device, CONSUMER_SECTOR, encodeControl(this.#g.sectorSize, 'consumer', { position, flag: suspend }, this.#queue, this.#client));
    if (w.kind === 'ok') {
      this.#position = position;
      this.#suspend = suspend;
    } else {
      // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      if (this.#quirks.noRereadAfterFailedWrite === true) return w;
      if ((await this.#reread()).kind !== 'ok' || this.#position !== position || this.#suspend !== suspend) return w;
    }
    return flushDevice(this.#device);
  }

  /** Asks the producer to stop (`retry` while the previous request is not acknowledged). */
  suspend(): Promise<RingResult<void>> {
    return this.#serial(() => this.#request('suspend', true));
  }

  /** Lets the producer carry on (`retry` while the previous request is not acknowledged). */
  resume(): Promise<RingResult<void>> {
    return this.#serial(() => this.#request('resume', false));
  }

  async #request(call: string, suspend: boolean): Promise<RingResult<void>> {
    // Quirk RB-3 writes the position this call started with, whatever happened meanwhile.
    const startPosition = this.#position;
    const detached = this.#detached(call);
    if (detached !== undefined) return detached;
    const producer = await this.#readProducer();
    if (producer.kind !== 'ok') return producer;
    if (producer.value.ack !== this.#suspend) return RETRY;
    // Stryker disable next-line all: quirk selection (which buggy variant runs), not product behaviour
    return this.#writeControl(this.#quirks.staleControlRecord === true ? startPosition : this.#position, suspend);
  }

  /** What the producer has acknowledged: `suspended` or `running`. */
  state(): Promise<RingResult<RingState>> {
    return this.#serial(() => this.#stateNow());
  }

  async #stateNow(): Promise<RingResult<RingState>> {
    const detached = this.#detached('state');
    if (detached !== undefined) return detached;
    const producer = await this.#readProducer();
    if (producer.kind !== 'ok') return producer;
    return ringOk(producer.value.ack ? 'suspended' : 'running');
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
