/**
 * What must hold of a message spool after a crash (docs/message-spool-protocol.md, docs/message-spool-protocol.md),
 * checked on one crash state. A NEW process ({@link RECOVERY_PROCESS}; the workload's process is
 * dead and its probe says so) opens the spool on the crash image after the lock grace period, and
 * once it has gone quiet (startup done: checkouts put back, messages loaded, due attempts started
 * and waiting at its presend hook, which never answers by itself) these are checked:
 *
 * - `not-lost`: every message whose add returned before the crash is on disk (in some queue, after
 *   startup put the checkouts back), unless the sender's `done` for it preceded the crash (then
 *   it may be gone: delivered).
 * - `right-queue`: every message on disk sits in the queue its record's status names, in exactly
 *   one place, and not in a `.checkout`, except `active/.checkout` when the new process's own
 *   attempt holds it (that attempt's checkout succeeded, so startup had put it in `active`).
 * - `durable-change`: every message's record on disk is the one the last operation that returned
 *   before the crash gave it, or the one the operation in flight would give it: an acknowledged
 *   freeze, send, remove, recover, delivery outcome is never rolled back, and nothing appears that
 *   no operation wrote; its body is exactly the body it was added with.
 * - `usable`: every message in the new process's `status()` can still be changed: its file is where
 *   its status says, and one with-file operation on it answers `ok` (freeze a waiting one, remove a
 *   frozen one; an attempt of the new process is answered `freeze` at presend, then removed); every
 *   message in `removed` can be recovered; the new process reports no background error.
 * - `leftovers-reported`: every file that does not belong to a complete message (registered, in
 *   one place, with its data, nothing staged) is named by a problem the multispool Monitor reports
 *   once every age limit has passed: an interrupted add or delivery is never left silently.
 *
 * Not a violation, only counted: a message whose sender said `done` before the crash but that is
 * still on disk afterwards is sent again by the new process. Delivery is at-least-once (docs/message-spool-protocol.md,
 * "Delivery is at-least-once ... inherent and must be documented, not hidden"): between the SMTP
 * exchange and the removal landing on disk there is always a moment where a crash re-sends.
 */
import { isDeepStrictEqual } from 'node:util';
import { manualClock } from '../../impl/io/clock.ts';
import {
  MESSAGE_SPOOLABLE,
  MessageSpool,
  queueOf,
  type BackgroundError,
  type IdResult,
  type MessageRecord,
  type MessageSpoolQuirks,
  type PresendDecision,
} from '../../impl/message-spool/index.ts';
import { locationDir, Monitor, type Problem } from '../../impl/multispool/index.ts';
import { activityVfs } from '../../sim/activity.ts';
import { crashVfs } from '../../sim/crash-vfs.ts';
import type { DiskImage } from '../../sim/crash/disk-image.ts';
import { processTable } from '../../sim/processes.ts';
import { describeRecord, isCheckoutPlace, queueOfPlace, readSpoolImage, type FoundMessage, type Place } from './disk.ts';
import {
  MESSAGE_SPOOL_DIR,
  WORKLOAD_PROCESS,
  WORKLOAD_RETRY_INTERVALS,
  WORKLOAD_START_MS,
  type MessageState,
  type MessageWorkloadRun,
} from './workload.ts';

/** The process that opens the spool after the crash. */
export const RECOVERY_PROCESS = 'p2';

/** The lock's grace period for an empty lock file (the default of `LockOptions.graceMs`), ms. */
export const LOCK_GRACE_MS = 60_000;

/** The guarantees, by name. */
export type GuaranteeName = 'not-lost' | 'right-queue' | 'durable-change' | 'usable' | 'leftovers-reported';

/** A guarantee that a crash state breaks, for which message, in words. */
export interface Violation {
  readonly guarantee: GuaranteeName;
  /** The message concerned (undefined when the whole spool is: it does not open). */
  readonly id?: string;
  readonly message: string;
}

/** What the workload had seen before the crash. */
export interface CrashContext {
  /** The number of operations that had returned. */
  readonly acked: number;
  /** The messages for which the sender had said `done`. */
  readonly doneBeforeCrash: ReadonlySet<string>;
}

/** The outcome of checking one crash state. */
export interface RecoveryCheck {
  readonly violations: readonly Violation[];
  /** Messages the sender had delivered before the crash and that the new process sends again. */
  readonly redelivered: readonly string[];
  /** What the new process did and saw, in words. */
  readonly recovery: readonly string[];
  /** The disk once the new process's startup had gone quiet (undefined if it did not open). */
  readonly afterStartup?: DiskImage;
}

/** What the workload established about one message at the crash. */
interface Expectation {
  /** Its state once the acknowledged operations had returned. */
  readonly before: MessageState;
  /** Its state once the operation in flight (if any) would have returned. */
  readonly inFlight: MessageState;
  /** The records it may hold on disk. */
  readonly allowed: readonly MessageRecord[];
  readonly body: string;
  /** Whether it must be on disk. */
  readonly mustExist: boolean;
}

const isRecord = (s: MessageState): s is MessageRecord => typeof s !== 'string';

function expectations(run: MessageWorkloadRun, ctx: CrashContext): Map<string, Expectation> {
  const out = new Map<string, Expectation>();
  for (const [id, life] of run.messages) {
    const before = life.after[ctx.acked] as MessageState;
    const inFlight = (life.after[ctx.acked + 1] ?? before) as MessageState;
    const allowed = [before, inFlight].filter(isRecord);
    out.set(id, { before, inFlight, allowed, body: life.body, mustExist: isRecord(before) && !ctx.doneBeforeCrash.has(id) });
  }
  return out;
}

const describeState = (s: MessageState): string => (isRecord(s) ? describeRecord(s, WORKLOAD_START_MS) : s === 'absent' ? 'not added yet' : 'delivered (deleted)');

/** Files of `m` the Monitor could name, as `dir/name`. */
function filesOf(m: FoundMessage): string[] {
  return [
    ...(m.registered ? [`.registry/${m.id}`] : []),
    ...(m.staged ? [`.tmp/${m.id}`] : []),
    ...(m.body !== undefined ? [`.data/${m.id}`] : []),
    ...m.files.map((f) => `${f.place}/${m.id}`),
  ];
}


/** The Monitor's problems on `image` long after the crash (every age limit passed), as `dir/name`. */
async function reportedFiles(image: DiskImage): Promise<Set<string>> {
  const clock = manualClock(Number.MAX_SAFE_INTEGER / 2);
  const monitor = await Monitor.open(crashVfs({ image }), MESSAGE_SPOOL_DIR, MESSAGE_SPOOLABLE, { clock });
  const problems: Problem<string>[] = await monitor.runOnce();
  const out = new Set<string>();
  for (const p of problems) {
    for (const l of p.kind === 'duplicated' ? p.locations : [p.location]) out.add(`${locationDir(l)}/${p.file.name}`);
    if (p.kind === 'duplicated') out.add(`.registry/${p.file.name}`);
  }
  return out;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * What a new process makes of one crash state's disk, whatever the workload did: whether it opens
 * the spool, what startup put back and could not read, the disk once startup went quiet, what it
 * holds in memory and which attempts it started, whether every message can still be changed
 * (the `usable` guarantee), and what the Monitor reports. The expensive part of a check (a whole
 * process start-up), the same for every crash state with the same disk at the same time:
 * {@link recoverImage} computes it, {@link judgeRecovery} derives a state's verdict from it.
 */
export interface RecoveryFacts {
  /** Why the spool did not open (the rest is then empty). */
  readonly openError?: string;
  readonly afterStartup?: DiskImage;
  readonly found: ReadonlyMap<string, FoundMessage>;
  readonly running: ReadonlySet<string>;
  /** The new process's account of itself, in words (before any judgment). */
  readonly recovery: readonly string[];
  /** Messages startup could not read. */
  readonly unreadable: readonly { readonly name?: string; readonly text: string }[];
  /** Files the Monitor names (computed only when some message is incomplete). */
  readonly reported: ReadonlySet<string>;
  /** Violations of `usable`: changing the messages, and the new process's background errors. */
  readonly usable: readonly Violation[];
}

/** Whether a message found on disk is complete: registered, in one place, with its data, nothing staged. */
const isComplete = (m: FoundMessage): boolean => m.registered && m.files.length === 1 && m.body !== undefined && !m.staged;

/**
 * Lets a new process recover crash state `image` at `endMs` (when the workload's process died):
 * opens the spool after the lock's grace period, lets startup go quiet, then changes every message
 * once. `quirks` are the implementation's. Leaves `image` as it is (the process works on a copy).
 */
export async function recoverImage(image: DiskImage, endMs: number, quirks: MessageSpoolQuirks): Promise<RecoveryFacts> {
  const usable: Violation[] = [];
  const fail = (id: string | undefined, message: string): void => {
    usable.push({ guarantee: 'usable', ...(id === undefined ? {} : { id }), message });
  };

  // The workload's process died in the crash: the new process's probe knows it only as dead.
  const table = processTable();
  table.spawn(WORKLOAD_PROCESS).kill();
  const p2 = table.spawn(RECOVERY_PROCESS);
  const clock = manualClock(endMs + LOCK_GRACE_MS + 1);
  const disk = crashVfs({ image, clock });
  const activity = activityVfs(disk);
  const presends = new Map<string, (d: PresendDecision) => void>();
  const background: BackgroundError[] = [];
  let spool: MessageSpool;
  try {
    spool = await MessageSpool.open(p2.vfs(activity.vfs), MESSAGE_SPOOL_DIR, {
      clock: p2.clock(clock),
      processes: p2.probe,
      retryIntervals: WORKLOAD_RETRY_INTERVALS,
      quirks,
      onError: (e) => background.push(e),
      presend: (record) => new Promise<PresendDecision>((resolve) => presends.set(record.id, resolve)),
      sender: { send: async () => 'tryLater' },
    });
  } catch (err) {
    return {
      openError: errorText(err),
      found: new Map(),
      running: new Set(),
      recovery: [`${RECOVERY_PROCESS} failed to open the spool: ${errorText(err)}`],
      unreadable: [],
      reported: new Set(),
      usable: [],
    };
  }
  await activity.settle();
  const afterStartup = disk.liveImage();
  const found = readSpoolImage(afterStartup, MESSAGE_SPOOL_DIR);
  const running = new Set(spool.running());
  const status = spool.status();
  const recovery = [
    `${RECOVERY_PROCESS} opened the spool at +${clock.now() - WORKLOAD_START_MS}ms: put back from checkouts [${spool.startup.putBack.join(', ')}]` +
      (spool.startup.unreadable.length === 0 ? '' : `, unreadable ${spool.startup.unreadable.map((u) => `${u.queue}/${u.name ?? '*'} (${u.error.message})`).join('; ')}`),
    `${RECOVERY_PROCESS} status(): ${status.map((r) => `${r.id} ${r.status.kind}`).join(', ') || '(empty)'}; attempts started: [${[...running].join(', ')}]`,
  ];
  const unreadable = spool.startup.unreadable.map((u) => ({ ...(u.name === undefined ? {} : { name: u.name }), text: `startup could not read ${u.queue}/${u.name ?? '(checkouts)'}: ${u.error.message}` }));
  const onDisk = [...found.values()].filter((m) => m.files.length > 0);
  const reported = [...found.values()].some((m) => !isComplete(m)) ? await reportedFiles(afterStartup) : new Set<string>();

  const removedAtStartup = onDisk.filter((m) => m.files.some((f) => f.place === 'removed') && !status.some((r) => r.id === m.id)).map((m) => m.id);
  try {
    const answer = async (what: string, id: string, results: Promise<IdResult[]>): Promise<void> => {
      const got = await results;
      await activity.settle();
      if (!isDeepStrictEqual(got, [{ id, result: 'ok' }])) fail(id, `${what} ${id} in ${RECOVERY_PROCESS} answered ${got.map((g) => g.result).join(', ')}, not ok`);
    };
    for (const r of status) {
      const id = r.id;
      const want: Place = running.has(id) ? 'active/.checkout' : (queueOf(r.status) as Place);
      const places = found.get(id)?.files.map((f) => f.place) ?? [];
      if (!places.includes(want)) fail(id, `${id} is ${r.status.kind} in ${RECOVERY_PROCESS}'s memory, so it belongs in ${want}, but its file is in ${places.join(' and ') || 'no queue'}`);
      if (running.has(id)) {
        const resolve = presends.get(id);
        if (resolve === undefined) {
          fail(id, `${id} is being sent by ${RECOVERY_PROCESS} but its attempt never reached presend`);
          continue;
        }
        resolve({ kind: 'freeze' });
        await activity.settle();
        const now = spool.status().find((x) => x.id === id);
        if (now?.status.kind !== 'frozen') {
          fail(id, `${id}: presend said freeze, but ${RECOVERY_PROCESS} then has it as ${now?.status.kind ?? 'gone'}`);
          continue;
        }
        await answer('remove', id, spool.remove([id]));
      } else if (r.status.kind === 'sendNow' || r.status.kind === 'sendAt') await answer('freeze', id, spool.freeze([id]));
      else if (r.status.kind === 'frozen') await answer('remove', id, spool.remove([id]));
      else fail(id, `${id} is ${r.status.kind} in ${RECOVERY_PROCESS}'s memory, but no attempt is running`);
    }
    for (const id of removedAtStartup) await answer('recover', id, spool.recover({ ids: [id], from: 'removed' }));
  } catch (err) {
    fail(undefined, `changing the messages in ${RECOVERY_PROCESS} threw: ${errorText(err)}`);
  }
  for (const e of background) fail(e.id, `${RECOVERY_PROCESS} reports a failure of ${e.id} during ${e.during}: ${errorText(e.error)}`);
  return { afterStartup, found, running, recovery, unreadable, reported, usable };
}

/**
 * Judges one crash state of `run` from what the new process made of its disk, given what the
 * workload had seen before the crash. Cheap: no I/O.
 */
export function judgeRecovery(facts: RecoveryFacts, run: MessageWorkloadRun, ctx: CrashContext): RecoveryCheck {
  if (facts.openError !== undefined) {
    return { violations: [{ guarantee: 'usable', message: `the new process ${RECOVERY_PROCESS} cannot open the spool: ${facts.openError}` }], redelivered: [], recovery: facts.recovery };
  }
  const violations: Violation[] = [];
  const fail = (guarantee: GuaranteeName, id: string | undefined, message: string): void => {
    violations.push({ guarantee, ...(id === undefined ? {} : { id }), message });
  };
  const expected = expectations(run, ctx);
  const { found, running } = facts;
  const recovery = [...facts.recovery];
  for (const u of facts.unreadable) fail('durable-change', u.name, u.text);

  // right-queue, durable-change
  const onDisk = [...found.values()].filter((m) => m.files.length > 0);
  for (const m of onDisk) {
    const id = m.id;
    const places = m.files.map((f) => f.place);
    if (places.length > 1) fail('right-queue', id, `${id} is in ${places.join(' and ')} at once after startup`);
    for (const f of m.files) {
      if (isCheckoutPlace(f.place) && !(f.place === 'active/.checkout' && running.has(id))) {
        fail('right-queue', id, `${id} is still checked out in ${f.place} after startup (no attempt of ${RECOVERY_PROCESS} holds it)`);
      }
      if (f.record !== undefined && queueOf(f.record.status) !== queueOfPlace(f.place)) {
        fail('right-queue', id, `${id} has status ${f.record.status.kind} but sits in ${f.place} (its status names ${String(queueOf(f.record.status))})`);
      }
    }
    const e = expected.get(id);
    if (e === undefined) {
      fail('durable-change', id, `${id} is on disk (${places.join(', ')}) but no operation ever added it`);
      continue;
    }
    for (const f of m.files) {
      if (f.record === undefined) {
        fail('durable-change', id, `${id} in ${f.place} is not a record: ${f.problem ?? ''}`);
        continue;
      }
      if (!e.allowed.some((r) => isDeepStrictEqual(r, f.record))) {
        fail(
          'durable-change',
          id,
          `${id} in ${f.place} holds [${describeRecord(f.record, WORKLOAD_START_MS)}]; the last operation that returned left it [${describeState(e.before)}]` +
            (isDeepStrictEqual(e.before, e.inFlight) ? '' : ` and the one in flight would leave it [${describeState(e.inFlight)}]`),
        );
      }
    }
    if (m.body !== e.body) fail('durable-change', id, `${id} has body ${m.body === undefined ? '(no data file)' : JSON.stringify(m.body)}, added with ${JSON.stringify(e.body)}`);
  }

  // not-lost
  for (const [id, e] of expected) {
    if (e.mustExist && (found.get(id)?.files.length ?? 0) === 0) {
      fail('not-lost', id, `${id} [${describeState(e.before)}] was acknowledged before the crash but is in no queue after startup`);
    }
  }

  // re-delivery (at-least-once: counted, not a violation)
  const redelivered = onDisk.filter((m) => ctx.doneBeforeCrash.has(m.id)).map((m) => m.id);
  if (redelivered.length > 0) recovery.push(`sent again although the sender had said done before the crash: ${redelivered.join(', ')}`);

  // leftovers-reported
  for (const m of [...found.values()].filter((x) => !isComplete(x))) {
    const files = filesOf(m);
    if (!files.some((f) => facts.reported.has(f))) fail('leftovers-reported', m.id, `${files.join(', ')}: an incomplete message, and the Monitor reports none of it`);
  }

  violations.push(...facts.usable);
  return { violations, redelivered, recovery, ...(facts.afterStartup === undefined ? {} : { afterStartup: facts.afterStartup }) };
}

/**
 * Checks one crash state `image` of `run`, given what the workload had seen before the crash.
 * `quirks` are the implementation's (the new process opens the spool with them, as production would).
 */
export async function checkRecovery(image: DiskImage, run: MessageWorkloadRun, ctx: CrashContext, quirks: MessageSpoolQuirks): Promise<RecoveryCheck> {
  return judgeRecovery(await recoverImage(image, run.endMs, quirks), run, ctx);
}
