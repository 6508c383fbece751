/** The block ring (docs/ring-protocol.md): create, producer, consumer, format, results. */
export { createRing } from './create.ts';
export { Consumer } from './consumer.ts';
export * from './format.ts';
export { Producer, type RingDebugInfo, type RingUser } from './producer.ts';
export type { RingQuirks } from './quirks.ts';
export * from './result.ts';
