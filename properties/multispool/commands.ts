/**
 * The operations the side-by-side properties generate: plain data, printed readably in
 * counterexamples. Names come from a small pool so that clashes, reuse attempts and races
 * for the same entry are frequent; `handle` indexes the checked-out entries held so far (modulo
 * their number), so a shrunk sequence stays meaningful.
 */
import fc from 'fast-check';
import { dataArb, metaArb, queueArb, type TestMeta, type TestQueue } from './test-spoolable.ts';

/** The names the generated operations use. `.bad` is an invalid name (starts with '.'). */
export const NAME_POOL = ['n0', 'n1', 'n2', 'n3'] as const;

/** Attempts `reserve` makes before giving up, in the properties (small, so exhaustion happens). */
export const PROPERTY_MAX_RESERVE_ATTEMPTS = 3;

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
  | { readonly op: 'listCheckoutsUnsafe'; readonly queue: TestQueue }
  | { readonly op: 'dequeueAvailable'; readonly queue: TestQueue }
  | { readonly op: 'tick'; readonly ms: number };

const nameArb = fc.constantFrom<string>(...NAME_POOL);
const candidatesArb = fc.array(fc.oneof({ weight: 9, arbitrary: nameArb }, { weight: 1, arbitrary: fc.constant('.bad') }), {
  minLength: 1,
  maxLength: 3,
});
const handleArb = fc.nat({ max: 7 });

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
        { weight: 1, arbitrary: fc.record({ use: nameArb }) },
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
  { weight: 1, arbitrary: fc.record({ op: fc.constant('listCheckoutsUnsafe' as const), queue: queueArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('dequeueAvailable' as const), queue: queueArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 400_000 }) }) },
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
      return `reserve (candidates ${c.candidates.join('|')})`;
    case 'enqueue':
      return `enqueue ${c.queue} ${meta(c.metadata)} ${JSON.stringify(c.data)} (${'use' in c.name ? `use ${c.name.use}` : `reserve ${c.name.reserve.join('|')}`})`;
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
      return `remove handle#${c.handle}`;
    case 'tick':
      return `clock +${c.ms} ms`;
  }
}
