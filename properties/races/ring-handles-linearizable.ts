/**
 * `races/ring-handles-linearizable`: concurrent callers on ONE ring handle, as a user's event loop
 * makes them (issue 15 item 1). A producer process and a consumer process share a device (every
 * sector read, write and flush an interleaving point of fast-check's scheduler); on the producer
 * handle one or two pushers (each push then the advance to what it returned) race a caller asking
 * the state; on the consumer handle one or two poppers (each pop then the advance past it) race a
 * caller that suspends, resumes and asks the state. Every call and its result is recorded, and the
 * whole history must linearize against the ring model (`model/ring`): some order of the calls,
 * respecting real time, in which the model gives every recorded result (kinds and values, not
 * messages). So: no item delivered that the model would not deliver there, none skipped, no
 * release lost, a second push's advance refused as the model refuses it, `state` answers that
 * fit the handshake (the consumer's own `state` before the producer acknowledged included), no
 * publish once the consumer saw `suspended`.
 */
import fc from 'fast-check';
import { memoryBlockDevice } from '../../impl/io/memory-block-device.ts';
import { Consumer, createRing, Producer, type RingResult } from '../../impl/ring/index.ts';
import { initialRingState, step, type Op, type RingModelState } from '../../model/ring/index.ts';
import { checkLinearizable, describeResult, historyRecorder, type LinearizabilityModel } from '../../sim/linearizability/index.ts';
import { interleavingSeedArb, racingProcesses, seededScheduler } from '../../sim/racing-processes.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { describeOp, describeResult as describeRingResult, sameRingResult } from '../ring/model-vs-impl.ts';
import { mustOk } from '../ring/must-ok.ts';
import { raceViolation, type RaceViolation } from './race-violation.ts';

const GEOMETRY = { sectorSize: 512, sectorCount: 6 };
/** Search budget of one history's check (histories here have at most a few dozen calls). */
const MAX_STEPS = 500_000;

/** A recorded result (the implementation's), compared with the model's by kind and value (sameRingResult). */
type Outcome = RingResult<unknown>;

/** The ring model as a sequential specification of the two handles. */
const ringModel: LinearizabilityModel<RingModelState, Op, Outcome> = {
  init: [{ kind: 'create' } as const, { kind: 'producerAttach' } as const, { kind: 'consumerAttach' } as const].reduce((s, op) => step(s, op).state, initialRingState(GEOMETRY)),
  step: (state, op) => {
    const out = step(state, op);
    return { state: out.state, output: out.result };
  },
  equalOutput: sameRingResult,
  key: (s) =>
    `${s.P},${s.C},${s.S ? 1 : 0},${s.A ? 1 : 0},${s.producer.status},${String(s.producer.pending)},${s.consumer}|` +
    s.items.map((i) => `${i.at}:${String.fromCharCode(...i.item)}`).join('|'),
};

/** What the callers do; the scheduler decides how their device calls interleave. */
export interface HandleRacePlan {
  /** Item sizes of each pusher (one or two pushers on the producer handle). */
  readonly pushers: readonly (readonly number[])[];
  /** How many `state` calls race them on the producer handle. */
  readonly producerStates: number;
  /** How many pop-then-advance rounds each popper makes (one or two poppers on the consumer handle). */
  readonly poppers: readonly number[];
  /** The consumer's other caller: suspend, resume, state. */
  readonly requests: readonly ('suspend' | 'resume' | 'state')[];
}

/** An item whose first byte says which (pusher, index) it is. */
const itemOf = (pusher: number, i: number, size: number): Uint8Array => {
  const out = new Uint8Array(size);
  for (let k = 0; k < size; k++) out[k] = k === 0 ? pusher * 16 + i + 1 : (i * 29 + k * 3 + pusher) & 0xff;
  return out;
};

/** Runs one race; returns the violation (with the history and every process's timeline), or undefined. */
export async function runHandleRace(s: fc.Scheduler, plan: HandleRacePlan, ctx: RunContext): Promise<RaceViolation | undefined> {
  const device = memoryBlockDevice(GEOMETRY);
  mustOk('create', await createRing(device));
  const quirks = builtinOf(ctx).ring;
  const world = racingProcesses(s);
  const producer = mustOk('producer attach', await Producer.attach(world.spawn('producer').process.device(device), { quirks }));
  const consumer = mustOk('consumer attach', await Consumer.attach(world.spawn('consumer').process.device(device), { quirks }));
  world.racing = true;
  const rec = historyRecorder<Op, Outcome>();
  /** One call by `caller`, recorded around the implementation's call. */
  const call = async <T>(caller: string, op: Op, f: () => Promise<RingResult<T>>): Promise<RingResult<T>> => {
    const id = rec.invoke(caller, op);
    const result = await f();
    rec.respond(id, result);
    return result;
  };
  const callers: Promise<void>[] = [];
  plan.pushers.forEach((sizes, p) =>
    callers.push(
      (async () => {
        for (const [i, size] of sizes.entries()) {
          const item = itemOf(p, i, size);
          const pushed = await call(`pusher ${p + 1}`, { kind: 'push', item }, () => producer.push(item));
          if (pushed.kind !== 'ok') continue;
          await call(`pusher ${p + 1}`, { kind: 'producerAdvance', position: pushed.value }, () => producer.advance(pushed.value));
        }
      })(),
    ),
  );
  callers.push(
    (async () => {
      for (let i = 0; i < plan.producerStates; i++) await call('producer state', { kind: 'producerState' }, () => producer.state());
    })(),
  );
  plan.poppers.forEach((rounds, p) =>
    callers.push(
      (async () => {
        for (let i = 0; i < rounds; i++) {
          const popped = await call(`popper ${p + 1}`, { kind: 'pop' }, () => consumer.pop());
          if (popped.kind !== 'ok') continue;
          await call(`popper ${p + 1}`, { kind: 'consumerAdvance', position: popped.value.next }, () => consumer.advance(popped.value.next));
        }
      })(),
    ),
  );
  callers.push(
    (async () => {
      for (const r of plan.requests) {
        if (r === 'state') await call('requests', { kind: 'consumerState' }, () => consumer.state());
        else await call('requests', { kind: r }, () => (r === 'suspend' ? consumer.suspend() : consumer.resume()));
      }
    })(),
  );
  const all = Promise.all(callers).then(
    () => undefined,
    (err: unknown) => err,
  );
  await world.settle();
  const failure = await all;
  if (failure !== undefined) return raceViolation(`a call threw: ${failure instanceof Error ? failure.message : String(failure)}`, world);
  const history = rec.operations();
  const verdict = checkLinearizable(history, ringModel, { maxSteps: MAX_STEPS });
  if (verdict.kind === 'linearizable') return undefined;
  const what =
    verdict.kind === 'unknown'
      ? `the linearizability check ran out of its budget (${MAX_STEPS} steps): unknown, which is not a pass`
      : 'the calls on the two handles do not linearize against the ring model: no order of them explains every result';
  return raceViolation(what, world, describeResult(verdict, history, describeOp, describeRingResult, ringModel));
}

const sizeArb = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 500, max: 900 }));

/** The property. */
export const ringHandlesLinearizable: PropertyDef = {
  suite: 'races',
  requires: ['builtin'],
  name: 'ring-handles-linearizable',
  description: 'concurrent callers on one producer handle (pushers, state) and on one consumer handle (poppers, suspend, resume, state), interleaved sector by sector: the whole history linearizes against the ring model',
  defaultRuns: 300,
  testRuns: 40,
  build: (ctx) =>
    fc.asyncProperty(
      interleavingSeedArb,
      fc.record({
        pushers: fc.array(fc.array(sizeArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
        producerStates: fc.integer({ min: 0, max: 2 }),
        poppers: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }),
        requests: fc.array(fc.constantFrom('suspend' as const, 'resume' as const, 'state' as const), { maxLength: 4 }),
      }),
      async (seed, plan) => {
        const violation = await runHandleRace(seededScheduler(seed), plan, ctx);
        if (violation !== undefined) throw violation;
      },
    ) as unknown as fc.IAsyncProperty<never>,
};
