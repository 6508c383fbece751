/**
 * Drives a queue adapter and the queue model side by side, one step at a time: the steps the
 * `queue` properties generate, how each becomes a concrete call (which id a `checkout` picks),
 * and the comparison of every answer with the model's. A divergence throws an error that lists
 * every step so far with what the queue answered, so a counterexample reads as a session.
 */
import fc from 'fast-check';
import type { ManualClock } from '../../impl/io/clock.ts';
import { availableIds, checkedOutIds, EMPTY_QUEUE, step, type QueueOp, type QueueState } from '../../model/queue/queue.ts';
import type { InFlight } from '../../model/queue/recovery.ts';
import type { QueueAdapter, QueueHandle, QueueWorld } from '../../targets/queue-adapter.ts';
import { sessionCall, sessionError } from '../session-report.ts';

/** A step of a generated session. `pick` chooses among the ids the step can act on. */
export type QueueStep =
  | { readonly kind: 'enqueue' }
  | { readonly kind: 'list' }
  /** Check out an available item. */
  | { readonly kind: 'checkout'; readonly pick: number }
  /** Try to check out an id that is not available (checked out, removed, or never handed out): it must give nothing. */
  | { readonly kind: 'checkoutUnavailable'; readonly pick: number }
  | { readonly kind: 'release'; readonly pick: number }
  | { readonly kind: 'remove'; readonly pick: number }
  /** Close the handle and open the queue again (recovery without a crash). */
  | { readonly kind: 'reopen' }
  /** Let time pass (0 ms: several calls in one millisecond, where timestamp names collide). */
  | { readonly kind: 'tick'; readonly ms: number };

const pick = fc.nat({ max: 7 });

/** The steps a crash workload is made of (no list or reopen: they change nothing on disk). */
export const crashStepArb: fc.Arbitrary<QueueStep> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<QueueStep>({ kind: 'enqueue' }) },
  { weight: 3, arbitrary: pick.map((p): QueueStep => ({ kind: 'checkout', pick: p })) },
  { weight: 1, arbitrary: pick.map((p): QueueStep => ({ kind: 'release', pick: p })) },
  { weight: 2, arbitrary: pick.map((p): QueueStep => ({ kind: 'remove', pick: p })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 }).map((ms): QueueStep => ({ kind: 'tick', ms })) },
);

/** The steps of a sequential session: a crash workload's, plus list and reopen. */
export const sessionStepArb: fc.Arbitrary<QueueStep> = fc.oneof(
  { weight: 8, arbitrary: crashStepArb },
  { weight: 1, arbitrary: pick.map((p): QueueStep => ({ kind: 'checkoutUnavailable', pick: p })) },
  { weight: 1, arbitrary: fc.constant<QueueStep>({ kind: 'list' }) },
  { weight: 1, arbitrary: fc.constant<QueueStep>({ kind: 'reopen' }) },
);

/** A resolved step, as {@link QueueSession.resolve} gives it. */
export type ResolvedStep = InFlight | { readonly kind: 'list' | 'reopen' } | { readonly kind: 'tick'; readonly ms: number };

/** True for the steps that are calls of the queue that may change it (what a crash can interrupt). */
export function isQueueCall(op: ResolvedStep): op is InFlight {
  return op.kind === 'enqueue' || op.kind === 'checkout' || op.kind === 'release' || op.kind === 'remove';
}

/** An id no queue hands out in these sessions: a checkout of it must give nothing. */
export const NEVER_ENQUEUED = 'spoolcheck-never-enqueued';

/**
 * The data of the n-th enqueue of a session: unique (so an item that comes back twice is seen),
 * and longer than a torn-write piece, so a partly written file shows.
 */
export function itemData(n: number): string {
  return `item ${n}: ${'0123456789'.repeat(1 + (n % 3))}`;
}

/** A queue under test with its model and the story so far. */
export class QueueSession {
  #state: QueueState = EMPTY_QUEUE;
  #handle: QueueHandle;
  #enqueues = 0;
  readonly #log: string[] = [];

  private constructor(
    readonly adapter: QueueAdapter,
    readonly world: QueueWorld & { readonly clock: ManualClock },
    handle: QueueHandle,
  ) {
    this.#handle = handle;
  }

  /** Opens the queue in `world`, a directory the queue has never used (the model starts empty). */
  static async open(adapter: QueueAdapter, world: QueueWorld & { readonly clock: ManualClock }): Promise<QueueSession> {
    return new QueueSession(adapter, world, await sessionCall('open', [], () => adapter.open(world)));
  }

  /** The model's state: what has been acknowledged. */
  get state(): QueueState {
    return this.#state;
  }

  /** The steps so far with the queue's answers, one line each. */
  get log(): readonly string[] {
    return this.#log;
  }

  /**
   * The concrete operation `s` stands for now (which id, which data), or undefined when it has
   * nothing to act on (a release with nothing checked out): such a step is skipped.
   */
  resolve(s: QueueStep): ResolvedStep | undefined {
    switch (s.kind) {
      case 'enqueue':
        return { kind: 'enqueue', data: itemData(this.#enqueues + 1) };
      case 'checkout': {
        const ids = availableIds(this.#state);
        return ids.length === 0 ? undefined : { kind: 'checkout', id: ids[s.pick % ids.length] as string };
      }
      case 'checkoutUnavailable': {
        const available = new Set(availableIds(this.#state));
        const ids = [...[...this.#state.everIssued].sort().filter((id) => !available.has(id)), NEVER_ENQUEUED];
        return { kind: 'checkout', id: ids[s.pick % ids.length] as string };
      }
      case 'release':
      case 'remove': {
        const ids = checkedOutIds(this.#state);
        return ids.length === 0 ? undefined : { kind: s.kind, id: ids[s.pick % ids.length] as string };
      }
      default:
        return s;
    }
  }

  /**
   * Runs step `s` on the queue and the model; throws on the first difference. Returns the
   * operation it ran (as `resolve` gives it), or undefined when it was skipped.
   */
  async run(s: QueueStep): Promise<ResolvedStep | undefined> {
    const op = this.resolve(s);
    if (op === undefined) return undefined;
    const h = this.#handle;
    switch (op.kind) {
      case 'enqueue': {
        this.#enqueues++;
        const id = await this.#call(`enqueue(${JSON.stringify(op.data)})`, () => h.enqueue(op.data));
        if (typeof id !== 'string' || id === '') this.#fail(`enqueue gave ${JSON.stringify(id)} as the id, not a non-empty string`);
        this.#apply({ kind: 'enqueue', id, data: op.data }, `→ id ${id}`, (r) => (r.kind === 'idInUse' ? `enqueue gave id ${id}, which a stored item already has` : undefined));
        return op;
      }
      case 'checkout':
        await this.#checkout(op.id);
        return op;
      case 'release':
      case 'remove': {
        await this.#call(`${op.kind}(${op.id})`, () => (op.kind === 'release' ? h.release(op.id) : h.remove(op.id)));
        this.#apply({ kind: op.kind, id: op.id }, '→ done', () => undefined);
        return op;
      }
      case 'list':
        await this.checkList();
        return op;
      case 'reopen':
        await this.#call('close()', async () => h.close?.());
        this.#handle = await this.#call('open (reopen)', () => this.adapter.open(this.world));
        this.#apply({ kind: 'reopen' }, '→ reopened', () => undefined);
        await this.checkList();
        return op;
      case 'tick':
        this.world.clock.advance(op.ms);
        this.#log.push(`tick ${op.ms} ms`);
        return op;
    }
  }

  /** Lists the queue and compares the ids with the model's available ones. */
  async checkList(): Promise<void> {
    const ids = await this.#call('list()', () => this.#handle.list());
    const got = [...ids].sort();
    const expected = availableIds(this.#state);
    this.#log.push(`list() → [${got.join(', ')}]`);
    if (JSON.stringify(got) !== JSON.stringify(expected)) this.#fail(`list() gave [${got.join(', ')}], expected the available items [${expected.join(', ')}]`);
  }

  /** Checks every available item out and compares its data with the model (the end of a session). */
  async drain(): Promise<void> {
    await this.checkList();
    for (const id of availableIds(this.#state)) await this.#checkout(id);
  }

  /** Checks item `id` out and compares what it gave with the model. */
  async #checkout(id: string): Promise<void> {
    const data = await this.#call(`checkout(${id})`, () => this.#handle.checkout(id));
    const shown = (d: string | undefined): string => (d === undefined ? 'undefined' : JSON.stringify(d));
    this.#apply({ kind: 'checkout', id }, `→ ${shown(data)}`, (r) =>
      r.kind === 'data' && r.data !== data ? `checkout(${id}) gave ${shown(data)}, expected ${r.data === undefined ? 'undefined (the item is not available)' : shown(r.data)}` : undefined,
    );
  }

  /** Closes the handle. */
  async close(): Promise<void> {
    await this.#call('close()', async () => this.#handle.close?.());
  }

  /** Applies `op` to the model, logs the call with `answer`, and fails with the message `differs` gives, if any. */
  #apply(op: QueueOp, answer: string, differs: (result: ReturnType<typeof step>['result']) => string | undefined): void {
    const { state, result } = step(this.#state, op);
    this.#log.push(`${describe(op)} ${answer}`);
    const message = differs(result);
    if (message !== undefined) this.#fail(message);
    if (result.kind === 'notCheckedOut') this.#fail(`the harness ${op.kind === 'release' ? 'released' : 'removed'} an item that is not checked out (a bug of spoolcheck)`);
    this.#state = state;
  }

  #call<T>(label: string, f: () => Promise<T>): Promise<T> {
    return sessionCall(label, this.#log, f);
  }

  #fail(message: string): never {
    throw new Error(sessionError(message, this.#log));
  }
}

/** An operation in words. */
function describe(op: QueueOp): string {
  switch (op.kind) {
    case 'enqueue':
      return `enqueue(${JSON.stringify(op.data)})`;
    case 'list':
    case 'reopen':
      return op.kind;
    default:
      return `${op.kind}(${op.id})`;
  }
}
