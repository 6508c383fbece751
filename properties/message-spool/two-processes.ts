/**
 * `message-spool/two-processes`: two spool processes on one directory (SPEC 2 "Startup: the spool
 * directory is LOCKED"; SPEC 6 MSG-2), every Vfs call of each an interleaving point chosen by
 * fast-check's scheduler. The spool starts with queued messages; process p1 opens it and delivers;
 * p2 tries to open it at a moment the scheduler picks; sometimes p1 is killed (kill -9) at a
 * moment the scheduler picks, and then p2 (refused while p1 lived) tries again. Must hold:
 * - while p1 lives, p2's open is refused with `locked` (two live processes never share a spool);
 * - every message is delivered, and no message is delivered twice, except one whose delivery p1
 *   had finished (the sender said done) when it was killed before the removal landed: then p2
 *   sends it again (at-least-once, inherent);
 * - a dead p1's lock is taken over: p2 opens after the kill and delivers what is left.
 */
import fc from 'fast-check';
import { Volume } from 'memfs';
import { manualClock } from '../../impl/io/clock.ts';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import type { Vfs } from '../../impl/io/vfs.ts';
import { isMessageSpoolError, MESSAGE_SPOOLABLE, MessageSpool, type MessageRecord, type MessageSpoolQuirks } from '../../impl/message-spool/index.ts';
import { Multispool } from '../../impl/multispool/index.ts';
import { processTable, type SimProcess } from '../../sim/processes.ts';
import { interleavingSeedArb, seededScheduler } from '../../sim/racing-processes.ts';
import { scheduledVfs, settleScheduler } from '../../sim/scheduled-vfs.ts';
import type { PropertyDef, RunContext } from '../suite.ts';
import { MSG_START_MS } from './side-by-side.ts';

const DIR = '/spool';
/** The lock's default grace period for an empty lock file (impl/message-spool/lock.ts). */
const LOCK_GRACE_MS = 60_000;

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
 * One run: `count` queued messages; `killP1` whether p1 dies (the scheduler says when);
 * `exchangeSteps` network round trips per SMTP exchange; p2 starts after `startDelay` interleaving points.
 */
async function runTwoProcesses(s: fc.Scheduler, count: number, killP1: boolean, exchangeSteps: number, startDelay: number, quirks: MessageSpoolQuirks): Promise<TwoProcessRun> {
  const clock = manualClock(MSG_START_MS);
  const raw = memfsVfs({ volume: new Volume(), clock });
  const setup = await Multispool.create(raw, DIR, MESSAGE_SPOOLABLE, { clock });
  const ids = Array.from({ length: count }, (_, i) => `m${i + 1}`);
  for (const id of ids) await setup.enqueue('active', queuedRecord(id), `body of ${id}`, { use: await setup.reserve({ next: () => id }) });

  const table = processTable();
  const deliveries: { id: string; by: string }[] = [];
  const notes: string[] = [];
  /** Opens that failed other than by `locked`: never right. */
  const failures: string[] = [];
  const open = async (p: SimProcess): Promise<MessageSpool | 'locked'> => {
    const vfs: Vfs = p.vfs(scheduledVfs(raw, s, p.name));
    try {
      return await MessageSpool.open(vfs, DIR, {
        clock: p.clock(clock),
        processes: p.probe,
        quirks,
        sender: {
          send: async ({ record }) => {
            // An SMTP exchange is many network round trips, slow next to a disk call: each one
            // an interleaving point.
            for (let i = 1; i <= exchangeSteps; i++) await s.schedule(Promise.resolve(), `${p.name} SMTP exchange for ${record.id}, round trip ${i}`);
            deliveries.push({ id: record.id, by: p.name });
            return 'done';
          },
        },
      });
    } catch (err) {
      if (isMessageSpoolError(err, 'locked')) {
        notes.push(`${p.name}: open refused: ${err.message}`);
        return 'locked';
      }
      failures.push(`${p.name}: open failed: ${err instanceof Error ? err.message : String(err)}`);
      return 'locked';
    }
  };
  const p1 = table.spawn('p1');
  const p2 = table.spawn('p2');
  /** Processes whose open succeeded, in order. */
  const holders: SimProcess[] = [];
  const sharing: string[] = [];
  const openAs = async (p: SimProcess): Promise<boolean> => {
    const result = await open(p);
    if (result === 'locked') return false;
    for (const other of holders) if (other.alive) sharing.push(`${p.name} opened the spool while ${other.name}, alive, held it`);
    holders.push(p);
    return true;
  };
  void openAs(p1); // never rejects: a failed open is recorded in `failures`
  const killed = killP1 ? s.schedule(Promise.resolve(), 'kill -9 p1').then(() => p1.kill()) : Promise.resolve();
  const second = (async () => {
    // p2 is started at any moment: after `startDelay` interleaving points of its own.
    for (let i = 0; i <= startDelay; i++) await s.schedule(Promise.resolve(), i === startDelay ? 'p2 starts' : `p2 not started yet (${i + 1})`);
    if (await openAs(p2)) return;
    if (!killP1) return;
    // Refused while p1 lived: try again once p1 is dead, after the lock's grace period (a p1
    // killed between creating its lock file and writing its name into it leaves an empty
    // file, which counts as "being written" for that long).
    await killed;
    clock.advance(LOCK_GRACE_MS + 1);
    await openAs(p2);
  })();
  await settleScheduler(s);
  await Promise.race([second, new Promise<void>((r) => setImmediate(r))]);
  await settleScheduler(s);

  const story = (): string =>
    [
      `${count} queued message(s); p1 ${killP1 ? 'killed at a moment the scheduler chose' : 'alive throughout'}; opened by: ${holders.map((h) => h.name).join(', ') || 'nobody'}`,
      ...notes,
      'what each process did:',
      ...table.describe().map((l) => `  ${l}`),
      `interleaving: ${String(s)}`,
    ].join('\n');
  const deliveredBy = new Map<string, string[]>();
  for (const d of deliveries) deliveredBy.set(d.id, [...(deliveredBy.get(d.id) ?? []), d.by]);
  return { ids, killP1, deliveredBy, sharing, failures, liveHolders: holders.filter((h) => h.alive).map((h) => h.name), story };
}

/** What a run of two processes came to. */
interface TwoProcessRun {
  readonly ids: readonly string[];
  readonly killP1: boolean;
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
    const resentAfterKill = run.killP1 && by.length === 2 && by[0] === 'p1' && by[1] === 'p2';
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

/** The interleaving (a seed: see sim/racing-processes.ts for why not `fc.scheduler()`), messages, whether p1 is killed, SMTP round trips, p2's start. */
const runArbs = [interleavingSeedArb, fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 80 })] as const;

/** No message is sent twice by two live processes; a dead one's lock is taken over; everything is delivered. */
export const twoProcesses: PropertyDef = {
  suite: 'message-spool',
  name: 'two-processes',
  description:
    'two spool processes on one directory, interleaved call by call, the first sometimes killed: every message is delivered, none twice (but a resend after a kill between send and removal), a dead holder is taken over',
  defaultRuns: 300,
  testRuns: 60,
  build: (ctx: RunContext) =>
    fc.asyncProperty(...runArbs, async (seed, count, killP1, exchangeSteps, startDelay) => {
      checkDeliveries(await runTwoProcesses(seededScheduler(seed), count, killP1, exchangeSteps, startDelay, ctx.variant?.messageSpool ?? {}));
    }) as unknown as fc.IAsyncProperty<never>,
};

/** The lock: a second live process is refused. */
export const lockExclusive: PropertyDef = {
  suite: 'message-spool',
  name: 'lock-exclusive',
  description: 'two spool processes racing to open one directory, the first sometimes killed: never do two live processes hold it at once',
  defaultRuns: 300,
  testRuns: 60,
  build: (ctx: RunContext) =>
    fc.asyncProperty(...runArbs, async (seed, count, killP1, exchangeSteps, startDelay) => {
      checkExclusive(await runTwoProcesses(seededScheduler(seed), count, killP1, exchangeSteps, startDelay, ctx.variant?.messageSpool ?? {}));
    }) as unknown as fc.IAsyncProperty<never>,
};
