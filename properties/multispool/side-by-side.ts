/**
 * The side-by-side runner: applies a command sequence to the reference model and to the real
 * multispool at once; after every command it compares the two results, then reads the spool
 * directory back through the abstraction function and compares it with the model's state, and
 * checks that nothing the command did inside the spool is left un-fsynced (every acknowledged
 * operation is durable when it returns) and that no file handle was left open. Every SpoolError the implementation throws must be a
 * clear error (`clear-errors.ts`). The first difference throws a {@link SideBySideViolation} that
 * tells the whole story.
 *
 * Most commands are one model operation. The handler-taking operations (`withEntry`,
 * `tryWithEntry`, `iterAvailable`, `iter`) are compositions of model operations: a (try)checkout,
 * then `update` + `save`, or `remove`, of the new handle; the handle is the API's own and never
 * reaches the test, so the model forgets it afterwards.
 */
import { DetailedError, type FailureDetails } from '../failure-details.ts';
import { isDeepStrictEqual } from 'node:util';
import type { ManualClock } from '../../impl/io/clock.ts';
import type { DirWatcher, Vfs } from '../../impl/io/vfs.ts';
import {
  Multispool,
  SpoolError,
  type CheckedOutEntry,
  type DataFile,
  type EntryAction,
  type EntryHandler,
  type EntryOutcome,
  type MultispoolQuirks,
} from '../../impl/multispool/index.ts';
import { initialWorld, ok, step, type CheckedOut, type ModelWorld, type NameSource, type Op, type Result } from '../../model/multispool/index.ts';
import { describeCommand, NAME_POOL, PROPERTY_MAX_RESERVE_ATTEMPTS, type Command, type HandlerAction } from './commands.ts';
import { assertClearError, isInside, UnclearErrorViolation } from './clear-errors.ts';
import { readSpoolState } from './disk-state.ts';
import { durabilityTracker, type DurabilityTracker } from './durability.ts';
import { diffStates, renderState, renderValue } from './render.ts';
import { TEST_QUEUES, TEST_SPOOLABLE, type TestMeta, type TestQueue } from './test-spoolable.ts';

type Spool = Multispool<TestQueue, TestMeta, string>;
type Held = CheckedOutEntry<TestQueue, TestMeta, string>;
type World = ModelWorld<TestMeta, string>;
type Outcome = { readonly world: World; readonly result: Result<unknown> };

/** Where the implementation runs. */
export interface SideBySideEnv {
  readonly vfs: Vfs;
  /** The spool directory (must not exist, its parent must). */
  readonly dir: string;
  /** The clock both the implementation and the model read; `tick` commands advance it. */
  readonly clock: ManualClock;
  /** The buggy variant's quirks, or none. */
  readonly quirks?: MultispoolQuirks;
}

/** Model and implementation disagreed. The message is the transcript and the difference. */
export class SideBySideViolation extends DetailedError {
  constructor(message: string, details: FailureDetails = {}) {
    super(message, details);
    this.name = 'SideBySideViolation';
  }
}

/**
 * A name generator that offers the given candidates in turn (the same for model and
 * implementation); past the last candidate it starts over.
 */
export function candidateNames(candidates: readonly string[]): NameSource {
  return { next: (attempt) => candidates[attempt] ?? candidates[attempt % candidates.length] ?? 'n0' };
}

/** The implementation side of a run: the spool, the entries the test holds, and its surroundings. */
interface ImplSide {
  readonly spool: Spool;
  readonly held: Held[];
  readonly env: SideBySideEnv;
  readonly vfs: DurabilityTracker;
  readonly options: { readonly clock: ManualClock; readonly maxReserveAttempts: number; readonly quirks?: MultispoolQuirks };
}

/** One command, ready to run on both sides. `predict` gives `undefined` when the model cannot say (the command is skipped). */
interface Plan {
  predict(world: World, now: number): Outcome | undefined;
  apply(impl: ImplSide): Promise<Result<unknown>>;
}

/** What a handler's error looks like as a result: it propagated out of the API call (it is not a SpoolError). */
const PROPAGATED: Result<unknown> = ok({ propagated: 'the handler threw' });

/** The error the test's handlers throw for the action `throw`. */
class HandlerFailure extends Error {
  constructor() {
    super('the handler threw (as the generated action says)');
    this.name = 'HandlerFailure';
  }
}

/** Runs `commands` side by side; throws {@link SideBySideViolation} at the first disagreement. */
export async function runSideBySide(commands: readonly Command[], env: SideBySideEnv): Promise<void> {
  const vfs = durabilityTracker(env.vfs);
  const options = {
    clock: env.clock,
    maxReserveAttempts: PROPERTY_MAX_RESERVE_ATTEMPTS,
    ...(env.quirks === undefined ? {} : { quirks: env.quirks }),
  };
  const spool: Spool = await Multispool.create(vfs, env.dir, TEST_SPOOLABLE, options);
  const impl: ImplSide = { spool, held: [], env, vfs, options };
  let world: World = initialWorld(TEST_QUEUES);
  const transcript: string[] = [];
  /** Fails with `what` and the transcript; `sides` puts the model's and the implementation's answers side by side (the HTML page). */
  const fail = (what: string, sides?: { expected: string; actual: string }): never => {
    throw new SideBySideViolation(`${what}\nTranscript (step: command => model result | implementation result):\n${transcript.join('\n')}`, sides ?? {});
  };

  await compareDisk(impl, world, 'after create', fail);
  for (const [i, command] of commands.entries()) {
    const what = `Step ${i + 1} (${describeCommand(command)})`;
    if (command.op === 'tick') {
      env.clock.advance(command.ms);
      transcript.push(`  ${i + 1}: ${describeCommand(command)}`);
      continue;
    }
    const plan = planCommand(command, world);
    const predicted = plan?.predict(world, env.clock.now());
    if (plan === undefined || predicted === undefined) {
      transcript.push(`  ${i + 1}: ${describeCommand(command)} (skipped: ${plan === undefined ? 'no checked-out entry held' : 'not modelled here'})`);
      continue;
    }
    let actual: Result<unknown>;
    try {
      actual = await plan.apply(impl);
    } catch (e) {
      if (!(e instanceof UnclearErrorViolation)) throw e;
      transcript.push(`  ${i + 1}: ${describeCommand(command)} => ${renderResult(predicted.result)} | (an unclear error)`);
      return fail(`${what}: the implementation threw an ${e.message}`);
    }
    transcript.push(`  ${i + 1}: ${describeCommand(command)} => ${renderResult(predicted.result)} | ${renderResult(actual)}`);
    if (!isDeepStrictEqual(predicted.result, actual)) {
      fail(`${what}: the implementation returned ${renderResult(actual)}, the model predicts ${renderResult(predicted.result)}.`, { expected: renderResult(predicted.result), actual: renderResult(actual) });
    }
    world = predicted.world;
    if (world.handles.length !== impl.held.length) {
      fail(`${what}: the model holds ${world.handles.length} checked-out entries, the implementation ${impl.held.length}.`);
    }
    await compareDisk(impl, world, `after step ${i + 1} (${describeCommand(command)})`, fail);
  }
}

/** Compares the spool on disk with the model's, and checks that nothing inside it is left un-fsynced. */
async function compareDisk(impl: ImplSide, world: World, when: string, fail: (what: string, sides?: { expected: string; actual: string }) => never): Promise<void> {
  const disk = await readSpoolState(impl.env.vfs, impl.env.dir, TEST_QUEUES, TEST_SPOOLABLE);
  if (!isDeepStrictEqual(disk, world.spool)) {
    const diff = diffStates(world.spool, disk);
    fail(
      `The spool on disk differs from the model ${when}:\n` +
        (diff.length > 0 ? diff.join('\n') : `  model: ${renderState(world.spool).join('; ')}\n  disk:  ${renderState(disk).join('; ')}`),
      { expected: renderState(world.spool).join('\n'), actual: renderState(disk).join('\n') },
    );
  }
  const leaked = impl.vfs.openFiles();
  if (leaked.length > 0) fail(`File handles leaked ${when}: ${leaked.join(', ')} opened and never closed.`);
  const dirty = impl.vfs.notDurable(impl.env.dir);
  if (dirty.dirs.length > 0 || dirty.files.length > 0) {
    fail(
      `Not durable ${when}: the operation returned, but ` +
        [
          ...(dirty.dirs.length > 0 ? [`the entries of ${dirty.dirs.join(', ')} were changed and not fsynced (fsyncDir)`] : []),
          ...(dirty.files.length > 0 ? [`${dirty.files.join(', ')} were written and not fsynced`] : []),
        ].join(', and ') +
        '.',
    );
  }
}

/** The plan of a command; `undefined` when it needs a held entry and there is none. */
function planCommand(c: Exclude<Command, { op: 'tick' }>, world: World): Plan | undefined {
  const handle = (n: number): number | undefined => (world.handles.length === 0 ? undefined : n % world.handles.length);
  const single = (op: Op<TestMeta, string>): Plan => ({
    predict: (w, now) => step(w, op, now),
    apply: (impl) => applyToImplementation(impl, op),
  });
  switch (c.op) {
    case 'reserve':
      return single({ kind: 'reserve', names: candidateNames(c.candidates), maxAttempts: PROPERTY_MAX_RESERVE_ATTEMPTS });
    case 'enqueue':
      return single({
        kind: 'enqueue',
        queue: c.queue,
        metadata: c.metadata,
        data: c.data,
        name: 'use' in c.name ? { use: c.name.use } : { reserve: candidateNames(c.name.reserve), maxAttempts: PROPERTY_MAX_RESERVE_ATTEMPTS },
      });
    case 'update': {
      const h = handle(c.handle);
      return h === undefined ? undefined : single({ kind: 'update', handle: h, metadata: c.metadata });
    }
    case 'save': {
      const h = handle(c.handle);
      return h === undefined ? undefined : single({ kind: 'save', handle: h, queue: c.queue });
    }
    case 'remove':
    case 'giveBack': {
      const h = handle(c.handle);
      return h === undefined ? undefined : single({ kind: c.op, handle: h });
    }
    case 'list':
    case 'listCheckoutsUnsafe':
    case 'dequeueAvailable':
      return single({ kind: c.op, queue: c.queue });
    case 'stat':
      return single({ kind: 'stat', name: c.name });
    case 'directContents':
    case 'directRemove':
    case 'tryCheckout':
    case 'checkout':
      return single({ kind: c.op, queue: c.queue, name: c.name });
    case 'directSave':
      return single({ kind: 'directSave', queue: c.queue, name: c.name, metadata: c.metadata });
    case 'withEntry':
    case 'tryWithEntry':
      return withEntryPlan(c);
    case 'iterAvailable':
    case 'iter':
      return iterPlan(c);
    case 'dataFile': {
      const h = handle(c.handle);
      return h === undefined ? undefined : dataFilePlan(h);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The model side of the handler-taking operations.

/** What a handler (or the `dataFile` command) sees of an entry. */
interface Seen {
  readonly contents: TestMeta;
  /** The data file's path, relative to the spool directory. */
  readonly dataPath: string;
  /** `dataFile.load()`: the data, or the error kind. Absent for a synchronous handler. */
  readonly data?: string | { readonly error: string };
  /** `dataFile.stat()`: kind and size, or the error kind. Absent for a synchronous handler. */
  readonly dataStat?: { readonly kind: string; readonly size: number } | { readonly error: string };
}

/** What the model says a handler sees of entry `name` (with contents `contents`). */
function modelSeen(world: World, name: string, contents: TestMeta, withData: boolean): Seen {
  const dataPath = `/.data/${name}`;
  if (!withData) return { contents, dataPath };
  const data = world.spool.data.get(name);
  if (data === undefined) return { contents, dataPath, data: { error: 'notFound' }, dataStat: { error: 'notFound' } };
  return { contents, dataPath, data, dataStat: { kind: 'file', size: TEST_SPOOLABLE.data.encode(data).length } };
}

/** The model world after handler action `action` on (fresh) handle `h`: update + save, or remove, or nothing (throw). */
function modelAct(world: World, h: number, action: HandlerAction, now: number): Outcome {
  switch (action.kind) {
    case 'save': {
      const updated = step(world, { kind: 'update', handle: h, metadata: action.metadata }, now);
      if (updated.result.kind === 'error') return updated;
      return step(updated.world, { kind: 'save', handle: h, queue: action.queue }, now);
    }
    case 'remove':
      return step(world, { kind: 'remove', handle: h }, now);
    case 'throw':
      return { world, result: PROPAGATED };
  }
}

/** `world`'s spool with the handles of `before`: the API's own handles never reach the test. */
function forgetHandles(before: World, after: World): World {
  return { spool: after.spool, handles: before.handles };
}

function withEntryPlan(c: Extract<Command, { op: 'withEntry' | 'tryWithEntry' }>): Plan {
  return {
    predict(world, now) {
      const checkout = step(world, { kind: c.op === 'withEntry' ? 'checkout' : 'tryCheckout', queue: c.queue, name: c.name }, now);
      const done = (w: World, result: Result<unknown>): Outcome => ({ world: forgetHandles(world, w), result });
      if (checkout.result.kind === 'error') return done(checkout.world, checkout.result);
      const got = checkout.result.value as CheckedOut<TestMeta> | { readonly kind: 'notFound' };
      if (got.kind === 'notFound') return done(checkout.world, ok({ kind: 'notFound' }));
      const seen = modelSeen(checkout.world, c.name, got.contents, c.async);
      const acted = modelAct(checkout.world, got.handle, c.action, now);
      if (acted.result.kind === 'error' || c.action.kind === 'throw') return done(acted.world, acted.result);
      return done(acted.world, ok(c.op === 'withEntry' ? seen : { kind: 'ok', result: seen }));
    },
    async apply(impl) {
      const failure = new HandlerFailure();
      const decide = (seen: Seen): EntryOutcome<TestQueue, TestMeta, Seen> => {
        if (c.action.kind === 'throw') throw failure;
        return { action: entryAction(c.action), result: seen };
      };
      const handler: EntryHandler<TestQueue, TestMeta, string, Seen> = c.async
        ? async (contents, dataFile) => decide(await implSeen(impl, contents, dataFile))
        : (contents, dataFile) => decide({ contents, dataPath: relative(impl, dataFile.path) });
      try {
        const entry = impl.spool.entry(c.queue, c.name);
        if (c.op === 'withEntry') return ok(await impl.spool.withEntry(entry, handler));
        const r = await impl.spool.tryWithEntry(entry, handler);
        return ok(r.kind === 'notFound' ? { kind: r.kind } : { kind: r.kind, result: r.result });
      } catch (e) {
        if (e === failure) return PROPAGATED;
        return errorResult(impl, e);
      }
    },
  };
}

/**
 * `iterAvailable`: one listing, then for each name tryCheckout and the handler; the results in
 * order. `iter`: the same pass, as the first refresh of its dequeue loop makes it; the test stops
 * it when it is about to wait for a notification, so an `iter` that sleeps with work waiting (or
 * handles too much) shows. For `iter` a save goes into the other queue, so that the pass ends.
 */
function iterPlan(c: Extract<Command, { op: 'iterAvailable' | 'iter' }>): Plan {
  const action: HandlerAction =
    c.op === 'iter' && c.action.kind === 'save' && c.action.queue === c.queue
      ? { ...c.action, queue: TEST_QUEUES.find((q) => q !== c.queue) ?? c.queue }
      : c.action;
  return {
    predict(world, now) {
      let w = world;
      const results: Seen[] = [];
      const done = (result: Result<unknown>): Outcome => ({ world: forgetHandles(world, w), result });
      const listing = step(w, { kind: 'list', queue: c.queue }, now).result;
      const names = listing.kind === 'ok' ? (listing.value as readonly string[]) : [];
      for (const name of names) {
        const attempt = step(w, { kind: 'tryCheckout', queue: c.queue, name }, now);
        w = attempt.world;
        if (attempt.result.kind === 'error') return done(attempt.result);
        const got = attempt.result.value as CheckedOut<TestMeta> | { readonly kind: 'notFound' };
        if (got.kind === 'notFound') continue;
        const seen = modelSeen(w, name, got.contents, true);
        const acted = modelAct(w, got.handle, action, now);
        w = acted.world;
        if (acted.result.kind === 'error' || action.kind === 'throw') return done(acted.result);
        results.push(seen);
      }
      // `iter` lists again before it waits: anything still queued there (it could not be checked
      // out) would be tried over and over. API use never leaves such a file; if it did, say so.
      const left = step(w, { kind: 'list', queue: c.queue }, now).result;
      if (c.op === 'iter' && left.kind === 'ok' && (left.value as readonly string[]).length > 0) return undefined;
      return done(ok(results));
    },
    async apply(impl) {
      const failure = new HandlerFailure();
      const seenByHandler: Seen[] = [];
      const stop = new AbortController();
      const handler: EntryHandler<TestQueue, TestMeta, string, Seen> = async (contents, dataFile) => {
        const seen = await implSeen(impl, contents, dataFile);
        if (action.kind === 'throw') throw failure;
        seenByHandler.push(seen);
        return { action: entryAction(action), result: seen };
      };
      const watched = stopWhenWaiting(impl.vfs, stop);
      const spool = c.op === 'iter' ? Multispool.loadUnsafe(watched.vfs, impl.env.dir, TEST_SPOOLABLE, impl.options) : impl.spool;
      const reader = spool.queueReader(c.queue);
      try {
        if (c.op === 'iterAvailable') {
          const results = await reader.iterAvailable(handler);
          if (!isDeepStrictEqual(results, seenByHandler)) {
            return ok({ mismatch: 'iterAvailable returned other results than its handler gave', returned: results, handled: seenByHandler });
          }
          return ok(results);
        }
        await reader.iter(handler, { signal: stop.signal });
        if (watched.runaway()) return ok({ runaway: `iter listed ${c.queue} ${watched.listings()} times without waiting for a notification`, handled: seenByHandler });
        return ok(seenByHandler);
      } catch (e) {
        if (e === failure) return PROPAGATED;
        return errorResult(impl, e);
      } finally {
        reader.close();
      }
    },
  };
}

/**
 * Listings an `iter` pass may make: the first, one per entry at most (a queue holds at most
 * NAME_POOL.length), and the one before it waits. More means the pass never ends (an entry keeps
 * coming back, or a name can never be checked out), and the reader is stopped so that it shows.
 */
const MAX_ITER_LISTINGS = NAME_POOL.length + 2;

/**
 * A Vfs whose watchers, instead of waiting for a notification, stop the reader (abort `stop`);
 * it also stops a reader that lists more than MAX_ITER_LISTINGS times (`runaway()`).
 */
function stopWhenWaiting(inner: Vfs, stop: AbortController): { vfs: Vfs; runaway(): boolean; listings(): number } {
  let listings = 0;
  const vfs: Vfs = {
    ...inner,
    description: `${inner.description} (a wait stops the reader)`,
    readdir: async (path) => {
      listings++;
      if (listings > MAX_ITER_LISTINGS) stop.abort();
      return inner.readdir(path);
    },
    watch: async (path): Promise<DirWatcher> => {
      const watcher = await inner.watch(path);
      return {
        drain: () => watcher.drain(),
        wait: async () => {
          stop.abort();
        },
        close: () => watcher.close(),
      };
    },
  };
  return { vfs, runaway: () => listings > MAX_ITER_LISTINGS, listings: () => listings };
}

function dataFilePlan(h: number): Plan {
  return {
    predict(world) {
      const handle = world.handles[h];
      if (handle === undefined) throw new Error(`harness bug: no model handle #${h}`);
      const seen = modelSeen(world, handle.name, handle.contents, true);
      return { world, result: ok({ released: handle.released, path: `/${handle.queue}/.checkout/${handle.name}`, ...seen }) };
    },
    async apply(impl) {
      const entry = heldAt(impl, h);
      return ok({ released: entry.released, path: relative(impl, entry.path), ...(await implSeen(impl, entry.contents, entry.dataFile)) });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The implementation side.

/** What a handler sees of an entry, read through the implementation's DataFile. */
async function implSeen(impl: ImplSide, contents: TestMeta, dataFile: DataFile<string>): Promise<Seen> {
  const attempt = async <T>(f: () => Promise<T>): Promise<T | { readonly error: string }> => {
    try {
      return await f();
    } catch (e) {
      if (!(e instanceof SpoolError)) throw e;
      assertClearError(e, impl.env.dir);
      return { error: e.kind };
    }
  };
  return {
    contents,
    dataPath: relative(impl, dataFile.path),
    data: await attempt(() => dataFile.load()),
    dataStat: await attempt(async () => {
      const s = await dataFile.stat();
      return { kind: s.kind, size: s.size };
    }),
  };
}

/** `path` relative to the spool directory (`/.data/n0`); a path outside it is returned whole, so it shows. */
function relative(impl: ImplSide, path: string): string {
  return isInside(path, impl.env.dir) ? path.slice(impl.env.dir.length) : path;
}

function entryAction(action: Exclude<HandlerAction, { kind: 'throw' }>): EntryAction<TestQueue, TestMeta> {
  return action.kind === 'save' ? { kind: 'save', metadata: action.metadata, queue: action.queue } : { kind: 'remove' };
}

function heldAt(impl: ImplSide, i: number): Held {
  const entry = impl.held[i];
  if (entry === undefined) throw new Error(`harness bug: no held entry #${i}`);
  return entry;
}

/** A thrown SpoolError as a result (after checking it is a clear error); anything else is rethrown. */
function errorResult(impl: ImplSide, e: unknown): Result<unknown> {
  if (!(e instanceof SpoolError)) throw e;
  assertClearError(e, impl.env.dir);
  return { kind: 'error', error: e.kind };
}

/** Applies the same operation to the implementation, with its result in the model's terms. */
async function applyToImplementation(impl: ImplSide, op: Op<TestMeta, string>): Promise<Result<unknown>> {
  const { spool, held } = impl;
  const hold = (entry: Held): { handle: number; contents: TestMeta } => {
    held.push(entry);
    return { handle: held.length - 1, contents: entry.contents };
  };
  const queue = (q: string): TestQueue => q as TestQueue;
  try {
    switch (op.kind) {
      case 'reserve':
        return ok(await spool.reserve(op.names));
      case 'enqueue': {
        const name = 'use' in op.name ? { use: op.name.use } : { reserve: op.name.reserve };
        const entry = await spool.enqueue(queue(op.queue), op.metadata, op.data, name);
        return ok({ queue: entry.queue, name: entry.name });
      }
      case 'list':
        return ok(await spool.list(queue(op.queue)));
      case 'stat':
        return ok({ mtimeMs: (await spool.stat(spool.entry(TEST_QUEUES[0] as TestQueue, op.name))).mtimeMs });
      case 'directContents':
        return ok(await spool.direct.contents(spool.entry(queue(op.queue), op.name)));
      case 'directSave':
        return ok(await spool.direct.save(spool.entry(queue(op.queue), op.name), op.metadata));
      case 'directRemove':
        return ok(await spool.direct.remove(spool.entry(queue(op.queue), op.name)));
      case 'tryCheckout': {
        const r = await spool.tryCheckout(spool.entry(queue(op.queue), op.name));
        return ok(r.kind === 'notFound' ? { kind: 'notFound' } : { kind: 'checkedOut', ...hold(r.entry) });
      }
      case 'checkout':
        return ok({ kind: 'checkedOut', ...hold(await spool.checkout(spool.entry(queue(op.queue), op.name))) });
      case 'update':
        heldAt(impl, op.handle).update(() => op.metadata);
        return ok(undefined);
      case 'save':
        return ok(await heldAt(impl, op.handle).save(queue(op.queue)));
      case 'remove':
        return ok(await heldAt(impl, op.handle).remove());
      case 'giveBack':
        return ok(await heldAt(impl, op.handle).giveBack());
      case 'listCheckoutsUnsafe': {
        const entries = await spool.listCheckoutsUnsafe(queue(op.queue));
        return ok(entries.map((e) => ({ name: e.name, ...hold(e) })));
      }
      case 'dequeueAvailable': {
        const reader = spool.queueReader(queue(op.queue));
        try {
          const e = await reader.dequeueAvailable();
          return ok(e === undefined ? undefined : { name: e.name, ...hold(e) });
        } finally {
          reader.close();
        }
      }
    }
  } catch (e) {
    return errorResult(impl, e);
  }
}

function renderResult(r: Result<unknown>): string {
  return r.kind === 'ok' ? `ok ${renderValue(r.value)}` : `error ${r.error}`;
}
