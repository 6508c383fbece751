/**
 * `message-spool/two-processes` and `message-spool/lock-exclusive`: two spool processes on one
 * directory (docs/message-spool-protocol.md "Startup: the spool directory is LOCKED"; docs/bug-catalogue.md MSG-2), racing processes of
 * sim/racing-processes.ts: every Vfs call and every SMTP round trip of each is an interleaving
 * point of one fast-check scheduler. The spool starts with queued messages; p1 opens it and
 * delivers; p2 tries to open it after an fc-chosen number of its own interleaving points;
 * sometimes p1 is killed (kill -9) at an fc-chosen interleaving point of its own. Once all is
 * quiet, if p1 is dead and p2 was refused, p2 opens again (past the lock's grace period) and
 * delivers what is left. Two properties on the same runs:
 * - `two-processes`: every message is delivered, and none twice, except one whose delivery p1 had
 *   finished (the sender said done) when it was killed before the removal landed: then p2 sends it
 *   again (at-least-once, inherent); a dead p1's lock is taken over, so a live holder remains;
 * - `lock-exclusive`: never do two live processes hold the spool at once (the second is refused
 *   with `locked`).
 */
import fc from 'fast-check';
import { DEFAULT_LOCK_GRACE_MS, isMessageSpoolError, MESSAGE_SPOOLABLE, MessageSpool, type MessageRecord, type MessageSpoolQuirks } from '../../impl/message-spool/index.ts';
import { Multispool } from '../../impl/multispool/index.ts';
import { interleavingSeedArb, racingVolume, seededScheduler, type VolumeRacer } from '../../sim/racing-processes.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { MSG_START_MS } from './side-by-side.ts';

const DIR = '/spool';

/** A queued sendNow message `id`, as an earlier process left it. */
function queuedRecord(id: string): MessageRecord {
  return {
    id,
    parentId: 'parent',
    spoolDate: MSG_START_MS,
    status: { kind: 'sendNow' },
    sender: 'a@example.org',
    recipients: ['b@example.net'],
    remainingRecipients: ['b@example.net'],
    failedRecipients: [],
    retryIntervals: [1_000],
    attempts: 0,
  };
}

/**
 * One run: `count` queued messages; p1 killed at its interleaving point `killAt` (if given and
 * reached); `exchangeSteps` network round trips per SMTP exchange; p2 starts after `startDelay`
 * interleaving points of its own.
 */
async function runTwoProcesses(
  seed: number,
  count: number,
  killAt: number | undefined,
  exchangeSteps: number,
  startDelay: number,
  quirks: MessageSpoolQuirks,
): Promise<TwoProcessRun> {
  const race = racingVolume(seededScheduler(seed), { startMs: MSG_START_MS });
  const setup = await Multispool.create(race.inspect, DIR, MESSAGE_SPOOLABLE, { clock: race.clock });
  const ids = Array.from({ length: count }, (_, i) => `m${i + 1}`);
  for (const id of ids) await setup.enqueue('active', queuedRecord(id), `body of ${id}`, { use: await setup.reserve({ next: () => id }) });

  const deliveries: { id: string; by: string }[] = [];
  const notes: string[] = [];
  /** Opens that failed other than by `locked`: never right. */
  const failures: string[] = [];
  /** Processes whose open succeeded, in order. */
  const holders: VolumeRacer[] = [];
  const sharing: string[] = [];
  /** Opens the spool as `racer`; true if it holds it now. Never rejects: failures are recorded. */
  const openAs = async (racer: VolumeRacer): Promise<boolean> => {
    const clock = racer.process.clock(race.clock);
    try {
      await MessageSpool.open(racer.vfs, DIR, {
        clock,
        processes: racer.process.probe,
        quirks,
        sender: {
          send: async ({ record }) => {
            // An SMTP exchange is many network round trips, slow next to a disk call: each one an
            // interleaving point of the sending process (a dead process never finishes one).
            for (let i = 0; i < exchangeSteps; i++) await clock.sleep(0);
            deliveries.push({ id: record.id, by: racer.name });
            return 'done';
          },
        },
      });
    } catch (err) {
      if (isMessageSpoolError(err, 'locked')) notes.push(`${racer.name}: open refused: ${err.message}`);
      else failures.push(`${racer.name}: open failed: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    for (const other of holders) if (other.process.alive) sharing.push(`${racer.name} opened the spool while ${other.name}, alive, held it`);
    holders.push(racer);
    return true;
  };
  const p1 = race.spawn('p1', killAt === undefined ? {} : { killAt });
  const p2 = race.spawn('p2');
  race.racing = true;
  void openAs(p1);
  const second = (async () => {
    const wait = p2.process.clock(race.clock);
    for (let i = 0; i < startDelay; i++) await wait.sleep(0);
    return openAs(p2);
  })();
  await race.settle();
  if (!(await second) && !p1.process.alive) {
    // Refused while p1 lived: open again now that it is dead, after the lock's grace period (a p1
    // killed between creating its lock file and writing its name into it leaves an empty file,
    // which counts as "being written" for that long).
    race.clock.advance(DEFAULT_LOCK_GRACE_MS + 1);
    const again = openAs(p2);
    await race.settle();
    await again;
  }

  const story = (): string =>
    [
      `${count} queued message(s); p1 ${killAt === undefined ? 'never killed' : `to be killed at its interleaving point ${killAt}: ${p1.process.alive ? 'finished before it' : 'killed'}`}; opened by: ${holders.map((h) => h.name).join(', ') || 'nobody'}`,
      ...notes,
      race.report(),
    ].join('\n');
  const deliveredBy = new Map<string, string[]>();
  for (const d of deliveries) deliveredBy.set(d.id, [...(deliveredBy.get(d.id) ?? []), d.by]);
  return { ids, p1Killed: !p1.process.alive, deliveredBy, sharing, failures, liveHolders: holders.filter((h) => h.process.alive).map((h) => h.name), story };
}

/** What a run of two processes came to. */
interface TwoProcessRun {
  readonly ids: readonly string[];
  /** Whether p1 was killed. */
  readonly p1Killed: boolean;
  /** Message id -> the processes whose sender delivered it, in order. */
  readonly deliveredBy: ReadonlyMap<string, readonly string[]>;
  /** Every open that succeeded while another live process held the spool, in words. */
  readonly sharing: readonly string[];
  /** Opens that failed other than with `locked`. */
  readonly failures: readonly string[];
  /** The processes holding the spool at the end that are alive. */
  readonly liveHolders: readonly string[];
  /** The run in words: notes, each process's timeline, the interleaving. */
  story(): string;
}

/** Every message delivered, none twice (but a resend after p1 died between done and removal), a live holder at the end. */
function checkDeliveries(run: TwoProcessRun): void {
  if (run.failures.length > 0) throw new Error(`${run.failures.join('; ')}\n${run.story()}`);
  for (const [id, by] of run.deliveredBy) {
    if (by.length < 2) continue;
    // At-least-once: p1 finished sending but died before the removal landed; p2 sends it again.
    const resentAfterKill = run.p1Killed && by.length === 2 && by[0] === 'p1' && by[1] === 'p2';
    if (!resentAfterKill) throw new Error(`message ${id} was sent ${by.length} times (by ${by.join(', ')})\n${run.story()}`);
  }
  if (run.liveHolders.length === 0) throw new Error(`no live process holds the spool in the end: a dead holder's lock was not taken over\n${run.story()}`);
  const lost = run.ids.filter((id) => !run.deliveredBy.has(id));
  if (lost.length > 0) throw new Error(`never delivered: ${lost.join(', ')}\n${run.story()}`);
}

/** Never two live processes holding one spool. */
function checkExclusive(run: TwoProcessRun): void {
  if (run.sharing.length > 0) throw new Error(`two live processes share one spool: ${run.sharing.join('; ')}\n${run.story()}`);
}

/** The interleaving (a seed: see sim/racing-processes.ts for why not `fc.scheduler()`), messages, p1's kill point (none: never), SMTP round trips, p2's start. */
const runArbs = [
  interleavingSeedArb,
  fc.integer({ min: 1, max: 3 }),
  fc.option(fc.nat({ max: 300 }), { nil: undefined }),
  fc.integer({ min: 1, max: 40 }),
  fc.integer({ min: 0, max: 80 }),
] as const;

/** No message is sent twice by two live processes; a dead one's lock is taken over; everything is delivered. */
export const twoProcesses: PropertyDef = {
  suite: 'message-spool',
  requires: ['builtin'],
  name: 'two-processes',
  description:
    'two spool processes on one directory, interleaved call by call, the first sometimes killed: every message is delivered, none twice (but a resend after a kill between send and removal), a dead holder is taken over',
  defaultRuns: 300,
  testRuns: 60,
  build: (ctx: RunContext) =>
    fc.asyncProperty(...runArbs, async (seed, count, killAt, exchangeSteps, startDelay) => {
      checkDeliveries(await runTwoProcesses(seed, count, killAt, exchangeSteps, startDelay, builtinOf(ctx).messageSpool));
    }) as unknown as fc.IAsyncProperty<never>,
};

/** The lock: a second live process is refused. */
export const lockExclusive: PropertyDef = {
  suite: 'message-spool',
  requires: ['builtin'],
  name: 'lock-exclusive',
  description: 'two spool processes racing to open one directory, the first sometimes killed: never do two live processes hold it at once',
  defaultRuns: 300,
  testRuns: 60,
  build: (ctx: RunContext) =>
    fc.asyncProperty(...runArbs, async (seed, count, killAt, exchangeSteps, startDelay) => {
      checkExclusive(await runTwoProcesses(seed, count, killAt, exchangeSteps, startDelay, builtinOf(ctx).messageSpool));
    }) as unknown as fc.IAsyncProperty<never>,
};
