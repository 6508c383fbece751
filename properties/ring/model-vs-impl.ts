/**
 * The block ring side by side with its model (docs/ring-protocol.md): random sequences of producer
 * and consumer calls — create, attach, push, advance, pop and fold (from any item boundary),
 * suspend, resume, state, detach — applied to model/ring and to impl/ring on an in-memory device
 * of 512- or 4096-byte sectors and 4 to 8 sectors. After every call the results must agree (error
 * KINDS, not messages), an error's message must name what docs/ring-protocol.md ("Errors") says
 * it names (the end and the call, the bad position, the item's length, sector 0), and the control
 * sectors read back from the device must hold the model's positions and flags. Some rings start
 * with both positions just short of 2^32 bytes (`base`: written into the control sectors after the
 * create, as a ring that has carried four gigabytes has them), so that a position stored or
 * reduced in 32 bits goes wrong within a few pushes.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { memoryBlockDevice, type MemoryBlockDevice } from '../../impl/io/memory-block-device.ts';
import { encodeControl } from '../../impl/ring/format.ts';
import { Consumer, createRing, Producer, type RingErrorKind, type RingResult } from '../../impl/ring/index.ts';
import { initialRingState, itemBoundaries, step, type Op, type RingModelState } from '../../model/ring/index.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { missingClues, type Clue } from './message-names.ts';

/** Item sizes chosen relative to the geometry, so the edges come up often. */
type SizeChoice = 'zero' | 'one' | 'ssMinus4' | 'ssMinus3' | 'ss' | 'fill' | 'small' | 'large';

/** A call, resolved against the model's state when it runs (positions come from the model). */
export type RingCommand =
  | { readonly c: 'create' | 'producerAttach' | 'producerDetach' | 'producerState' | 'consumerAttach' | 'consumerDetach' | 'suspend' | 'resume' | 'consumerState' }
  | { readonly c: 'push'; readonly size: SizeChoice; readonly n: number }
  | { readonly c: 'producerAdvance'; readonly to: 'pending' | 'current' | BadPosition }
  | { readonly c: 'pop' | 'fold' | 'consumerAdvance'; readonly at: number | 'default' | BadPosition };

/**
 * A position no call may be given: past the producer's, behind the end's own (the consumer's C,
 * the producer's P), or not a multiple of 4.
 */
type BadPosition = 'beyond' | 'behind' | 'unaligned';
const badPositionArb = fc.constantFrom<BadPosition>('beyond', 'behind', 'unaligned');

/** The position a {@link BadPosition} means, for an end at `own` with the producer at `P`. */
function badPosition(bad: BadPosition, own: number, P: number): number {
  switch (bad) {
    case 'beyond':
      return P + 4;
    case 'behind':
      return own - 4;
    case 'unaligned':
      return own + 2;
  }
}

const commandArb: fc.Arbitrary<RingCommand> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('create', 'producerAttach', 'consumerAttach').map((c) => ({ c })) },
  { weight: 1, arbitrary: fc.constantFrom('producerDetach', 'consumerDetach').map((c) => ({ c })) },
  { weight: 2, arbitrary: fc.constantFrom('producerState', 'suspend', 'resume', 'consumerState').map((c) => ({ c })) },
  {
    weight: 6,
    arbitrary: fc.record({
      c: fc.constant('push' as const),
      size: fc.constantFrom<SizeChoice>('zero', 'one', 'ssMinus4', 'ssMinus3', 'ss', 'fill', 'small', 'large'),
      n: fc.nat({ max: 5000 }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ c: fc.constant('producerAdvance' as const), to: fc.oneof(fc.constantFrom('pending' as const, 'pending' as const, 'current' as const), badPositionArb) }) },
  {
    weight: 6,
    arbitrary: fc.record({ c: fc.constantFrom('pop' as const, 'fold' as const, 'consumerAdvance' as const), at: fc.oneof(fc.nat({ max: 6 }), fc.constant('default' as const), badPositionArb) }),
  },
);

function sizeOf(choice: SizeChoice, n: number, state: RingModelState): number {
  const ss = state.geometry.sectorSize;
  switch (choice) {
    case 'zero':
      return 0;
    case 'one':
      return 1;
    case 'ssMinus4':
      return ss - 4;
    case 'ssMinus3':
      return ss - 3;
    case 'ss':
      return ss;
    case 'fill':
      return Math.max(0, state.T - 4 - (state.P - state.C));
    case 'small':
      return n % 40;
    case 'large':
      return n % (state.T + 8);
  }
}

/** The model op a command means in `state`, or undefined when it would be a generator error. */
function resolve(cmd: RingCommand, state: RingModelState, item: (size: number) => Uint8Array): Op | undefined {
  const producerKnown = state.producer.status !== 'absent';
  const consumerKnown = state.consumer !== 'absent';
  switch (cmd.c) {
    case 'create':
      return { kind: 'create' };
    case 'producerAttach':
      return state.producer.status === 'attached' ? undefined : { kind: 'producerAttach' };
    case 'consumerAttach':
      return state.consumer === 'attached' ? undefined : { kind: 'consumerAttach' };
    case 'producerDetach':
    case 'producerState':
      return producerKnown ? { kind: cmd.c } : undefined;
    case 'consumerDetach':
    case 'suspend':
    case 'resume':
    case 'consumerState':
      return consumerKnown ? { kind: cmd.c } : undefined;
    case 'push':
      return producerKnown ? { kind: 'push', item: item(sizeOf(cmd.size, cmd.n, state)) } : undefined;
    case 'producerAdvance': {
      if (!producerKnown) return undefined;
      const position = cmd.to === 'pending' ? (state.producer.pending ?? state.P) : cmd.to === 'current' ? state.P : badPosition(cmd.to, state.P, state.P);
      return { kind: 'producerAdvance', position };
    }
    case 'pop':
    case 'fold':
    case 'consumerAdvance': {
      if (!consumerKnown) return undefined;
      const boundaries = itemBoundaries(state);
      if (cmd.at === 'default') return cmd.c === 'consumerAdvance' ? { kind: cmd.c, position: state.C } : { kind: cmd.c };
      const position = typeof cmd.at === 'number' ? (boundaries[cmd.at % boundaries.length] as number) : badPosition(cmd.at, state.C, state.P);
      return cmd.c === 'consumerAdvance' ? { kind: cmd.c, position } : { kind: cmd.c, from: position };
    }
  }
}

/** Runs one op on the implementation. */
async function apply(op: Op, device: MemoryBlockDevice, handles: { producer?: Producer; consumer?: Consumer }, ctx: RunContext): Promise<RingResult<unknown>> {
  const quirks = builtinOf(ctx).ring;
  const { producer, consumer } = handles;
  const need = <T>(h: T | undefined): T => {
    if (h === undefined) throw new Error(`${op.kind} without a handle (the harness resolves this)`);
    return h;
  };
  switch (op.kind) {
    case 'create':
      return createRing(device);
    case 'producerAttach': {
      const r = await Producer.attach(device, { quirks });
      if (r.kind === 'ok') handles.producer = r.value;
      return r.kind === 'ok' ? { kind: 'ok', value: undefined } : r;
    }
    case 'consumerAttach': {
      const r = await Consumer.attach(device, { quirks });
      if (r.kind === 'ok') handles.consumer = r.value;
      return r.kind === 'ok' ? { kind: 'ok', value: undefined } : r;
    }
    case 'push':
      return need(producer).push(op.item);
    case 'producerAdvance':
      return need(producer).advance(op.position);
    case 'producerState':
      return need(producer).state();
    case 'producerDetach':
      need(producer).detach();
      return { kind: 'ok', value: undefined };
    case 'pop':
      return need(consumer).pop(op.from === undefined ? {} : { from: op.from });
    case 'fold': {
      const r = await need(consumer).fold<Uint8Array[]>((item, acc) => [...acc, item], { init: [], ...(op.from === undefined ? {} : { from: op.from }) });
      return r.kind === 'ok' ? { kind: 'ok', value: { position: r.value.position, items: r.value.value } } : r;
    }
    case 'consumerAdvance':
      return need(consumer).advance(op.position);
    case 'suspend':
      return need(consumer).suspend();
    case 'resume':
      return need(consumer).resume();
    case 'consumerState':
      return need(consumer).state();
    case 'consumerDetach':
      need(consumer).detach();
      return { kind: 'ok', value: undefined };
  }
}

/** A result without its message (messages are for people; kinds are the contract). */
function comparable(r: RingResult<unknown>): unknown {
  return r.kind === 'error' ? { kind: 'error', error: r.error } : r;
}

/** True if two results (the model's and the implementation's) agree: kind and value, or error kind. */
export function sameRingResult(a: RingResult<unknown>, b: RingResult<unknown>): boolean {
  return isDeepStrictEqual(comparable(a), comparable(b));
}

/** The words naming each call in a message: its end and the call (a fold may say the pop it failed in). */
const CALL_WORDS: Readonly<Record<Op['kind'], readonly (readonly [string, string])[]>> = {
  create: [],
  producerAttach: [],
  consumerAttach: [],
  producerDetach: [],
  consumerDetach: [],
  push: [['producer', 'push']],
  producerAdvance: [['producer', 'advance']],
  producerState: [['producer', 'state']],
  pop: [['consumer', 'pop']],
  fold: [['consumer', 'fold'], ['consumer', 'pop']],
  consumerAdvance: [['consumer', 'advance']],
  suspend: [['consumer', 'suspend']],
  resume: [['consumer', 'resume']],
  consumerState: [['consumer', 'state']],
};

/**
 * What the message of an `error` answer to `op` must name: a detached handle's end and call; a bad
 * position's end, call and the position; a too-large item's length; a missing signature's sector 0.
 */
export function messageClues(op: Op, error: RingErrorKind): readonly Clue[] {
  switch (error) {
    case 'detached':
      return CALL_WORDS[op.kind];
    case 'badPosition': {
      const position = 'position' in op ? op.position : 'from' in op ? op.from : undefined;
      return position === undefined ? [] : CALL_WORDS[op.kind].map((words) => [...words, String(position)]);
    }
    case 'tooLarge':
      return op.kind === 'push' ? [[String(op.item.length)]] : [];
    case 'notInitialised':
      return [['sector 0']];
    default:
      return [];
  }
}

/** The control sectors as the model sees them: P, A, C, S. */
function controlOf(device: MemoryBlockDevice): { P: number; A: boolean; C: number; S: boolean } {
  const bytes = device.snapshot();
  const ss = device.sectorSize;
  const view = new DataView(bytes.buffer);
  return { P: Number(view.getBigUint64(ss, true)), A: bytes[ss + 8] === 1, C: Number(view.getBigUint64(2 * ss, true)), S: bytes[2 * ss + 8] === 1 };
}

/** A model op in words. */
export const describeOp = (op: Op): string =>
  op.kind === 'push' ? `push(${op.item.length} bytes)` : 'position' in op ? `${op.kind}(${op.position})` : 'from' in op && op.from !== undefined ? `${op.kind}(from ${op.from})` : op.kind;

/** Bytes shown in full up to this many (then the first ones and the count). */
const SHOWN_BYTES = 64;

/** A result in words, with an error's message and an item's bytes in hex (the first SHOWN_BYTES). */
export const describeResult = (r: unknown): string =>
  JSON.stringify(r, (_k, v: unknown) =>
    v instanceof Uint8Array ? `<${v.length} bytes${v.length === 0 ? '' : `: ${Buffer.from(v.subarray(0, SHOWN_BYTES)).toString('hex')}${v.length > SHOWN_BYTES ? '...' : ''}`}>` : v,
  );

/**
 * Where both positions start after the first create: 0 (a new ring), or a few items, or about
 * half a 4-sector data area, short of 2^32.
 */
export const basePositionArb = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(2 ** 32 - 8, 2 ** 32 - 520, 2 ** 32 - 1024) });

/**
 * Runs the commands on both; throws at the first disagreement, with the transcript. With `base`,
 * the first create that succeeds is followed by control sectors holding `base` for both positions
 * (flags clear), on the device and in the model.
 */
export async function runRingSideBySide(commands: readonly RingCommand[], geometry: { sectorSize: number; sectorCount: number }, ctx: RunContext, base = 0): Promise<void> {
  const device = memoryBlockDevice(geometry);
  let model = initialRingState(geometry);
  const handles: { producer?: Producer; consumer?: Consumer } = {};
  const transcript: string[] = [];
  let counter = 0;
  const item = (size: number): Uint8Array => {
    counter++;
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i++) out[i] = (counter * 13 + i) & 0xff;
    return out;
  };
  for (const cmd of commands) {
    const op = resolve(cmd, model, item);
    if (op === undefined) continue;
    const predicted = step(model, op);
    const actual = await apply(op, device, handles, ctx);
    // Compared by kind and value (comparable); shown with the messages, which say what went wrong.
    transcript.push(`${transcript.length + 1}: ${describeOp(op)} => model ${describeResult(predicted.result)} | impl ${describeResult(actual)}`);
    if (!sameRingResult(predicted.result, actual)) {
      throw new Error(`the ring and its model disagree (${geometry.sectorCount} sectors of ${geometry.sectorSize} bytes):\n  ${transcript.join('\n  ')}`);
    }
    if (actual.kind === 'error') {
      const unnamed = missingClues(actual.message, messageClues(op, actual.error));
      if (unnamed !== undefined) throw new Error(`${describeOp(op)} said ${actual.error}, but ${unnamed}:\n  ${transcript.join('\n  ')}`);
    }
    model = predicted.state;
    if (op.kind === 'create' && actual.kind === 'ok' && base !== 0) {
      for (const [sector, kind] of [[1, 'producer'], [2, 'consumer']] as const) {
        await device.write(sector, encodeControl(geometry.sectorSize, kind, { position: base, flag: false }, 'model-vs-impl', 'spoolcheck'));
      }
      await device.flush();
      model = { ...model, P: base, C: base };
      transcript[transcript.length - 1] += `, then both positions moved to ${base}`;
      base = 0;
    }
    if (model.created) {
      const disk = controlOf(device);
      const want = { P: model.P, A: model.A, C: model.C, S: model.S };
      if (!isDeepStrictEqual(disk, want)) {
        throw new Error(`the control sectors hold ${JSON.stringify(disk)}, the model says ${JSON.stringify(want)}:\n  ${transcript.join('\n  ')}`);
      }
    }
  }
}

/** The side-by-side property. */
export const ringModelVsImpl: PropertyDef = {
  suite: 'ring',
  requires: ['builtin'],
  name: 'model-vs-impl',
  description: 'every producer and consumer call returns what the model predicts, and the control sectors hold the model\'s positions and flags',
  defaultRuns: 2000,
  testRuns: 200,
  build: (ctx) =>
    fc.asyncProperty(
      fc.record({ sectorSize: fc.constantFrom(512, 4096), sectorCount: fc.integer({ min: 4, max: 8 }) }),
      fc.array(commandArb, { minLength: 1, maxLength: 40 }),
      basePositionArb,
      async (geometry, commands, base) => {
        await runRingSideBySide([{ c: 'create' }, { c: 'producerAttach' }, { c: 'consumerAttach' }, ...commands], geometry, ctx, base);
      },
    ) as unknown as fc.IAsyncProperty<never>,
};
