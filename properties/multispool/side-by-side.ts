/**
 * The side-by-side runner: applies a command sequence to the reference model and to the real
 * multispool at once; after every command it compares the two results, then reads the spool
 * directory back through the abstraction function and compares it with the model's state.
 * The first difference throws a {@link SideBySideViolation} that tells the whole story.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ManualClock } from '../../impl/io/clock.ts';
import type { Vfs } from '../../impl/io/vfs.ts';
import { isSpoolError, Multispool, type CheckedOutEntry, type MultispoolQuirks } from '../../impl/multispool/index.ts';
import { initialWorld, step, type ModelWorld, type NameSource, type Op, type Result } from '../../model/multispool/index.ts';
import { describeCommand, PROPERTY_MAX_RESERVE_ATTEMPTS, type Command } from './commands.ts';
import { readSpoolState } from './disk-state.ts';
import { diffStates, renderState, renderValue } from './render.ts';
import { TEST_QUEUES, TEST_SPOOLABLE, type TestMeta, type TestQueue } from './test-spoolable.ts';

type Spool = Multispool<TestQueue, TestMeta, string>;
type Held = CheckedOutEntry<TestQueue, TestMeta, string>;
type World = ModelWorld<TestMeta, string>;

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
export class SideBySideViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SideBySideViolation';
  }
}

/** A name generator that offers the given candidates in turn (the same for model and implementation). */
export function candidateNames(candidates: readonly string[]): NameSource {
  return { next: (attempt) => candidates[attempt % candidates.length] ?? 'n0' };
}

/** Runs `commands` side by side; throws {@link SideBySideViolation} at the first disagreement. */
export async function runSideBySide(commands: readonly Command[], env: SideBySideEnv): Promise<void> {
  const spool: Spool = await Multispool.create(env.vfs, env.dir, TEST_SPOOLABLE, {
    clock: env.clock,
    maxReserveAttempts: PROPERTY_MAX_RESERVE_ATTEMPTS,
    ...(env.quirks === undefined ? {} : { quirks: env.quirks }),
  });
  let world: World = initialWorld(TEST_QUEUES);
  const held: Held[] = [];
  const transcript: string[] = [];
  const fail = (what: string): never => {
    throw new SideBySideViolation(`${what}\nTranscript (step: command => model result | implementation result):\n${transcript.join('\n')}`);
  };

  await compareDisk(env, world, 'after create', fail);
  for (const [i, command] of commands.entries()) {
    if (command.op === 'tick') {
      env.clock.advance(command.ms);
      transcript.push(`  ${i + 1}: ${describeCommand(command)}`);
      continue;
    }
    const op = toModelOp(command, world);
    if (op === undefined) {
      transcript.push(`  ${i + 1}: ${describeCommand(command)} (skipped: no checked-out entry held)`);
      continue;
    }
    const predicted = step(world, op, env.clock.now());
    const actual = await applyToImplementation(spool, op, held);
    const line = `  ${i + 1}: ${describeCommand(command)} => ${renderResult(predicted.result)} | ${renderResult(actual)}`;
    transcript.push(line);
    if (!isDeepStrictEqual(predicted.result, actual)) {
      fail(`Step ${i + 1} (${describeCommand(command)}): the implementation returned ${renderResult(actual)}, the model predicts ${renderResult(predicted.result)}.`);
    }
    world = predicted.world;
    if (world.handles.length !== held.length) {
      fail(`Step ${i + 1}: the model holds ${world.handles.length} checked-out entries, the implementation ${held.length}.`);
    }
    await compareDisk(env, world, `after step ${i + 1} (${describeCommand(command)})`, fail);
  }
}

async function compareDisk(env: SideBySideEnv, world: World, when: string, fail: (what: string) => never): Promise<void> {
  const disk = await readSpoolState(env.vfs, env.dir, TEST_QUEUES, TEST_SPOOLABLE);
  if (isDeepStrictEqual(disk, world.spool)) return;
  const diff = diffStates(world.spool, disk);
  fail(
    `The spool on disk differs from the model ${when}:\n` +
      (diff.length > 0 ? diff.join('\n') : `  model: ${renderState(world.spool).join('; ')}\n  disk:  ${renderState(disk).join('; ')}`),
  );
}

/** The model operation of a command; `undefined` when it needs a held entry and there is none. */
function toModelOp(c: Exclude<Command, { op: 'tick' }>, world: World): Op<TestMeta, string> | undefined {
  const handle = (n: number): number | undefined => (world.handles.length === 0 ? undefined : n % world.handles.length);
  switch (c.op) {
    case 'reserve':
      return { kind: 'reserve', names: candidateNames(c.candidates), maxAttempts: PROPERTY_MAX_RESERVE_ATTEMPTS };
    case 'enqueue':
      return {
        kind: 'enqueue',
        queue: c.queue,
        metadata: c.metadata,
        data: c.data,
        name: 'use' in c.name ? { use: c.name.use } : { reserve: candidateNames(c.name.reserve), maxAttempts: PROPERTY_MAX_RESERVE_ATTEMPTS },
      };
    case 'update': {
      const h = handle(c.handle);
      return h === undefined ? undefined : { kind: 'update', handle: h, metadata: c.metadata };
    }
    case 'save': {
      const h = handle(c.handle);
      return h === undefined ? undefined : { kind: 'save', handle: h, queue: c.queue };
    }
    case 'remove': {
      const h = handle(c.handle);
      return h === undefined ? undefined : { kind: 'remove', handle: h };
    }
    case 'list':
    case 'listCheckoutsUnsafe':
    case 'dequeueAvailable':
      return { kind: c.op, queue: c.queue };
    case 'stat':
      return { kind: 'stat', name: c.name };
    case 'directContents':
    case 'directRemove':
    case 'tryCheckout':
    case 'checkout':
      return { kind: c.op, queue: c.queue, name: c.name };
    case 'directSave':
      return { kind: 'directSave', queue: c.queue, name: c.name, metadata: c.metadata };
  }
}

/** Applies the same operation to the implementation, with its result in the model's terms. */
async function applyToImplementation(spool: Spool, op: Op<TestMeta, string>, held: Held[]): Promise<Result<unknown>> {
  const hold = (entry: Held): { handle: number; contents: TestMeta } => {
    held.push(entry);
    return { handle: held.length - 1, contents: entry.contents };
  };
  const heldAt = (i: number): Held => {
    const entry = held[i];
    if (entry === undefined) throw new Error(`harness bug: no held entry #${i}`);
    return entry;
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
        heldAt(op.handle).update(() => op.metadata);
        return ok(undefined);
      case 'save':
        return ok(await heldAt(op.handle).save(queue(op.queue)));
      case 'remove':
        return ok(await heldAt(op.handle).remove());
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
    if (isSpoolError(e)) return { kind: 'error', error: e.kind };
    throw e;
  }
}

function ok(value: unknown): Result<unknown> {
  return { kind: 'ok', value };
}

function renderResult(r: Result<unknown>): string {
  return r.kind === 'ok' ? `ok ${renderValue(r.value)}` : `error ${r.error}`;
}
