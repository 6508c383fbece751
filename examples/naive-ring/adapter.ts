/**
 * The spoolcheck adapter of the naive ring: formats and attaches a ring on the device spoolcheck
 * gives. The ring's producer and consumer already have the calls of a {@link RingProducerHandle}
 * and a {@link RingConsumerHandle}, so the attached ends are the handles.
 */
import type { RingAdapter, RingConsumerHandle, RingProducerHandle, RingSurvives } from '../../targets/ring-adapter.ts';
import { createRing, NaiveRingConsumer, NaiveRingProducer, type NaiveRingOptions } from './naive-ring.ts';

/** A ring adapter over the naive ring with `options`, claiming to survive `survives`. */
export function naiveRing(options: NaiveRingOptions, survives: readonly RingSurvives[]): RingAdapter {
  return {
    survives,
    create: (world) => createRing(world.device, options),
    producer: (world): Promise<RingProducerHandle> => NaiveRingProducer.attach(world.device, options),
    consumer: (world): Promise<RingConsumerHandle> => NaiveRingConsumer.attach(world.device, options),
  };
}
