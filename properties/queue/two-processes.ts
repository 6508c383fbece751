/**
 * `queue/two-processes`: two processes share one queue directory, each with its own handle, and
 * race: every file-system call of either is an interleaving point chosen (and replayed) by
 * fast-check's scheduler, and the clock stands still, so their calls fall in one millisecond.
 * Each process enqueues items and takes items (lists, checks out the first it can, removes it).
 * Checked through the API alone: every acknowledged enqueue got an id no stored item had, no
 * item was checked out by both processes, and at the end every item enqueued and not taken is
 * still listed, with its data, and nothing else is.
 */
import fc from 'fast-check';
import { interleavingSeedArb, racingVolume, seededScheduler } from '../../sim/racing-processes.ts';
import type { QueueHandle } from '../../targets/queue-adapter.ts';
import { START_MS } from '../multispool/test-spoolable.ts';
import { raceViolation } from '../races/race-violation.ts';
import type { PropertyDef } from '../suite.ts';
import { itemData } from './driver.ts';
import { QUEUE_DIR, queueOf } from './sequential.ts';

/** What one racing process does, in order. */
type RaceOp = 'enqueue' | 'take';

const scriptArb = fc.array(fc.constantFrom<RaceOp>('enqueue', 'take'), { minLength: 1, maxLength: 4 });

/** What the two processes did. */
interface RaceLog {
  /** Data by the id its acknowledged enqueue got. */
  readonly enqueued: Map<string, string>;
  /** Every successful checkout: who, which id, what data. */
  readonly taken: { who: string; id: string; data: string }[];
  readonly errors: string[];
  readonly idProblems: string[];
}

/** Runs `script` on `handle` as process `who`, recording into `log`. */
async function runScript(who: string, handle: QueueHandle, script: readonly RaceOp[], firstItem: number, log: RaceLog): Promise<void> {
  let n = firstItem;
  for (const op of script) {
    if (op === 'enqueue') {
      const data = itemData(n++);
      const id = await handle.enqueue(data);
      const clash = log.enqueued.get(id);
      if (clash !== undefined && !log.taken.some((t) => t.id === id && t.data === clash)) log.idProblems.push(`${who}'s enqueue of ${JSON.stringify(data)} got id ${id}, which the stored item ${JSON.stringify(clash)} has`);
      log.enqueued.set(id, data);
    } else {
      for (const id of await handle.list()) {
        const data = await handle.checkout(id);
        if (data === undefined) continue;
        log.taken.push({ who, id, data });
        await handle.remove(id);
        break;
      }
    }
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
    fc.asyncProperty(interleavingSeedArb, fc.nat({ max: 2 }), scriptArb, scriptArb, async (seed, preloaded, scriptA, scriptB) => {
      const adapter = queueOf(ctx);
      const race = racingVolume(seededScheduler(seed), { startMs: START_MS });
      await race.inspect.mkdir(QUEUE_DIR);
      const a = race.spawn('a');
      const b = race.spawn('b');
      const handleA = await adapter.open({ vfs: a.vfs, dir: QUEUE_DIR, clock: race.clock });
      const handleB = await adapter.open({ vfs: b.vfs, dir: QUEUE_DIR, clock: race.clock });
      const log: RaceLog = { enqueued: new Map(), taken: [], errors: [], idProblems: [] };
      for (let i = 0; i < preloaded; i++) log.enqueued.set(await handleA.enqueue(itemData(100 + i)), itemData(100 + i));
      race.racing = true;
      const failed = (who: string) => (err: unknown) => void log.errors.push(`${who} failed: ${err instanceof Error ? err.message : String(err)}`);
      const runs = [runScript('a', handleA, scriptA, 200, log).catch(failed('a')), runScript('b', handleB, scriptB, 300, log).catch(failed('b'))];
      await race.settle();
      await Promise.all(runs);
      race.racing = false;
      const problems = [...log.errors, ...log.idProblems];
      const byData = new Map<string, string[]>();
      for (const t of log.taken) byData.set(t.data, [...(byData.get(t.data) ?? []), `${t.who} (id ${t.id})`]);
      for (const [data, who] of byData) if (who.length > 1) problems.push(`item ${JSON.stringify(data)} was checked out by ${who.join(' and ')}`);
      const takenData = new Set(log.taken.map((t) => t.data));
      const expected = [...log.enqueued.values()].filter((d) => !takenData.has(d)).sort();
      const left: string[] = [];
      for (const id of await handleA.list()) {
        const data = await handleA.checkout(id);
        left.push(data ?? `(id ${id}: listed, but checkout gave nothing)`);
      }
      left.sort();
      if (JSON.stringify(left) !== JSON.stringify(expected)) problems.push(`left in the queue: [${left.join(', ')}]; expected the items enqueued and not taken: [${expected.join(', ')}]`);
      if (problems.length > 0) throw raceViolation(problems.join('\n'), race);
    }) as unknown as fc.IAsyncProperty<never>,
};
