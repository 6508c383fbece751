/**
 * The sequential model that histories of racing multispool clients are checked against
 * (`sim/linearizability`), built on the reference model's `step` (`model/multispool`). One queue
 * (`alpha`) of the test spool type; every operation acts on ONE entry, named in its input.
 *
 * Why each operation's input names its entry, even where the caller did not choose it (an
 * enqueue that reserved a name, a dequeue that took whatever came): the real operations are not
 * atomic with respect to the whole queue, only with respect to the entry they act on. An enqueue
 * reserves its name, then publishes it much later, and in between other enqueuers may skip that
 * name (it is reserved) while readers cannot see it (it is not queued): no single point fits
 * "reserve the first free candidate and publish it". A dequeue lists, then checks out the first
 * listed entry still there: it can take the second entry while an older one arrived meanwhile.
 * So the sequential specification is the usual one for operations with a free choice: the
 * operation is an atomic action on the entry it reports, and that action must be possible in
 * the model at some point of its interval (the name must be free for an enqueue, queued for a
 * dequeue, held for a remove...). A dequeue that found nothing constrains nothing (the entries
 * it listed may all have been taken before it tried them). The choice of name is not checked.
 *
 * Composite calls are recorded as two operations, each atomic: `tryWithEntry` (and a reader's
 * take-then-remove) is a `tryCheckout`/`dequeue` (the rename into `.checkout`) followed by a
 * `remove` (its observable point is the unlink of the registry file, which frees the name).
 *
 * A killed operation (kill -9) did only part of its steps; which ones is read off its process's
 * timeline (`kill-reach.ts`) and given as its `reach`: the model applies exactly that part. The
 * checker still treats it as killed (it may take effect at any point after its call, or not at
 * all), which only gives it more freedom.
 *
 * Partitioning by entry name is sound: every operation reads and changes only its own entry's
 * files in the model (a registry name, a queue file, a checkout file, a data file), and its output
 * depends only on them; operations that name no entry (a dequeue that found nothing, a Monitor
 * run) change nothing and go into one part of their own.
 */
import { isDeepStrictEqual } from 'node:util';
import { initialWorld, step, type ModelWorld, type NameSource, type Result } from '../../model/multispool/index.ts';
import { sortedEntries } from '../../model/multispool/primitives.ts';
import type { ConcurrentHistory, LinearizabilityModel, Operation } from '../../sim/linearizability/index.ts';
import { TEST_QUEUES, type TestMeta } from '../multispool/test-spoolable.ts';

/** The queue every racing operation works on. */
export const RACE_QUEUE = 'alpha';

/** What a racing process called, as recorded at the call. */
export type RaceCall =
  /** `enqueue(alpha, metadata, data, {reserve: the shared generator})`. */
  | { readonly kind: 'enqueue'; readonly metadata: TestMeta; readonly data: string }
  /** A queue reader's take: one `dequeueAvailable()`, or the dequeue an `iter` makes before calling its handler. */
  | { readonly kind: 'dequeue'; readonly via: 'iter' | 'dequeueAvailable' }
  /** The checkout half of `tryWithEntry(entry(alpha, name), f)`: from the call until f is called (or notFound). */
  | { readonly kind: 'tryCheckout'; readonly name: string }
  /** The remove half of a take (the handler's `remove` action, or `checkedOut.remove()`). */
  | { readonly kind: 'remove'; readonly name: string }
  /** One Monitor run: `Monitor.open` then `runOnce()`; only its failing is checked (it does not take a snapshot). */
  | { readonly kind: 'monitor' }
  /** After the race, one entry's files read from disk (no process runs any more). */
  | { readonly kind: 'final'; readonly name: string };

/**
 * How far an operation got: `returned` for one that returned; for a killed one, the last step
 * that reached the disk: `none` (nothing that changes state), `reserved` (an enqueue's registry
 * file, maybe its staged files, not published), `published` (an enqueue's rename into the queue),
 * `checkedOut` (a take's rename into `.checkout`), `metadataRemoved` (a remove unlinked the
 * checkout file, maybe the data, not the registry file), `removed` (the registry file too).
 */
export type Reach = 'returned' | 'none' | 'reserved' | 'published' | 'checkedOut' | 'metadataRemoved' | 'removed';

/** What the checker steps: the call, the entry it acted on, and how far it got. */
export interface RaceInput {
  readonly call: RaceCall;
  /** The entry it acted on; undefined when it acted on none (a dequeue that found nothing, a Monitor run, a failure). */
  readonly subject: string | undefined;
  readonly reach: Reach;
}

/** An operation's result in the model's terms (as `properties/multispool/side-by-side.ts` maps them). */
export type RaceOutput =
  /** An enqueue's entry. */
  | { readonly kind: 'entry'; readonly name: string }
  /** A take that checked `name` out: the metadata read from its checkout file, and its data. */
  | { readonly kind: 'taken'; readonly name: string; readonly contents: TestMeta; readonly data: string }
  /** A `dequeueAvailable` that found nothing, or a dequeue that was stopped. */
  | { readonly kind: 'nothing' }
  /** A `tryCheckout` that lost: the entry was not queued. */
  | { readonly kind: 'notFound' }
  /** A remove or a Monitor run that succeeded. */
  | { readonly kind: 'done' }
  /** A failure: a SpoolError's kind, or another error's message. */
  | { readonly kind: 'error'; readonly error: string }
  /** One entry's files after the race. */
  | { readonly kind: 'final'; readonly registered: boolean; readonly queued: TestMeta | null; readonly checkedOut: TestMeta | null };

/** The model's state: the reference model's world (handles the racing processes hold are its unreleased handles). */
export type RaceState = ModelWorld<TestMeta, string>;

type RaceOp = Operation<RaceInput, RaceOutput>;

/** A name source that proposes only `name` (the one the operation reported), once. */
const only = (name: string): NameSource => ({ next: () => name });

/** The world without spent handles (they change nothing any more), so equal states get equal keys. */
function live(world: RaceState): RaceState {
  return world.handles.every((h) => !h.released) ? world : { ...world, handles: world.handles.filter((h) => !h.released) };
}

function asOutput(result: Result<unknown>, value: (v: unknown) => RaceOutput): RaceOutput {
  return result.kind === 'ok' ? value(result.value) : { kind: 'error', error: result.error };
}

/** Applies one operation (see the module comment for what each does). */
export function raceStep(world: RaceState, input: RaceInput, now: number): { state: RaceState; output: RaceOutput } {
  const { call, subject, reach } = input;
  if (reach === 'none') return { state: world, output: { kind: 'nothing' } };
  switch (call.kind) {
    case 'enqueue': {
      // An enqueue that failed (no name) is explained by no model state: the model's enqueue succeeds.
      if (subject === undefined) return { state: world, output: { kind: 'entry', name: '(a fresh name)' } };
      if (reach === 'reserved') {
        return { state: step(world, { kind: 'reserve', names: only(subject), maxAttempts: 1 }, now).world, output: { kind: 'nothing' } };
      }
      const r = step(world, { kind: 'enqueue', queue: RACE_QUEUE, metadata: call.metadata, data: call.data, name: { reserve: only(subject), maxAttempts: 1 } }, now);
      return { state: r.world, output: asOutput(r.result, () => ({ kind: 'entry', name: subject })) };
    }
    case 'dequeue':
    case 'tryCheckout': {
      if (subject === undefined) return { state: world, output: { kind: 'nothing' } };
      const r = step(world, { kind: 'tryCheckout', queue: RACE_QUEUE, name: subject }, now);
      const data = world.spool.data.get(subject);
      const output = asOutput(r.result, (v) => {
        const got = v as { kind: 'checkedOut'; contents: TestMeta } | { kind: 'notFound' };
        if (got.kind === 'notFound') return { kind: 'notFound' };
        return { kind: 'taken', name: subject, contents: got.contents, data: data ?? '(no data file)' };
      });
      return { state: r.world, output };
    }
    case 'remove': {
      const index = world.handles.findIndex((h) => !h.released && h.name === call.name && h.queue === RACE_QUEUE);
      if (index < 0) return { state: world, output: { kind: 'error', error: `${call.name} is not checked out by anyone` } };
      const r = step(world, { kind: 'remove', handle: index }, now);
      let state = live(r.world);
      const mtime = world.spool.registry.get(call.name);
      if (reach === 'metadataRemoved' && r.result.kind === 'ok' && mtime !== undefined) {
        // Killed before the registry file went: it stays (the name stays taken).
        state = { ...state, spool: { ...state.spool, registry: new Map(state.spool.registry).set(call.name, mtime) } };
      }
      return { state, output: asOutput(r.result, () => ({ kind: 'done' })) };
    }
    case 'monitor':
      return { state: world, output: { kind: 'done' } };
    case 'final': {
      const q = world.spool.queues.get(RACE_QUEUE);
      return {
        state: world,
        output: {
          kind: 'final',
          registered: world.spool.registry.has(call.name),
          queued: q?.queued.get(call.name)?.metadata ?? null,
          checkedOut: q?.checkedOut.get(call.name)?.metadata ?? null,
        },
      };
    }
  }
}

/** A faithful key: every file (name, contents, mtime) and every handle held, in a canonical order. */
export function raceKey(world: RaceState): string {
  const s = world.spool;
  const files = (m: ReadonlyMap<string, { metadata: TestMeta; mtimeMs: number }>): unknown[] =>
    sortedEntries(m).map(([n, f]) => [n, f.metadata.label, f.metadata.rev, f.mtimeMs]);
  return JSON.stringify([
    sortedEntries(s.registry),
    files(s.tmp),
    sortedEntries(s.data),
    [...s.queues.entries()].map(([q, st]) => [q, files(st.queued), files(st.checkedOut)]),
    world.handles
      .filter((h) => !h.released)
      .map((h) => [h.queue, h.name, h.contents.label, h.contents.rev])
      .sort(),
  ]);
}

/** Splits a history by the entry each operation acted on; operations on no entry form one part. */
export function partitionByEntry(ops: ConcurrentHistory<RaceInput, RaceOutput>): RaceOp[][] {
  const parts = new Map<string, RaceOp[]>();
  for (const op of ops) {
    const key = op.input.subject === undefined ? '' : `entry ${op.input.subject}`;
    const part = parts.get(key);
    if (part === undefined) parts.set(key, [op]);
    else part.push(op);
  }
  return [...parts.values()];
}

/** The model for `checkLinearizable`; `now` is the (fixed) clock time of the race. */
export function raceModel(now: number): LinearizabilityModel<RaceState, RaceInput, RaceOutput> {
  return {
    init: initialWorld(TEST_QUEUES),
    step: (state, input) => raceStep(state, input, now),
    equalOutput: (a, b) => isDeepStrictEqual(a, b),
    key: raceKey,
    partition: partitionByEntry,
  };
}

/** An input in words: `enqueue e1#0 as n0`, `dequeue (iter) took n1`, `remove n1 (killed: metadataRemoved)`. */
export function formatRaceInput(input: RaceInput): string {
  const { call, subject, reach } = input;
  const how = reach === 'returned' ? '' : ` (killed; reached: ${reach})`;
  switch (call.kind) {
    case 'enqueue':
      return `enqueue ${call.metadata.label}${subject === undefined ? '' : ` as ${subject}`}${how}`;
    case 'dequeue':
      return `dequeue (${call.via})${subject === undefined ? '' : ` took ${subject}`}${how}`;
    case 'tryCheckout':
    case 'remove':
    case 'final':
      return `${call.kind} ${call.name}${how}`;
    case 'monitor':
      return `monitor${how}`;
  }
}

/** An output in words. */
export function formatRaceOutput(output: RaceOutput): string {
  switch (output.kind) {
    case 'entry':
      return `entry ${output.name}`;
    case 'taken':
      return `took ${output.name} ${output.contents.label}/${output.contents.rev} data ${JSON.stringify(output.data)}`;
    case 'error':
      return `error ${output.error}`;
    case 'final':
      return `registry ${output.registered ? 'yes' : 'no'}, queued ${output.queued?.label ?? '-'}, checked out ${output.checkedOut?.label ?? '-'}`;
    default:
      return output.kind;
  }
}
