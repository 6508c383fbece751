/**
 * `queue/two-processes`: two processes share one queue directory, each with its own handle, and
 * race: every file-system call of either is an interleaving point chosen (and replayed) by
 * fast-check's scheduler, and the clock stands still, so their calls fall in one millisecond.
 * Each process enqueues items and takes items (lists, checks out the first it can, removes it).
 * Checked through the API alone: every acknowledged enqueue got an id no stored item had, no
 * item was checked out by both processes, and at the end every item enqueued and not taken is
 * still listed, with its data, and nothing else is.
 *
 * `queue/two-processes-kill` (for a queue that claims to survive a kill) also kills process b at
 * an interleaving point the scheduler reaches (kill -9: its calls in flight never return), then
 * opens the queue once more (recovery) when a is done: what b was doing may or may not have
 * happened, everything else must be as above, and what b had checked out comes back.
 */
import fc from 'fast-check';
import { interleavingSeedArb, racingVolume, seededScheduler } from '../../sim/racing-processes.ts';
import type { QueueHandle } from '../../targets/queue-adapter.ts';
import { START_MS } from '../multispool/test-spoolable.ts';
import { raceViolation } from '../races/race-violation.ts';
import { errorText } from '../session-report.ts';
import { adapterOf, type PropertyDef, type RunContext } from '../suite.ts';
import { itemData } from './driver.ts';
import { QUEUE_DIR } from './sequential.ts';

/** What one racing process does, in order. */
type RaceOp = 'enqueue' | 'take';

const scriptArb = fc.array(fc.constantFrom<RaceOp>('enqueue', 'take'), { minLength: 1, maxLength: 4 });

/** What the two processes did. */
interface RaceLog {
  /** Data by the id its acknowledged enqueue got. */
  readonly enqueued: Map<string, string>;
  /** Every successful checkout: who, which id, what data, and whether its remove returned. */
  readonly taken: { who: string; id: string; data: string; removed: boolean }[];
  /** What each process was doing when it last started an operation (its in-flight one if killed). */
  readonly doing: Map<string, { op: 'enqueue'; data: string } | { op: 'take' }>;
  readonly errors: string[];
  readonly idProblems: string[];
}

/** Runs `script` on `handle` as process `who`, recording into `log`. */
async function runScript(who: string, handle: QueueHandle, script: readonly RaceOp[], firstItem: number, log: RaceLog): Promise<void> {
  let n = firstItem;
  for (const op of script) {
    if (op === 'enqueue') {
      const data = itemData(n++);
      log.doing.set(who, { op, data });
      const id = await handle.enqueue(data);
      const clash = log.enqueued.get(id);
      if (clash !== undefined && !log.taken.some((t) => t.id === id && t.data === clash && t.removed)) log.idProblems.push(`${who}'s enqueue of ${JSON.stringify(data)} got id ${id}, which the stored item ${JSON.stringify(clash)} has`);
      log.enqueued.set(id, data);
    } else {
      log.doing.set(who, { op });
      for (const id of await handle.list()) {
        const data = await handle.checkout(id);
        if (data === undefined) continue;
        const taken = { who, id, data, removed: false };
        log.taken.push(taken);
        await handle.remove(id);
        taken.removed = true;
        break;
      }
    }
  }
  log.doing.delete(who);
}

/** One race, with process b killed at interleaving point `killBAt` (undefined: never). */
async function race(ctx: RunContext, seed: number, preloaded: number, scriptA: readonly RaceOp[], scriptB: readonly RaceOp[], killBAt: number | undefined): Promise<void> {
  const adapter = adapterOf(ctx, 'queue');
  const world = racingVolume(seededScheduler(seed), { startMs: START_MS });
  await world.inspect.mkdir(QUEUE_DIR);
  const a = world.spawn('a');
  const b = world.spawn('b', killBAt === undefined ? {} : { killAt: killBAt });
  const handleA = await adapter.open({ vfs: a.vfs, dir: QUEUE_DIR, clock: world.clock });
  const handleB = await adapter.open({ vfs: b.vfs, dir: QUEUE_DIR, clock: world.clock });
  const log: RaceLog = { enqueued: new Map(), taken: [], doing: new Map(), errors: [], idProblems: [] };
  for (let i = 0; i < preloaded; i++) log.enqueued.set(await handleA.enqueue(itemData(100 + i)), itemData(100 + i));
  world.racing = true;
  const failed = (who: string) => (err: unknown) => void log.errors.push(`${who} failed: ${errorText(err)}`);
  // A killed process's calls never return: only the settled scheduler says the race is over.
  void runScript('a', handleA, scriptA, 200, log).catch(failed('a'));
  void runScript('b', handleB, scriptB, 300, log).catch(failed('b'));
  await world.settle();
  world.racing = false;
  const killed = !b.process.alive;
  const problems = [...log.errors, ...log.idProblems];
  const byData = new Map<string, string[]>();
  for (const t of log.taken) byData.set(t.data, [...(byData.get(t.data) ?? []), `${t.who} (id ${t.id})`]);
  // Recovery runs only after the race, so even a dead process's checkout stays exclusive during it.
  for (const [data, who] of byData) if (who.length > 1) problems.push(`item ${JSON.stringify(data)} was checked out by ${who.join(' and ')}`);
  // After a kill, a fresh process opens the queue (recovery) and looks; without one, a looks.
  const look = killed ? await adapter.open({ vfs: world.inspect, dir: QUEUE_DIR, clock: world.clock }) : handleA;
  const left: string[] = [];
  for (const id of await look.list()) {
    try {
      left.push((await look.checkout(id)) ?? `(id ${id}: listed, but checkout gave nothing)`);
    } catch (err) {
      left.push(`(id ${id}: listed, but checkout threw: ${errorText(err)})`);
    }
  }
  left.sort();
  const removed = new Set(log.taken.filter((t) => t.removed).map((t) => t.data));
  const must = [...log.enqueued.values()].filter((d) => !removed.has(d));
  const inFlight = killed ? log.doing.get('b') : undefined;
  // b's take in flight may have removed its item; b's enqueue in flight may have stored its item.
  const mayBeGone = new Set(inFlight?.op === 'take' ? log.taken.filter((t) => t.who === 'b' && !t.removed).map((t) => t.data) : []);
  const mayBeThere = inFlight?.op === 'enqueue' ? inFlight.data : undefined;
  const lost = must.filter((d) => !left.includes(d) && !mayBeGone.has(d));
  const extra = left.filter((d) => !must.includes(d) && d !== mayBeThere);
  const twice = left.filter((d, i) => left.indexOf(d) !== i);
  if (lost.length > 0) problems.push(`lost: ${lost.join(', ')}`);
  if (extra.length > 0) problems.push(`in the queue but never enqueued, or removed: ${extra.join(', ')}`);
  if (twice.length > 0) problems.push(`in the queue twice: ${twice.join(', ')}`);
  if (problems.length > 0) {
    throw raceViolation([...(killed ? [`process b was killed${inFlight === undefined ? '' : ` during a${inFlight.op === 'take' ? ' take' : 'n enqueue'}`}`] : []), ...problems, `left in the queue: [${left.join(', ')}]`].join('\n'), world);
  }
}

export const twoProcesses: PropertyDef = {
  suite: 'queue',
  name: 'two-processes',
  requires: ['queue'],
  description: 'two processes with their own handles race call by call in one millisecond (enqueue; list, checkout, remove): ids stay unique, no item is checked out twice, nothing enqueued is lost',
  defaultRuns: 200,
  testRuns: 20,
  build: (ctx) =>
    fc.asyncProperty(interleavingSeedArb, fc.nat({ max: 2 }), scriptArb, scriptArb, async (seed, preloaded, scriptA, scriptB) =>
      race(ctx, seed, preloaded, scriptA, scriptB, undefined),
    ) as unknown as fc.IAsyncProperty<never>,
};

export const twoProcessesKill: PropertyDef = {
  suite: 'queue',
  name: 'two-processes-kill',
  requires: ['queue', 'queue-survives-process-crash'],
  description: 'the same race with one process killed (kill -9) at a random interleaving point, then recovery: nothing acknowledged lost, nothing removed back, what the dead process held given back',
  defaultRuns: 200,
  testRuns: 20,
  build: (ctx) =>
    fc.asyncProperty(interleavingSeedArb, fc.nat({ max: 2 }), scriptArb, scriptArb, fc.nat({ max: 60 }), async (seed, preloaded, scriptA, scriptB, killAt) =>
      race(ctx, seed, preloaded, scriptA, scriptB, killAt),
    ) as unknown as fc.IAsyncProperty<never>,
};
