/**
 * The multispool reference model: `step(world, op, now)` applies one operation, following
 * `docs/multispool-protocol.md` step by step, and returns the new world and the result.
 *
 * Conventions of this model:
 * - Time is the argument `now`; every touch and every new `.tmp` file gets mtime `now`, a rename
 *   keeps the mtime of the file it moves.
 * - No I/O fails, so the model never returns `corrupt` or `io`, and enqueue's clean-up (its step 5)
 *   never runs.
 * - An error result can still come with a changed world, exactly where the protocol's steps have
 *   already changed something before the failing step (e.g. `tryCheckout` touches the registry
 *   file before it finds the queue file missing).
 * - Caller bugs (a handle index that does not exist, a queue that is not one of the spool's) throw;
 *   they are not spool behaviours.
 */
import { isValidName, type NameSource } from './names.ts';
import type { CheckedOut, HandleState, HeldEntry, ModelWorld, Op, OpValues, TryCheckoutValue } from './operations.ts';
import {
  filesOf,
  queueState,
  removeEntry,
  rename,
  renameTouched,
  sortedEntries,
  sortedNames,
  touchRegistry,
  withKey,
  writeTmp,
  type MetadataDir,
} from './primitives.ts';
import { err, ok, type Result } from './result.ts';
import type { SpoolState } from './state.ts';

/** The world after an operation, and what the operation returned. */
export interface StepOutcome<M, D, V> {
  readonly world: ModelWorld<M, D>;
  readonly result: Result<V>;
}

/** Applies `op` to `world` at time `now` (ms). The result's value type follows the op's kind. */
export function step<M, D, O extends Op<M, D>>(world: ModelWorld<M, D>, op: O, now: number): StepOutcome<M, D, OpValues<M>[O['kind']]> {
  return dispatch(world, op as Op<M, D>, now) as StepOutcome<M, D, OpValues<M>[O['kind']]>;
}

function dispatch<M, D>(world: ModelWorld<M, D>, op: Op<M, D>, now: number): StepOutcome<M, D, unknown> {
  switch (op.kind) {
    case 'reserve':
      return onSpool(world, reserve(world.spool, op.names, op.maxAttempts, now));
    case 'enqueue':
      return onSpool(world, enqueue(world.spool, op, now));
    case 'list':
      return { world, result: ok(sortedNames(queueState(world.spool, op.queue).queued)) };
    case 'stat':
      return { world, result: stat(world.spool, op.name) };
    case 'directContents':
      return { world, result: directContents(world.spool, op.queue, op.name) };
    case 'directSave':
      return onSpool(world, directSave(world.spool, op.queue, op.name, op.metadata, now));
    case 'directRemove':
      return onSpool(world, removeEntry(world.spool, queueDir(op.queue), op.name, now));
    case 'tryCheckout':
      return tryCheckout(world, op.queue, op.name, now);
    case 'checkout':
      return checkout(world, op.queue, op.name, now);
    case 'update':
      return update(world, op.handle, op.metadata);
    case 'save':
      return save(world, op.handle, op.queue, now);
    case 'remove':
      return remove(world, op.handle, now);
    case 'giveBack':
      return giveBack(world, op.handle, now);
    case 'listCheckoutsUnsafe':
      return listCheckoutsUnsafe(world, op.queue);
    case 'dequeueAvailable':
      return dequeueAvailable(world, op.queue, now);
  }
}

const TMP: MetadataDir = { kind: 'tmp' };
const queueDir = (queue: string): MetadataDir => ({ kind: 'queue', queue });
const checkoutDir = (queue: string): MetadataDir => ({ kind: 'checkout', queue });

/** Lifts a spool-only outcome into the world (the handles are unchanged). */
function onSpool<M, D, V>(
  world: ModelWorld<M, D>,
  outcome: { readonly spool: SpoolState<M, D>; readonly result: Result<V> },
): StepOutcome<M, D, V> {
  return { world: { ...world, spool: outcome.spool }, result: outcome.result };
}

/**
 * reserve: for attempt 0, 1, ...: an invalid candidate fails with `invalidName`; a candidate whose
 * registry file exists is a clash (next attempt); otherwise its registry file is created with
 * mtime `now`. After `maxAttempts` clashes: `namesExhausted`. A failure creates nothing.
 */
function reserve<M, D>(
  spool: SpoolState<M, D>,
  names: NameSource,
  maxAttempts: number,
  now: number,
): { spool: SpoolState<M, D>; result: Result<string> } {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const name = names.next(attempt);
    if (!isValidName(name)) return { spool, result: err('invalidName') };
    if (!spool.registry.has(name)) return { spool: { ...spool, registry: withKey(spool.registry, name, now) }, result: ok(name) };
  }
  return { spool, result: err('namesExhausted') };
}

/**
 * enqueue: get the name (reserve, or `use` a valid name whose registry file exists, without touching
 * it); write `.tmp/name` (mtime now); write the data; rename `.tmp/name` to `q/name` (overwriting
 * any file of that name there, as rename does).
 */
function enqueue<M, D>(
  spool: SpoolState<M, D>,
  op: Extract<Op<M, D>, { kind: 'enqueue' }>,
  now: number,
): { spool: SpoolState<M, D>; result: Result<OpValues<M>['enqueue']> } {
  let named: SpoolState<M, D> = spool;
  let name: string;
  if ('use' in op.name) {
    name = op.name.use;
    if (!isValidName(name)) return { spool, result: err('invalidName') };
    if (!spool.registry.has(name)) return { spool, result: err('noSuchEntry') };
  } else {
    const reserved = reserve(spool, op.name.reserve, op.name.maxAttempts, now);
    if (reserved.result.kind === 'error') return { spool, result: reserved.result };
    named = reserved.spool;
    name = reserved.result.value;
  }
  queueState(spool, op.queue); // an unknown queue throws before anything changes
  const staged = writeTmp(named, name, op.metadata, now);
  const withData: SpoolState<M, D> = { ...staged, data: withKey(staged.data, name, op.data) };
  return { spool: publish(withData, name, queueDir(op.queue)), result: ok({ queue: op.queue, name }) };
}

/** `rename(.tmp/name, to/name)` of a `.tmp` file just written (so the source exists). */
function publish<M, D>(spool: SpoolState<M, D>, name: string, to: MetadataDir): SpoolState<M, D> {
  const moved = rename(spool, TMP, to, name);
  if (moved === undefined) throw new Error('model: .tmp file vanished right after writing it');
  return moved;
}

/** entry.stat: the registry file's mtime, `noSuchEntry` without it. */
function stat<M, D>(spool: SpoolState<M, D>, name: string): Result<OpValues<M>['stat']> {
  const mtimeMs = spool.registry.get(name);
  return mtimeMs === undefined ? err('noSuchEntry') : ok({ mtimeMs });
}

/** direct.contents: the metadata of `q/name`, `notFound` without it. The registry is not consulted. */
function directContents<M, D>(spool: SpoolState<M, D>, queue: string, name: string): Result<M> {
  const file = queueState(spool, queue).queued.get(name);
  return file === undefined ? err('notFound') : ok(file.metadata);
}

/**
 * direct.save: the registry file must exist (`noSuchEntry`); touch it; write `.tmp/name`; rename it
 * to `q/name`, which creates `q/name` if it was not there.
 */
function directSave<M, D>(
  spool: SpoolState<M, D>,
  queue: string,
  name: string,
  metadata: M,
  now: number,
): { spool: SpoolState<M, D>; result: Result<undefined> } {
  queueState(spool, queue);
  const touched = touchRegistry(spool, name, now);
  if (touched === undefined) return { spool, result: err('noSuchEntry') };
  return { spool: publish(writeTmp(touched, name, metadata, now), name, queueDir(queue)), result: ok(undefined) };
}

/**
 * tryCheckout: renameTouched(`q/name`, `q/.checkout/name`). Registry file missing → `notFound`,
 * nothing changed; queue file missing → `notFound`, registry mtime now. Otherwise the checkout file
 * (mtime now) is read and a handle is appended.
 */
function tryCheckout<M, D>(world: ModelWorld<M, D>, queue: string, name: string, now: number): StepOutcome<M, D, TryCheckoutValue<M>> {
  const moved = renameTouched(world.spool, queueDir(queue), checkoutDir(queue), name, now);
  if (moved.kind === 'missing') return { world: { ...world, spool: moved.spool }, result: ok({ kind: 'notFound' }) };
  const file = filesOf(moved.spool, checkoutDir(queue)).get(name);
  if (file === undefined) throw new Error('model: checkout file missing right after the rename');
  const handle: HandleState<M> = { queue, name, contents: file.metadata, released: false };
  const checkedOut: CheckedOut<M> = { kind: 'checkedOut', handle: world.handles.length, contents: file.metadata };
  return { world: { spool: moved.spool, handles: [...world.handles, handle] }, result: ok(checkedOut) };
}

/** checkout: tryCheckout, with `notFound` turned into the error `entryDisappeared` (same world). */
function checkout<M, D>(world: ModelWorld<M, D>, queue: string, name: string, now: number): StepOutcome<M, D, CheckedOut<M>> {
  const attempt = tryCheckout(world, queue, name, now);
  const r = attempt.result;
  if (r.kind === 'ok' && r.value.kind === 'checkedOut') return { world: attempt.world, result: ok(r.value) };
  return { world: attempt.world, result: err('entryDisappeared') };
}

/** The handle at `index`; a missing index is a caller bug and throws. */
function handleAt<M, D>(world: ModelWorld<M, D>, index: number): HandleState<M> {
  const handle = world.handles[index];
  if (handle === undefined) throw new Error(`model: no handle #${index} (have ${world.handles.length})`);
  return handle;
}

/** The world with handle `index` replaced. */
function withHandle<M, D>(world: ModelWorld<M, D>, index: number, handle: HandleState<M>): readonly HandleState<M>[] {
  return world.handles.map((h, i) => (i === index ? handle : h));
}

/** checkedOut.update: new contents in memory only; a released handle → `released`. */
function update<M, D>(world: ModelWorld<M, D>, index: number, metadata: M): StepOutcome<M, D, undefined> {
  const handle = handleAt(world, index);
  if (handle.released) return { world, result: err('released') };
  return { world: { ...world, handles: withHandle(world, index, { ...handle, contents: metadata }) }, result: ok(undefined) };
}

/**
 * checkedOut.save(q2), literally: write `.tmp/name` with the handle's contents (mtime now); rename it
 * over `q/.checkout/name` (this RECREATES the checkout file if someone removed it meanwhile, e.g.
 * through a second handle from listCheckoutsUnsafe); then renameTouched(`q/.checkout/name`,
 * `q2/name`). The only way that can fail is a missing registry file: the error is `noSuchEntry`
 * and the recreated checkout file stays. On success the handle is released.
 */
function save<M, D>(world: ModelWorld<M, D>, index: number, toQueue: string, now: number): StepOutcome<M, D, undefined> {
  const handle = handleAt(world, index);
  if (handle.released) return { world, result: err('released') };
  queueState(world.spool, toQueue);
  const from = checkoutDir(handle.queue);
  const staged = publish(writeTmp(world.spool, handle.name, handle.contents, now), handle.name, from);
  const moved = renameTouched(staged, from, queueDir(toQueue), handle.name, now);
  if (moved.kind === 'missing') return { world: { ...world, spool: moved.spool }, result: err('noSuchEntry') };
  return { world: { spool: moved.spool, handles: withHandle(world, index, { ...handle, released: true }) }, result: ok(undefined) };
}

/** checkedOut.remove: remove(`q/.checkout`, name); on success the handle is released. */
function remove<M, D>(world: ModelWorld<M, D>, index: number, now: number): StepOutcome<M, D, undefined> {
  const handle = handleAt(world, index);
  if (handle.released) return { world, result: err('released') };
  const removed = removeEntry(world.spool, checkoutDir(handle.queue), handle.name, now);
  const handles = removed.result.kind === 'ok' ? withHandle(world, index, { ...handle, released: true }) : world.handles;
  return { world: { spool: removed.spool, handles }, result: removed.result };
}

/**
 * checkedOut.giveBack: renameTouched(`q/.checkout`, `q`): back into its own queue with the metadata
 * it was checked out with (an `update` not saved is dropped), writing no file. On success the handle
 * is released, as after save and remove.
 */
function giveBack<M, D>(world: ModelWorld<M, D>, index: number, now: number): StepOutcome<M, D, undefined> {
  const handle = handleAt(world, index);
  if (handle.released) return { world, result: err('released') };
  const moved = renameTouched(world.spool, checkoutDir(handle.queue), queueDir(handle.queue), handle.name, now);
  // Missing: the registry file (the entry was removed meanwhile), or only the checkout file (another handle moved it).
  if (moved.kind === 'missing') return { world: { ...world, spool: moved.spool }, result: err(world.spool.registry.has(handle.name) ? 'notFound' : 'noSuchEntry') };
  return { world: { spool: moved.spool, handles: withHandle(world, index, { ...handle, released: true }) }, result: ok(undefined) };
}

/** listCheckoutsUnsafe: every file of `q/.checkout` in name order, each given a new handle. Touches nothing. */
function listCheckoutsUnsafe<M, D>(world: ModelWorld<M, D>, queue: string): StepOutcome<M, D, readonly HeldEntry<M>[]> {
  const files = queueState(world.spool, queue).checkedOut;
  const held: HeldEntry<M>[] = [];
  const handles = [...world.handles];
  for (const [name, file] of sortedEntries(files)) {
    const contents = file.metadata;
    held.push({ name, handle: handles.length, contents });
    handles.push({ queue, name, contents, released: false });
  }
  return { world: { ...world, handles }, result: ok(held) };
}

/**
 * dequeueAvailable: a fresh `list(q)`, then tryCheckout of each name in order (each attempt's
 * effects, such as a registry touch, are kept); the first success is the value, `undefined` if none.
 */
function dequeueAvailable<M, D>(world: ModelWorld<M, D>, queue: string, now: number): StepOutcome<M, D, HeldEntry<M> | undefined> {
  let current = world;
  for (const name of sortedNames(queueState(world.spool, queue).queued)) {
    const attempt = tryCheckout(current, queue, name, now);
    current = attempt.world;
    if (attempt.result.kind === 'ok' && attempt.result.value.kind === 'checkedOut') {
      const { handle, contents } = attempt.result.value;
      return { world: current, result: ok({ name, handle, contents }) };
    }
  }
  return { world: current, result: ok(undefined) };
}
