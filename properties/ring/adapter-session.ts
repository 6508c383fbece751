/**
 * Drives a ring adapter and the FIFO model side by side: the generated steps, each answer
 * compared with the model's, and a session log for counterexamples. Shared by `ring/adapter-fifo`
 * and the adapter power-cut properties.
 */
import fc from 'fast-check';
import { advanced, pop, pushed, reattached, sameBytes, EMPTY_FIFO, type FifoInFlight, type FifoState } from '../../model/fifo/fifo.ts';
import { RING_MIN_CAPACITY_BYTES, type RingAdapter, type RingConsumerHandle, type RingProducerHandle, type RingWorld } from '../../targets/ring-adapter.ts';
import { sessionCall, sessionError } from '../session-report.ts';
import { itemBytes } from './workload.ts';

/** A step of a generated session. */
export type RingAdapterStep = { readonly op: 'push'; readonly size: number } | { readonly op: 'pop' } | { readonly op: 'advance' } | { readonly op: 'reattach' };

/** Item sizes: small ones, and ones around a sector (a header and data across a boundary), up to three sectors. */
const sizeArb = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constantFrom(500, 508, 509, 512, 1020, 1500));

/** The steps of a power-cut workload. */
export const cutStepArb: fc.Arbitrary<RingAdapterStep> = fc.oneof(
  { weight: 3, arbitrary: sizeArb.map((size): RingAdapterStep => ({ op: 'push', size })) },
  { weight: 2, arbitrary: fc.constant<RingAdapterStep>({ op: 'pop' }) },
  { weight: 1, arbitrary: fc.constant<RingAdapterStep>({ op: 'advance' }) },
);

/** The steps of a sequential session: a workload's, plus reattaching. */
export const sessionStepArb: fc.Arbitrary<RingAdapterStep> = fc.oneof({ weight: 8, arbitrary: cutStepArb }, { weight: 1, arbitrary: fc.constant<RingAdapterStep>({ op: 'reattach' }) });

/** A ring under test with its model and the story so far. */
export class RingSession {
  #state: FifoState = EMPTY_FIFO;
  #producer: RingProducerHandle;
  #consumer: RingConsumerHandle;
  #pushes = 0;
  readonly log: string[] = [];

  private constructor(
    readonly adapter: RingAdapter,
    readonly world: RingWorld,
    producer: RingProducerHandle,
    consumer: RingConsumerHandle,
  ) {
    this.#producer = producer;
    this.#consumer = consumer;
  }

  /** Creates the ring on `world`'s device and attaches both ends. */
  static async create(adapter: RingAdapter, world: RingWorld): Promise<RingSession> {
    await sessionCall('create', [], () => adapter.create(world));
    return RingSession.attach(adapter, world);
  }

  /** Attaches both ends of the ring on `world`'s device (which holds an empty ring). */
  static async attach(adapter: RingAdapter, world: RingWorld): Promise<RingSession> {
    const producer = await sessionCall('producer attach', [], () => adapter.producer(world));
    const consumer = await sessionCall('consumer attach', [], () => adapter.consumer(world));
    return new RingSession(adapter, world, producer, consumer);
  }

  /** What has been acknowledged. */
  get state(): FifoState {
    return this.#state;
  }

  /** What step `s` would do now (the push's item decided before the call). */
  inFlight(s: RingAdapterStep): FifoInFlight | undefined {
    if (s.op === 'push') return { kind: 'push', item: itemBytes(this.#pushes + 1, s.size) };
    return s.op === 'reattach' ? undefined : { kind: s.op };
  }

  /** Runs step `s` on the ring and the model; throws on the first difference. */
  async run(s: RingAdapterStep): Promise<void> {
    switch (s.op) {
      case 'push': {
        const item = itemBytes(++this.#pushes, s.size);
        const answer = await this.#call(`push(${s.size} bytes)`, () => this.#producer.push(item));
        this.log.push(`push(${s.size} bytes, item ${this.#pushes}) → ${String(answer)}`);
        if (answer === 'ok') this.#state = pushed(this.#state, item);
        else if (answer !== 'full') this.#fail(`push gave ${JSON.stringify(answer)}, not 'ok' or 'full'`);
        else if (this.#state.items.length === 0 && s.size + 4 <= RING_MIN_CAPACITY_BYTES) this.#fail(`push of ${s.size} bytes into an empty ring said 'full' (an empty ring must take ${RING_MIN_CAPACITY_BYTES} bytes)`);
        return;
      }
      case 'pop': {
        const got = await this.#call('pop()', () => this.#consumer.pop());
        const { state, item } = pop(this.#state);
        this.log.push(`pop() → ${got === undefined ? 'nothing' : `${got.length} bytes`}`);
        if (item === undefined && got !== undefined) this.#fail(`pop gave ${got.length} bytes, but every published item had been popped`);
        if (item !== undefined && got === undefined) this.#fail(`pop gave nothing, but ${this.#state.items.length - this.#state.popped} published item(s) were not popped yet (next: ${item.length} bytes)`);
        if (item !== undefined && got !== undefined && !sameBytes(item, got)) this.#fail(`pop gave ${got.length} bytes that are not the next published item (${item.length} bytes)`);
        this.#state = state;
        return;
      }
      case 'advance':
        await this.#call('advance()', () => this.#consumer.advance());
        this.log.push(`advance() → done (${this.#state.popped} item(s) consumed)`);
        this.#state = advanced(this.#state);
        return;
      case 'reattach':
        this.#producer = await this.#call('producer attach', () => this.adapter.producer(this.world));
        this.#consumer = await this.#call('consumer attach', () => this.adapter.consumer(this.world));
        this.log.push('reattach both ends');
        this.#state = reattached(this.#state);
        return;
    }
  }

  /** Pops until nothing is left, comparing every item (the end of a session). */
  async drain(): Promise<void> {
    const left = this.#state.items.length - this.#state.popped;
    for (let i = 0; i <= left; i++) await this.run({ op: 'pop' });
  }

  #call<T>(label: string, f: () => Promise<T>): Promise<T> {
    return sessionCall(label, this.log, f);
  }

  #fail(message: string): never {
    throw new Error(sessionError(message, this.log));
  }
}
