/**
 * `multispool/reader-stop`: a stopped queue reader takes nothing more out of its queue. A reader
 * (strict FIFO or not) takes some of the queued entries out, by `dequeue` or by `iter`; then it
 * is stopped, by aborting the signal its calls were given or by `close()`, while its last listing
 * still names entries it has not taken. Demanded:
 *  - every later `dequeue` (and `iter`) returns `stopped` at once: it checks nothing out, even
 *    with names left over from its last listing (a worker that stops its reader before shutting
 *    down must not find an entry handed to it afterwards, nor left checked out);
 *  - `iter` stopped from inside its handler returns after that handler: no further entry is
 *    handed to it;
 *  - every entry not taken is still queued, none checked out, and the ones taken were removed.
 * No scheduler: the reader runs alone on a memfs volume; what varies is how many entries there
 * are, how many are taken before the stop, how it is stopped, and how they are taken.
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { memfsVfs, newVolume } from '../../impl/io/memfs-vfs.ts';
import { CHECKOUT_DIR, lexicographicTimeOrder, Multispool } from '../../impl/multispool/index.ts';
import { builtinOf, violationsProperty, type PropertyDef, type RunContext } from '../suite.ts';
import { quirksOf } from './model-vs-impl.ts';
import { START_MS, TEST_SPOOLABLE } from './test-spoolable.ts';

/** One session: entries queued, how many the reader takes before it is stopped, and how. */
export interface StopSession {
  readonly entries: number;
  /** Taken before the stop: at least one, fewer than `entries` (some are left). */
  readonly taken: number;
  readonly by: 'signal' | 'close';
  readonly via: 'dequeue' | 'iter';
  readonly strictFifo: boolean;
}

/** The violations of one session, in words (none: it held). */
export async function runStopSession(ctx: RunContext, session: StopSession): Promise<string[]> {
  const clock = manualClock(START_MS);
  const vfs = memfsVfs({ volume: newVolume(), clock });
  const options = { clock, ...quirksOf(ctx) };
  const spool = await Multispool.create(vfs, '/spool', TEST_SPOOLABLE, options);
  const names = lexicographicTimeOrder(clock, builtinOf(ctx).multispool);
  const queued: string[] = [];
  for (let i = 0; i < session.entries; i++) queued.push((await spool.enqueue('alpha', { label: `e${i}`, rev: 0 }, `body ${i}`, { reserve: names })).name);
  const reader = spool.queueReader('alpha', { strictFifo: session.strictFifo });
  const stop = new AbortController();
  const stopOptions = session.by === 'signal' ? { signal: stop.signal } : {};
  const stopNow = (): void => {
    if (session.by === 'signal') stop.abort();
    else reader.close();
  };
  const problems: string[] = [];
  const taken: string[] = [];
  if (session.via === 'dequeue') {
    for (let i = 0; i < session.taken; i++) {
      const r = await reader.dequeue(stopOptions);
      if (r.kind === 'stopped') {
        problems.push(`dequeue ${i + 1} returned stopped before the reader was stopped`);
        break;
      }
      taken.push(r.entry.name);
      await r.entry.remove();
    }
    stopNow();
  } else {
    await reader.iter((_contents, dataFile) => {
      taken.push(dataFile.path.slice(dataFile.path.lastIndexOf('/') + 1));
      if (taken.length === session.taken) stopNow();
      return { action: { kind: 'remove' }, result: undefined };
    }, stopOptions);
    if (taken.length > session.taken) problems.push(`iter handed ${taken.length - session.taken} more entr(y/ies) (${taken.slice(session.taken).join(', ')}) to its handler after the handler stopped the reader`);
  }
  const again = await reader.dequeue(stopOptions);
  if (again.kind !== 'stopped') {
    problems.push(`a dequeue after the reader was stopped (by ${session.by}) checked out ${again.entry.name} instead of returning stopped`);
    taken.push(again.entry.name);
  }
  let iterated = 0;
  await reader.iter(() => {
    iterated++;
    return { action: { kind: 'remove' }, result: undefined };
  }, stopOptions);
  if (iterated > 0) problems.push(`an iter after the reader was stopped (by ${session.by}) handed ${iterated} entr(y/ies) to its handler`);
  reader.close();
  const left = (await vfs.readdir('/spool/alpha')).filter((n) => n !== CHECKOUT_DIR).sort();
  const checkedOut = await vfs.readdir(`/spool/alpha/${CHECKOUT_DIR}`);
  const expectedLeft = queued.filter((n) => !taken.includes(n)).sort();
  if (checkedOut.length > 0) problems.push(`entr(y/ies) ${checkedOut.sort().join(', ')} left checked out after the reader stopped`);
  if (left.join(',') !== expectedLeft.join(',')) problems.push(`the queue holds ${left.join(', ') || 'nothing'}; the entries not taken are ${expectedLeft.join(', ') || 'none'}`);
  if (problems.length > 0) problems.push(`(${session.entries} entries queued: ${queued.join(', ')}; taken by ${session.via} before the stop: ${taken.slice(0, session.taken).join(', ')})`);
  return problems;
}

/** Sessions: 2-6 entries, some of them taken. */
export const stopSessionArb: fc.Arbitrary<StopSession> = fc
  .record({ entries: fc.integer({ min: 2, max: 6 }), takenSeed: fc.nat(), by: fc.constantFrom('signal' as const, 'close' as const), via: fc.constantFrom('dequeue' as const, 'iter' as const), strictFifo: fc.boolean() })
  .map(({ entries, takenSeed, ...rest }) => ({ entries, taken: 1 + (takenSeed % (entries - 1)), ...rest }));

/** The reader-stop property. */
export const readerStop: PropertyDef = {
  suite: 'multispool',
  requires: ['builtin'],
  name: 'reader-stop',
  description: 'a queue reader stopped (signal or close) with entries left in its last listing takes nothing more: dequeue and iter return stopped at once, iter stopped by its handler hands it nothing more, the rest stay queued and none is left checked out',
  defaultRuns: 100,
  testRuns: 30,
  build: (ctx: RunContext) => violationsProperty(stopSessionArb, (session) => runStopSession(ctx, session)),
};
