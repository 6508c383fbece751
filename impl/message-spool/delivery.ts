/**
 * Delivery: the pump that starts attempts and the attempt itself
 * (`docs/message-spool-protocol.md`, "Delivery").
 *
 * The pump starts, in order of (due time, id), every message due by now while fewer than
 * `maxConcurrentJobs` attempts run and the spool is not killed; it runs after every operation,
 * when the clock reaches the earliest due time, when an attempt ends, and after
 * setMaxConcurrentJobs. An attempt checks the message out of `active`, asks presend, calls the
 * sender, and saves the outcome (delivered: removed; frozen; delayed with the next retry interval).
 */
import type { CheckedOutEntry } from '../multispool/index.ts';
import type { PresendDecision, SendOutcome } from './hooks.ts';
import { queueOf, type MessageRecord, type Queue } from './record.ts';
import { scheduleByStatus, type Runtime } from './runtime.ts';
import { checkOutAsSeen, giveBackAfterFailure } from './with-file.ts';

/** Starts every attempt that may start now, then arms the wake-up for the next due time. */
export function pump(rt: Runtime): void {
  if (rt.killed) {
    disarm(rt);
    return;
  }
  const now = rt.clock.now();
  const ready = [...rt.due].filter(([id, at]) => at <= now && !rt.busy.has(id)).sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0));
  for (const [id] of ready) {
    if (rt.running.length >= rt.maxConcurrentJobs) break;
    startAttempt(rt, id);
  }
  arm(rt, now);
}

/** Stops the wake-up (killed or closed spools never wake). */
export function disarm(rt: Runtime): void {
  rt.timer?.abort.abort();
  rt.timer = undefined;
}

function arm(rt: Runtime, now: number): void {
  let earliest: number | undefined;
  for (const at of rt.due.values()) if (at > now && (earliest === undefined || at < earliest)) earliest = at;
  if (earliest === rt.timer?.at) return;
  // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
  if (earliest === undefined && rt.quirks.staleTimerKept === true) return;
  disarm(rt);
  if (earliest === undefined) return;
  const abort = new AbortController();
  rt.timer = { at: earliest, abort };
  rt.clock.sleep(earliest - now, abort.signal).then(
    () => {
      if (rt.timer?.abort === abort) rt.timer = undefined;
      pump(rt);
    },
    () => undefined, // re-armed or disarmed
  );
}

function startAttempt(rt: Runtime, id: string): void {
  const base = rt.memory.get(id);
  rt.due.delete(id);
  if (base === undefined) return;
  rt.memory.set(id, { ...base, status: { kind: 'sending' } });
  rt.running.push(id);
  void attempt(rt, id, base).finally(() => {
    rt.running.splice(rt.running.indexOf(id), 1);
    if (rt.killed && rt.running.length === 0) for (const w of rt.flushWaiters.splice(0)) w.finish();
    pump(rt);
  });
}

/**
 * What an attempt does with the message once presend and the sender have spoken: delete it
 * (delivered), or save this record into the queue of its status (the status says the rest: frozen,
 * removed, or delayed until `at`).
 */
type Next = { readonly remove: true } | { readonly save: MessageRecord };

function frozenAfter(record: MessageRecord): Next {
  return { save: { ...record, status: { kind: 'frozen' } } };
}

function delayed(record: MessageRecord, at: number, retryIntervals: readonly number[]): Next {
  return { save: { ...record, status: { kind: 'sendAt', at }, retryIntervals } };
}

/** "Try later": the next retry interval (the head of the list), or frozen when none is left. */
function tryLater(record: MessageRecord, now: number): Next {
  const [next, ...rest] = record.retryIntervals;
  return next === undefined ? frozenAfter(record) : delayed(record, now + next, rest);
}

/**
 * The outcome of presend `decision` and (for sendNow) sender `outcome` on `base`, at `now`. A
 * failed presend hook (`undefined`) counts as "try later" without a sender call.
 */
function decide(base: MessageRecord, decision: PresendDecision | undefined, outcome: SendOutcome | undefined, now: number): Next {
  if (decision === undefined) return tryLater(base, now);
  switch (decision.kind) {
    case 'freeze':
      return frozenAfter(base);
    case 'remove':
      return { save: { ...base, status: { kind: 'removed' } } };
    case 'sendAt':
      return delayed(base, decision.at, base.retryIntervals);
    case 'sendNow':
      break;
  }
  const tried = { ...base, attempts: base.attempts + 1 };
  switch (outcome) {
    case 'done':
      return { remove: true };
    case 'failPermanently':
      return frozenAfter({ ...tried, failedRecipients: [...tried.failedRecipients, ...tried.remainingRecipients], remainingRecipients: [] });
    default:
      return tryLater(tried, now);
  }
}

async function askPresend(rt: Runtime, record: MessageRecord): Promise<PresendDecision | undefined> {
  try {
    return await rt.presend(record);
  } catch {
    return undefined; // a failing presend hook counts as "try later"
  }
}

async function callSender(rt: Runtime, entry: CheckedOutEntry<Queue, MessageRecord, string>, record: MessageRecord): Promise<SendOutcome> {
  try {
    const body = await entry.dataFile.load();
    return await rt.sender.send({ record, body });
  } catch {
    return 'tryLater'; // an unreadable body or a failing sender: try again later
  }
}

/**
 * One attempt on `id`, whose record before `sending` is `base`. Never rejects. When the attempt's
 * I/O fails after the checkout (a full disk refuses the save of its outcome, say), the entry is
 * given back to `active` unchanged (a rename: no space needed) and the message is tried again
 * after the spool's first retry interval; only if that fails too is it left stuck (in memory,
 * without a due time, until a restart puts it back).
 */
async function attempt(rt: Runtime, id: string, base: MessageRecord): Promise<void> {
  const stuck = (): void => {
    if (rt.memory.get(id)?.status.kind === 'sending') rt.memory.set(id, base);
  };
  let entry: CheckedOutEntry<Queue, MessageRecord, string> | undefined;
  try {
    const checkout = await checkOutAsSeen(rt, 'active', id, base);
    if (!checkout.ok) {
      stuck();
      rt.onError({ id, during: 'delivery', error: checkout.error });
      return;
    }
    entry = checkout.entry;
    const decision = await askPresend(rt, base);
    const outcome = decision?.kind === 'sendNow' ? await callSender(rt, entry, base) : undefined;
    const next = decide(base, decision, outcome, rt.clock.now());
    if ('remove' in next) {
      await entry.remove();
      rt.memory.delete(id);
      rt.bus.emit({ kind: 'delivered', id, at: rt.clock.now() });
      return;
    }
    const status = next.save.status;
    entry.update(() => next.save);
    await entry.save(queueOf(status) as Queue);
    const at = rt.clock.now();
    if (status.kind === 'removed') rt.memory.delete(id);
    else rt.memory.set(id, next.save);
    scheduleByStatus(rt, id, status, at);
    if (status.kind === 'sendAt') {
      rt.bus.emit({ kind: 'delayed', id, at, until: status.at });
    } else {
      rt.bus.emit({ kind: status.kind === 'removed' ? 'removed' : 'frozen', id, at });
    }
  } catch (error) {
    rt.onError({ id, during: 'delivery', error });
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    if (rt.quirks.stuckAfterFailedSave !== true && entry !== undefined && (await giveBackAfterFailure(entry))) {
      if (rt.memory.get(id)?.status.kind === 'sending') {
        rt.memory.set(id, base);
        rt.due.set(id, rt.clock.now() + (rt.defaultRetryIntervals[0] ?? 0));
      }
      return;
    }
    stuck();
  }
}

