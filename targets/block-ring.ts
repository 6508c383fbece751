/**
 * Our MirageOS-compatible block ring behind the `RingAdapter` contract, so that the ring suite's
 * adapter properties check it the way they check a user's ring: through the API only. A push is
 * the ring's push followed by the producer's advance (publish); the consumer handle keeps its
 * own cursor, pops from it, and `advance` moves the consumer position to it.
 */
import { Consumer, createRing, Producer, type RingQuirks, type RingResult } from '../impl/ring/index.ts';
import type { RingAdapter, RingConsumerHandle, RingProducerHandle } from './ring-adapter.ts';

/** The value of `r`, or an error naming `what` (a ring error is a failure of the ring here). */
function must<T>(what: string, r: RingResult<T>): T {
  if (r.kind === 'ok') return r.value;
  throw new Error(`${what}: ${r.kind === 'error' ? `${r.error}: ${r.message}` : r.kind}`);
}

/** The block ring with `quirks` (none: the real one), claiming to survive power cuts and torn writes. */
export function blockRing(quirks: RingQuirks): RingAdapter {
  const user = { queue: 'spoolcheck', quirks };
  return {
    survives: ['power-loss', 'torn-writes'],
    async create({ device }) {
      must('create', await createRing(device));
    },
    async producer({ device }): Promise<RingProducerHandle> {
      const producer = must('producer attach', await Producer.attach(device, { ...user, client: 'producer' }));
      return {
        async push(item) {
          const pushed = await producer.push(item);
          if (pushed.kind === 'retry') return 'full';
          must('producer advance', await producer.advance(must('push', pushed)));
          return 'ok';
        },
      };
    },
    async consumer({ device }): Promise<RingConsumerHandle> {
      const consumer = must('consumer attach', await Consumer.attach(device, { ...user, client: 'consumer' }));
      let cursor = consumer.position;
      return {
        async pop() {
          const popped = await consumer.pop({ from: cursor });
          if (popped.kind === 'retry') return undefined;
          const { next, item } = must('pop', popped);
          cursor = next;
          return item;
        },
        async advance() {
          must('consumer advance', await consumer.advance(cursor));
        },
      };
    },
  };
}
