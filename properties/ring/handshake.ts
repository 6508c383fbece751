/**
 * The suspend handshake's intended guarantee (docs/ring-protocol.md): once the consumer has observed
 * `suspended`, no item is published until it resumes. Random sequences of producer and consumer
 * calls in one process; after every call, the producer position on disk is compared with the
 * one the consumer saw when it observed the suspension.
 */
import fc from 'fast-check';
import { memoryBlockDevice } from '../../impl/io/memory-block-device.ts';
import { Consumer, createRing, Producer, type RingResult } from '../../impl/ring/index.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { mustOk } from './must-ok.ts';

type Call = 'push' | 'advance' | 'pushAdvance' | 'producerState' | 'suspend' | 'resume' | 'consumerState' | 'popAdvance';

const callArb: fc.Arbitrary<Call> = fc.constantFrom('push', 'advance', 'pushAdvance', 'producerState', 'suspend', 'resume', 'consumerState', 'popAdvance');

/** Runs the calls; returns the first violation in words, or undefined. */
export async function runHandshake(calls: readonly Call[], ctx: RunContext): Promise<string | undefined> {
  const device = memoryBlockDevice({ sectorSize: 512, sectorCount: 6 });
  mustOk('create', await createRing(device));
  const quirks = builtinOf(ctx).ring;
  const producer = mustOk('producer attach', await Producer.attach(device, { quirks }));
  const consumer = mustOk('consumer attach', await Consumer.attach(device, { quirks }));
  let lastPush: number | undefined;
  /** The producer position when the consumer observed `suspended`; undefined while not observed. */
  let frozenAt: bigint | undefined;
  /** The consumer's standing request: true after a successful suspend, false after a successful resume. */
  let suspendRequested = false;
  const log: string[] = [];
  for (const call of calls) {
    let result: RingResult<unknown>;
    switch (call) {
      case 'push':
      case 'pushAdvance': {
        result = await producer.push(new Uint8Array([1, 2, 3]));
        if (result.kind === 'ok') lastPush = result.value as number;
        if (call === 'pushAdvance' && result.kind === 'ok') result = await producer.advance(result.value as number);
        break;
      }
      case 'advance':
        result = lastPush === undefined ? { kind: 'ok', value: undefined } : await producer.advance(lastPush);
        break;
      case 'producerState':
        result = await producer.state();
        break;
      case 'suspend':
        result = await consumer.suspend();
        if (result.kind === 'ok') suspendRequested = true;
        break;
      case 'resume':
        result = await consumer.resume();
        if (result.kind === 'ok') {
          frozenAt = undefined;
          suspendRequested = false;
        }
        break;
      case 'consumerState':
        result = await consumer.state();
        // Seeing `suspended` while a resume is pending is the old acknowledgement, not a new suspension.
        if (result.kind === 'ok' && result.value === 'suspended' && suspendRequested && frozenAt === undefined) {
          frozenAt = mustOk('debugInfo', await consumer.debugInfo()).producerOffset;
        }
        break;
      case 'popAdvance': {
        const popped = await consumer.pop();
        result = popped.kind === 'ok' ? await consumer.advance(popped.value.next) : popped;
        break;
      }
    }
    log.push(`${call} -> ${result.kind === 'ok' ? `ok ${JSON.stringify(result.value) ?? ''}` : result.kind}`);
    if (result.kind === 'error') return `${call} failed: ${result.message}\n  calls: ${log.join('; ')}`;
    if (frozenAt !== undefined) {
      const now = mustOk('debugInfo', await consumer.debugInfo()).producerOffset;
      if (now !== frozenAt) return `an item was published (producer ${frozenAt} -> ${now}) after the consumer observed the ring suspended\n  calls: ${log.join('; ')}`;
    }
  }
  return undefined;
}

/** The handshake property. */
export const ringHandshake: PropertyDef = {
  suite: 'ring',
  requires: ['builtin'],
  name: 'suspend-handshake',
  description: 'once the consumer has observed suspended, no item is published until it resumes',
  defaultRuns: 1500,
  testRuns: 200,
  build: (ctx) =>
    fc.asyncProperty(fc.array(callArb, { minLength: 1, maxLength: 25 }), async (calls) => {
      const violation = await runHandshake(calls, ctx);
      if (violation !== undefined) throw new Error(violation);
    }) as unknown as fc.IAsyncProperty<never>,
};
