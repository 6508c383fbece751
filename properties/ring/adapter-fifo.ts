/**
 * `ring/adapter-fifo`: any ring with a `RingAdapter`, one producer and one consumer taking turns
 * on a memory device: random pushes (sizes around sector boundaries), pops, advances and
 * reattaches agree with the FIFO model, and at the end every published item not consumed pops
 * out, byte for byte, in order.
 */
import fc from 'fast-check';
import { memoryBlockDevice } from '../../impl/io/memory-block-device.ts';
import { RING_DEVICE } from '../../targets/ring-adapter.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { RingSession, sessionStepArb } from './adapter-session.ts';

/** Longest generated session. */
export const MAX_RING_SESSION_STEPS = 40;

export const adapterFifo: PropertyDef = {
  suite: 'ring',
  name: 'adapter-fifo',
  requires: ['ring'],
  description: `random sessions of up to ${MAX_RING_SESSION_STEPS} calls through the ring adapter (push, pop, advance, reattach): every item comes out once per attach, in push order, byte for byte; an empty ring takes an item`,
  defaultRuns: 300,
  testRuns: 30,
  build: (ctx) =>
    fc.asyncProperty(fc.array(sessionStepArb, { maxLength: MAX_RING_SESSION_STEPS, size: 'max' }), async (steps) => {
      const device = memoryBlockDevice({ ...RING_DEVICE });
      const session = await RingSession.create(adapterOf(ctx, 'ring'), { device });
      for (const s of steps) await session.run(s);
      await session.drain();
    }) as unknown as fc.IAsyncProperty<never>,
};
