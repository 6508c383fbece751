/**
 * The operations of the multispool model, as plain data, and the world they act on.
 *
 * The world is the spool directory plus the checked-out entries the test holds ("handles").
 * A handle is identified by its index in `handles`; every successful checkout appends one.
 * Queues are named by their directory names. `M` is the metadata type, `D` the data type.
 */
import type { NameSource } from './names.ts';
import { emptySpool, type SpoolState } from './state.ts';

/** A checked-out entry held by the test (the implementation's CheckedOutEntry). */
export interface HandleState<M> {
  /** The queue it was checked out of: its file is `S/<queue>/.checkout/<name>`. */
  readonly queue: string;
  readonly name: string;
  /** The metadata as the holder sees it (read at checkout, changed by `update`). */
  readonly contents: M;
  /** True after a successful `save` or `remove`: the handle is spent. */
  readonly released: boolean;
}

/** Everything the model tracks: the spool directory and the handles held so far. */
export interface ModelWorld<M, D> {
  readonly spool: SpoolState<M, D>;
  readonly handles: readonly HandleState<M>[];
}

/** The world of an empty spool with the given queues, holding no handles. */
export function initialWorld<M, D>(queues: readonly string[]): ModelWorld<M, D> {
  return { spool: emptySpool(queues), handles: [] };
}

/** How `enqueue` gets its name: reserve a fresh one, or use one the caller reserved before. */
export type NameChoice = { readonly reserve: NameSource; readonly maxAttempts: number } | { readonly use: string };

/** A reference to an entry: `spool.entry(queue, name)`. */
export interface EntryRef {
  readonly queue: string;
  readonly name: string;
}

/** One operation on the world. `handle` is an index into `ModelWorld.handles`. */
export type Op<M, D> =
  | { readonly kind: 'reserve'; readonly names: NameSource; readonly maxAttempts: number }
  | { readonly kind: 'enqueue'; readonly queue: string; readonly metadata: M; readonly data: D; readonly name: NameChoice }
  | { readonly kind: 'list'; readonly queue: string }
  | { readonly kind: 'stat'; readonly name: string }
  | { readonly kind: 'directContents'; readonly queue: string; readonly name: string }
  | { readonly kind: 'directSave'; readonly queue: string; readonly name: string; readonly metadata: M }
  | { readonly kind: 'directRemove'; readonly queue: string; readonly name: string }
  | { readonly kind: 'tryCheckout'; readonly queue: string; readonly name: string }
  | { readonly kind: 'checkout'; readonly queue: string; readonly name: string }
  | { readonly kind: 'update'; readonly handle: number; readonly metadata: M }
  | { readonly kind: 'save'; readonly handle: number; readonly queue: string }
  | { readonly kind: 'remove'; readonly handle: number }
  | { readonly kind: 'giveBack'; readonly handle: number }
  | { readonly kind: 'listCheckoutsUnsafe'; readonly queue: string }
  | { readonly kind: 'dequeueAvailable'; readonly queue: string };

/** The kinds of operation. */
export type OpKind = Op<unknown, unknown>['kind'];

/** The operation of one kind. */
export type OpOf<M, D, K extends OpKind> = Extract<Op<M, D>, { readonly kind: K }>;

/** A successful checkout: the new handle's index and the metadata read from the checkout file. */
export interface CheckedOut<M> {
  readonly kind: 'checkedOut';
  readonly handle: number;
  readonly contents: M;
}

/** `tryCheckout`'s value: checked out, or lost (the queue or registry file was not there). */
export type TryCheckoutValue<M> = CheckedOut<M> | { readonly kind: 'notFound' };

/** One entry found by `listCheckoutsUnsafe` or `dequeueAvailable`, with the handle created for it. */
export interface HeldEntry<M> {
  readonly name: string;
  readonly handle: number;
  readonly contents: M;
}

/** The value of a successful operation, per kind. */
export interface OpValues<M> {
  /** The reserved name. */
  reserve: string;
  /** The new entry. */
  enqueue: EntryRef;
  /** The queued names in code-unit order. */
  list: readonly string[];
  /** The registry file's mtime. */
  stat: { readonly mtimeMs: number };
  /** The metadata in `S/<q>/<name>`. */
  directContents: M;
  directSave: undefined;
  directRemove: undefined;
  tryCheckout: TryCheckoutValue<M>;
  /** Always `checkedOut` (a lost race is the error `entryDisappeared`). */
  checkout: CheckedOut<M>;
  update: undefined;
  save: undefined;
  remove: undefined;
  giveBack: undefined;
  /** Every checked-out entry of the queue, in code-unit order of names, each given a new handle. */
  listCheckoutsUnsafe: readonly HeldEntry<M>[];
  /** The first entry checked out, or `undefined` when none could be. */
  dequeueAvailable: HeldEntry<M> | undefined;
}
