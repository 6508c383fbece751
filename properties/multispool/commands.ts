/**
 * The operations the side-by-side properties generate: plain data, printed readably in
 * counterexamples. Names come from a small pool so that clashes, reuse attempts and races
 * for the same entry are frequent; `handle` indexes the checked-out entries held so far (modulo
 * their number), so a shrunk sequence stays meaningful.
 */
import fc from 'fast-check';
import { dataArb, metaArb, queueArb } from './test-spool-arbitraries.ts';
import { type TestMeta, type TestQueue } from './test-spoolable.ts';

/** The names the generated operations use. */
export const NAME_POOL = ['n0', 'n1', 'n2', 'n3'] as const;

/** Invalid names a generator or a caller may offer: starting with '.', empty, with '/', with NUL. */
export const INVALID_NAMES = ['.bad', '', 'a/b', 'x\0y'] as const;

/** Attempts `reserve` makes before giving up, in the properties (small, so exhaustion happens). */
export const PROPERTY_MAX_RESERVE_ATTEMPTS = 3;

/**
 * What the handler given to `withEntry`, `tryWithEntry`, `iter` or `iterAvailable` decides for an
 * entry: save it (with new metadata) into a queue, remove it, or throw (the entry stays checked out).
 */
export type HandlerAction =
  | { readonly kind: 'save'; readonly queue: TestQueue; readonly metadata: TestMeta }
  | { readonly kind: 'remove' }
  | { readonly kind: 'throw' };

/** One generated operation. */
export type Command =
  | { readonly op: 'reserve'; readonly candidates: readonly string[] }
  | {
      readonly op: 'enqueue';
      readonly queue: TestQueue;
      readonly metadata: TestMeta;
      readonly data: string;
      /** `reserve` with these candidate names, or `use` an existing name. */
      readonly name: { readonly reserve: readonly string[] } | { readonly use: string };
    }
  | { readonly op: 'list'; readonly queue: TestQueue }
  | { readonly op: 'stat'; readonly name: string }
  | { readonly op: 'directContents'; readonly queue: TestQueue; readonly name: string }
  | { readonly op: 'directSave'; readonly queue: TestQueue; readonly name: string; readonly metadata: TestMeta }
  | { readonly op: 'directRemove'; readonly queue: TestQueue; readonly name: string }
  | { readonly op: 'tryCheckout' | 'checkout'; readonly queue: TestQueue; readonly name: string }
  | { readonly op: 'update'; readonly handle: number; readonly metadata: TestMeta }
  | { readonly op: 'save'; readonly handle: number; readonly queue: TestQueue }
  | { readonly op: 'remove'; readonly handle: number }
  /** Puts a held entry back into its queue as it was checked out. */
  | { readonly op: 'giveBack'; readonly handle: number }
  | { readonly op: 'listCheckoutsUnsafe'; readonly queue: TestQueue }
  | { readonly op: 'dequeueAvailable'; readonly queue: TestQueue }
  /** `withEntry`/`tryWithEntry` with a handler that reads the entry (and, when `async`, its data file) and then acts. */
  | { readonly op: 'withEntry' | 'tryWithEntry'; readonly queue: TestQueue; readonly name: string; readonly action: HandlerAction; readonly async: boolean }
  /** A queue reader's `iterAvailable`, or `iter` stopped after every entry queued at the start was handled. */
  | { readonly op: 'iterAvailable' | 'iter'; readonly queue: TestQueue; readonly action: HandlerAction }
  /** Reads a held checked-out entry's accessors: `released`, `path`, and its data file (`path`, `load`, `stat`). */
  | { readonly op: 'dataFile'; readonly handle: number }
  | { readonly op: 'tick'; readonly ms: number };

const nameArb = fc.constantFrom<string>(...NAME_POOL);
/**
 * Candidate names for `reserve`: a few from the pool (sometimes the invalid `.bad`), or the whole
 * pool in some order: one more candidate than `reserve` may try, so that a spool holding three of
 * them exhausts its attempts exactly at the limit while a fourth, free name is on offer.
 */
const candidatesArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.array(fc.oneof({ weight: 9, arbitrary: nameArb }, { weight: 1, arbitrary: fc.constantFrom<string>(...INVALID_NAMES) }), {
      minLength: 1,
      maxLength: 3,
    }),
  },
  { weight: 1, arbitrary: fc.shuffledSubarray([...NAME_POOL], { minLength: NAME_POOL.length, maxLength: NAME_POOL.length }) },
);
const handleArb = fc.nat({ max: 7 });
const actionArb: fc.Arbitrary<HandlerAction> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('save' as const), queue: queueArb, metadata: metaArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('throw' as const) }) },
);

/** Arbitrary command, weighted towards the operations that change the spool. */
export const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reserve' as const), candidates: candidatesArb }) },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('enqueue' as const),
      queue: queueArb,
      metadata: metaArb,
      data: dataArb,
      name: fc.oneof(
        { weight: 3, arbitrary: fc.record({ reserve: candidatesArb }) },
        { weight: 1, arbitrary: fc.record({ use: fc.oneof({ weight: 9, arbitrary: nameArb }, { weight: 1, arbitrary: fc.constantFrom<string>(...INVALID_NAMES) }) }) },
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('list' as const), queue: queueArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('stat' as const), name: nameArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('directContents' as const), queue: queueArb, name: nameArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('directSave' as const), queue: queueArb, name: nameArb, metadata: metaArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('directRemove' as const), queue: queueArb, name: nameArb }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constantFrom('tryCheckout' as const, 'checkout' as const), queue: queueArb, name: nameArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('update' as const), handle: handleArb, metadata: metaArb }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('save' as const), handle: handleArb, queue: queueArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('remove' as const), handle: handleArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('giveBack' as const), handle: handleArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('listCheckoutsUnsafe' as const), queue: queueArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('dequeueAvailable' as const), queue: queueArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 400_000 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constantFrom('withEntry' as const, 'tryWithEntry' as const),
      queue: queueArb,
      name: nameArb,
      action: actionArb,
      async: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('iterAvailable' as const, 'iter' as const), queue: queueArb, action: actionArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('dataFile' as const), handle: handleArb }) },
);

/** Arbitrary command sequence. */
export function commandsArb(maxLength: number): fc.Arbitrary<Command[]> {
  return fc.array(commandArb, { minLength: 1, maxLength, size: 'medium' });
}

/** A command in words, as counterexamples print it: `enqueue alpha {new,0} "hello" (reserve n1|n2)`. */
export function describeCommand(c: Command): string {
  const meta = (m: TestMeta): string => `{${m.label},${m.rev}}`;
  switch (c.op) {
    case 'reserve':
      return `reserve (candidates ${c.candidates.map(showName).join('|')})`;
    case 'enqueue':
      return `enqueue ${c.queue} ${meta(c.metadata)} ${JSON.stringify(c.data)} (${'use' in c.name ? `use ${showName(c.name.use)}` : `reserve ${c.name.reserve.map(showName).join('|')}`})`;
    case 'list':
    case 'listCheckoutsUnsafe':
    case 'dequeueAvailable':
      return `${c.op} ${c.queue}`;
    case 'stat':
      return `stat ${c.name}`;
    case 'directContents':
    case 'directRemove':
    case 'tryCheckout':
    case 'checkout':
      return `${c.op} ${c.queue}/${c.name}`;
    case 'directSave':
      return `directSave ${c.queue}/${c.name} ${meta(c.metadata)}`;
    case 'update':
      return `update handle#${c.handle} ${meta(c.metadata)}`;
    case 'save':
      return `save handle#${c.handle} -> ${c.queue}`;
    case 'remove':
    case 'giveBack':
      return `${c.op} handle#${c.handle}`;
    case 'tick':
      return `clock +${c.ms} ms`;
    case 'withEntry':
    case 'tryWithEntry':
      return `${c.op} ${c.queue}/${c.name} (${c.async ? 'async' : 'sync'} handler: ${describeAction(c.action)})`;
    case 'iterAvailable':
    case 'iter':
      return `${c.op} ${c.queue} (handler: ${describeAction(c.action)})`;
    case 'dataFile':
      return `dataFile handle#${c.handle}`;
  }
}

/** A name as counterexamples print it: plain when it is a plain word, else quoted (`""`, `"a/b"`). */
function showName(name: string): string {
  return /^[A-Za-z0-9._-]+$/.test(name) ? name : JSON.stringify(name);
}

/** A handler's decision in words: `save -> beta {retry,1}`, `remove`, `throw`. */
export function describeAction(a: HandlerAction): string {
  return a.kind === 'save' ? `save -> ${a.queue} {${a.metadata.label},${a.metadata.rev}}` : a.kind;
}
