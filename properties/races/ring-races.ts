/**
 * Ring races (docs/ring-protocol.md, 5.3): a producer process and a consumer process share one device; each
 * also makes concurrent calls on its own handle (the producer asks for its state while pushing;
 * the consumer suspends, resumes and asks for the state while popping). Every sector read, write
 * and flush of either process is an interleaving point chosen by fast-check's scheduler. Checked:
 * every item the consumer pops is the next one the producer published, byte for byte (no control
 * bytes in the data area, no corruption); the control positions never go backwards; and once the
 * consumer has observed `suspended` (with its suspend request standing), the producer position
 * does not move until the consumer resumes.
 */
import fc from 'fast-check';
import { memoryBlockDevice, type MemoryBlockDevice } from '../../impl/io/memory-block-device.ts';
import { Consumer, createRing, Producer } from '../../impl/ring/index.ts';
import { interleavingSeedArb, racingProcesses, seededScheduler } from '../../sim/racing-processes.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { raceViolation, type RaceViolation } from './race-violation.ts';
import { mustOk } from '../ring/must-ok.ts';

/** P, A, C, S straight from the device (no interleaving point). */
function control(device: MemoryBlockDevice): { P: number; A: boolean; C: number; S: boolean } {
  const bytes = device.snapshot();
  const ss = device.sectorSize;
  const view = new DataView(bytes.buffer);
  return { P: Number(view.getBigUint64(ss, true)), A: bytes[ss + 8] === 1, C: Number(view.getBigUint64(2 * ss, true)), S: bytes[2 * ss + 8] === 1 };
}

const itemOf = (i: number, size: number): Uint8Array => {
  const out = new Uint8Array(size);
  for (let k = 0; k < size; k++) out[k] = (i * 29 + k * 3 + 7) & 0xff;
  return out;
};
const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Consumer-side requests made concurrently with popping. */
type Request = 'suspend' | 'resume' | 'state';

/**
 * Runs one race; returns the first violation (with every process's timeline and the scheduler's
 * interleaving), or undefined. The producer and the consumer are racing processes
 * (`sim/racing-processes.ts`, never killed here) sharing the device.
 */
export async function runRingRace(
  s: fc.Scheduler,
  sizes: readonly number[],
  requests: readonly Request[],
  producerStates: number,
  ctx: RunContext,
): Promise<RaceViolation | undefined> {
  const device = memoryBlockDevice({ sectorSize: 512, sectorCount: 6 });
  mustOk('create', await createRing(device));
  const quirks = builtinOf(ctx).ring;
  const world = racingProcesses(s);
  const pDev = world.spawn('producer').process.device(device);
  const cDev = world.spawn('consumer').process.device(device);
  const producer = mustOk('producer attach', await Producer.attach(pDev, { quirks }));
  const consumer = mustOk('consumer attach', await Consumer.attach(cDev, { quirks }));
  world.racing = true;

  const problems: string[] = [];
  const published: Uint8Array[] = [];
  const popped: Uint8Array[] = [];
  let highest = control(device);
  const watch = (when: string): void => {
    const now = control(device);
    if (now.P < highest.P) problems.push(`${when}: the producer position went back from ${highest.P} to ${now.P}`);
    if (now.C < highest.C) problems.push(`${when}: the consumer position went back from ${highest.C} to ${now.C}`);
    highest = { ...now, P: Math.max(now.P, highest.P), C: Math.max(now.C, highest.C) };
  };
  let suspendStanding = false;
  let frozenAt: number | undefined;
  const checkFrozen = (when: string): void => {
    if (frozenAt !== undefined && control(device).P !== frozenAt) {
      problems.push(`${when}: the producer published (position ${frozenAt} -> ${control(device).P}) after the consumer observed the ring suspended`);
      frozenAt = control(device).P;
    }
  };

  let producing = true;
  const produce = (async () => {
    for (const [i, size] of sizes.entries()) {
      const item = itemOf(i, size);
      for (let attempt = 0; attempt < 50; attempt++) {
        const pushed = await producer.push(item);
        if (pushed.kind === 'retry' || pushed.kind === 'suspended') continue;
        const end = mustOk('push', pushed);
        const advanced = await producer.advance(end);
        if (advanced.kind === 'suspended') continue;
        mustOk('producer advance', advanced);
        published.push(item);
        watch('after a producer advance');
        checkFrozen('after a producer advance');
        break;
      }
    }
    producing = false;
  })();
  const producerStatus = (async () => {
    for (let i = 0; i < producerStates; i++) mustOk('producer state', await producer.state());
  })();
  const consume = (async () => {
    for (let idle = 0; idle < 60 && (producing || popped.length < published.length); ) {
      const r = await consumer.pop();
      if (r.kind === 'retry') {
        idle++;
        continue;
      }
      const { next, item } = mustOk('pop', r);
      popped.push(item);
      mustOk('consumer advance', await consumer.advance(next));
      watch('after a consumer advance');
    }
  })();
  const consumerRequests = (async () => {
    for (const request of requests) {
      if (request === 'state') {
        const state = mustOk('consumer state', await consumer.state());
        if (state === 'suspended' && suspendStanding && frozenAt === undefined) frozenAt = control(device).P;
        checkFrozen('after a consumer state');
      } else {
        const r = request === 'suspend' ? await consumer.suspend() : await consumer.resume();
        if (r.kind === 'ok') {
          if (request === 'resume') {
            checkFrozen('at the resume');
            frozenAt = undefined;
          }
          suspendStanding = request === 'suspend';
        } else if (r.kind !== 'retry') mustOk(request, r);
      }
      watch(`after a consumer ${request}`);
    }
    // Leave the ring running so the producer can finish.
    for (let i = 0; i < 20 && suspendStanding; i++) {
      const r = await consumer.resume();
      if (r.kind === 'ok') {
        checkFrozen('at the final resume');
        frozenAt = undefined;
        suspendStanding = false;
      } else await producer.state();
    }
  })();
  const all = Promise.all([produce, producerStatus, consume, consumerRequests]).then(
    () => undefined,
    (err: unknown) => err,
  );
  await world.settle();
  const failure = await all;
  if (failure !== undefined) return raceViolation(`a call failed: ${failure instanceof Error ? failure.message : String(failure)}`, world);
  for (const [i, item] of popped.entries()) {
    const want = published[i];
    if (want === undefined || !same(item, want)) {
      return raceViolation(`pop ${i + 1} returned ${item.length} bytes that are not published item number ${i + 1}${want === undefined ? ' (nothing was published there)' : ''}`, world);
    }
  }
  return problems[0] === undefined ? undefined : raceViolation(problems[0], world);
}

/** The ring race property. */
export const ringRaces: PropertyDef = {
  suite: 'races',
  requires: ['builtin'],
  name: 'ring-producer-consumer',
  description: 'a producer and a consumer process, each with concurrent calls on its handle, interleaved sector by sector: items intact and in order, positions never back, no publish while observed suspended',
  defaultRuns: 400,
  testRuns: 60,
  build: (ctx) =>
    fc.asyncProperty(
      interleavingSeedArb,
      fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 500, max: 900 })), { minLength: 1, maxLength: 5 }),
      fc.array(fc.constantFrom<Request>('suspend', 'resume', 'state', 'state'), { maxLength: 6 }),
      fc.integer({ min: 0, max: 3 }),
      async (seed, sizes, requests, producerStates) => {
        const s = seededScheduler(seed);
        const violation = await runRingRace(s, sizes, requests, producerStates, ctx);
        if (violation !== undefined) throw violation;
      },
    ) as unknown as fc.IAsyncProperty<never>,
};
