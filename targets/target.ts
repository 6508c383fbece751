/**
 * A target is what a property checks: the implementation under test, handed to the harness as a
 * plain object. spoolcheck's own implementations, each buggy variant of them, and a user's adapter
 * of their own spool, queue or ring are all targets, and every property gets the implementation it
 * checks from the target of its run and from nowhere else.
 *
 * A target declares what it can do by the capabilities it fills in. A property names the
 * capabilities it needs (`PropertyDef.requires`); on a target that lacks one, the property is
 * reported "not applicable", never "holds".
 *
 * - `queue`: a multispool-like queue (`QueueAdapter`): checked through its own API only, so a
 *   spool with any directory layout can be checked, under crashes of every persistence profile.
 * - `ring`: a single-producer single-consumer block ring (`RingAdapter`), likewise through its API,
 *   under power cuts on sector-atomic and tearing devices.
 * - `journal`: a journal of operations (`JournalAdapter`): through its API and what it performs.
 * - `fileWriter`: code that replaces a file's content (`FileWriterAdapter`), usually an npm package
 *   run unmodified on the simulated disk through the node:fs facade, under crashes and faults.
 * - `lock`: a file lock (`LockAdapter`), node:fs code likewise, with racing processes.
 * - `appendLog`: an append log (`AppendLogAdapter`), node:fs code likewise, under crashes and faults.
 * - `messageSpool`: a mail spool (`MessageSpoolAdapter`): through its API and what it asks the
 *   harness to deliver, under crashes of every persistence profile.
 * - `builtin`: only spoolcheck's own implementations have it: the quirks that make our real
 *   implementation one of its buggy variants (none for the correct one). The suites that compare
 *   our implementations' disk layout, control sectors and internals with the reference models need
 *   it: they know our layout, which a third-party implementation does not share.
 */
import type { JournalQuirks } from '../impl/journal/quirks.ts';
import type { MessageSpoolQuirks } from '../impl/message-spool/quirks.ts';
import type { MultispoolQuirks } from '../impl/multispool/quirks.ts';
import type { RingQuirks } from '../impl/ring/quirks.ts';
import { QUEUE_SURVIVES, type QueueAdapter } from './queue-adapter.ts';
import { RING_SURVIVES, type RingAdapter } from './ring-adapter.ts';
import { JOURNAL_SURVIVES, type JournalAdapter } from './journal-adapter.ts';
import { MESSAGE_SPOOL_SURVIVES, type MessageSpoolAdapter } from './message-spool-adapter.ts';
import { FILE_WRITER_PROMISES, type FileWriterAdapter } from './file-writer-adapter.ts';
import type { LockAdapter } from './lock-adapter.ts';
import { APPEND_LOG_PROMISES, type AppendLogAdapter } from './append-log-adapter.ts';
import { checkRoutedCode } from './routed-code.ts';

/** The configuration of spoolcheck's own implementations that a built-in target checks. */
export interface BuiltinImplementations {
  readonly multispool: MultispoolQuirks;
  readonly ring: RingQuirks;
  readonly journal: JournalQuirks;
  readonly messageSpool: MessageSpoolQuirks;
}

/** What a property checks. */
export interface Target {
  /** A short name for reports and replay lines (`real`, `MS-2`, `maildir-careless`). */
  readonly name: string;
  /** One sentence: what this implementation is. */
  readonly description: string;
  /** A multispool-like queue, checked through its API. */
  readonly queue?: QueueAdapter;
  /** A single-producer single-consumer block ring, checked through its API. */
  readonly ring?: RingAdapter;
  /** A journal of operations on a block device, checked through its API and its perform callback. */
  readonly journal?: JournalAdapter;
  /** A mail spool, checked through its API and its deliveries. */
  readonly messageSpool?: MessageSpoolAdapter;
  /** Code that replaces a file's content, checked through node:fs on the simulated disk. */
  readonly fileWriter?: FileWriterAdapter;
  /** A file lock, checked through node:fs on the simulated disk with racing processes. */
  readonly lock?: LockAdapter;
  /** An append log, checked through node:fs on the simulated disk. */
  readonly appendLog?: AppendLogAdapter;
  /** spoolcheck's own implementations (and their variants): never set this in a target of your own. */
  readonly builtin?: BuiltinImplementations;
}

/** The parts a target may fill in, besides its name and description. */
export const TARGET_PARTS = ['queue', 'ring', 'journal', 'messageSpool', 'fileWriter', 'lock', 'appendLog', 'builtin'] as const;

/**
 * Every capability a property may need, each with the test of whether a target has it:
 * - `queue`: it has a queue adapter;
 * - `queue-survives-process-crash`: its queue claims to survive a kill (or a power loss, which
 *   is harder: a queue that survives a power loss survives a kill);
 * - `queue-survives-power-loss`: its queue claims to survive a power loss;
 * - `queue-reader`: its queue's handles have `take`, a reader that waits for items;
 * - `ring`: it has a ring adapter; `ring-survives-power-loss`: its ring claims to survive a power
 *   cut on a sector-atomic device (or torn writes, which is harder); `ring-survives-torn-writes`:
 *   also one that tears sectors;
 * - `journal`, `journal-survives-power-loss`, `journal-survives-torn-writes`: the same for a journal;
 * - `message-spool`, `message-spool-survives-process-crash`, `message-spool-survives-power-loss`:
 *   the same as for a queue, for a mail spool;
 * - `file-writer`, `file-writer-atomic`, `file-writer-durable`: it has a file writer, which
 *   promises atomic replace, durable replace;
 * - `lock`: it has a file lock;
 * - `append-log`, `append-log-kill-safe`, `append-log-durable`, `append-log-sync`: it has an append
 *   log, which promises that acknowledged records survive a kill (or a power loss, which is
 *   harder), a power loss, a power loss once synced;
 * - `builtin`: it is one of spoolcheck's own implementations.
 */
const HAS = {
  queue: (t: Target) => t.queue !== undefined,
  'queue-survives-process-crash': (t: Target) => (t.queue?.survives ?? []).length > 0,
  'queue-survives-power-loss': (t: Target) => (t.queue?.survives ?? []).includes('power-loss'),
  'queue-reader': (t: Target) => t.queue?.reader === true,
  ring: (t: Target) => t.ring !== undefined,
  'ring-survives-power-loss': (t: Target) => (t.ring?.survives ?? []).length > 0,
  'ring-survives-torn-writes': (t: Target) => (t.ring?.survives ?? []).includes('torn-writes'),
  journal: (t: Target) => t.journal !== undefined,
  'journal-survives-power-loss': (t: Target) => (t.journal?.survives ?? []).length > 0,
  'journal-survives-torn-writes': (t: Target) => (t.journal?.survives ?? []).includes('torn-writes'),
  'message-spool': (t: Target) => t.messageSpool !== undefined,
  'message-spool-survives-process-crash': (t: Target) => (t.messageSpool?.survives ?? []).length > 0,
  'message-spool-survives-power-loss': (t: Target) => (t.messageSpool?.survives ?? []).includes('power-loss'),
  'file-writer': (t: Target) => t.fileWriter !== undefined,
  'file-writer-atomic': (t: Target) => (t.fileWriter?.promises ?? []).includes('atomic'),
  'file-writer-durable': (t: Target) => (t.fileWriter?.promises ?? []).includes('durable'),
  lock: (t: Target) => t.lock !== undefined,
  'append-log': (t: Target) => t.appendLog !== undefined,
  'append-log-kill-safe': (t: Target) => (t.appendLog?.promises ?? []).some((p) => p === 'kill-safe' || p === 'durable'),
  'append-log-durable': (t: Target) => (t.appendLog?.promises ?? []).includes('durable'),
  'append-log-sync': (t: Target) => (t.appendLog?.promises ?? []).includes('sync'),
  builtin: (t: Target) => t.builtin !== undefined,
} as const;

/** A capability a property may need. */
export type Capability = keyof typeof HAS;

/** Every capability, in the order reports list them. */
export const CAPABILITIES = Object.keys(HAS) as Capability[];

/** The capabilities `target` has, in {@link CAPABILITIES} order. */
export function capabilitiesOf(target: Target): Capability[] {
  return CAPABILITIES.filter((c) => HAS[c](target));
}

/** The capabilities of `requires` that `target` lacks (empty: the property applies). */
export function missingCapabilities(target: Target, requires: readonly Capability[]): Capability[] {
  return requires.filter((c) => !HAS[c](target));
}

/** Throws a clear error when a module's export is not a target; returns it typed otherwise. */
export function asTarget(value: unknown, where: string): Target {
  if (typeof value !== 'object' || value === null) throw new TypeError(`${where}: the default export must be a target object, got ${value === null ? 'null' : typeof value}`);
  const t = value as Record<string, unknown>;
  if (typeof t['name'] !== 'string' || t['name'] === '') throw new TypeError(`${where}: a target needs a non-empty string 'name'`);
  if (typeof t['description'] !== 'string') throw new TypeError(`${where}: target '${t['name']}' needs a string 'description'`);
  const known = new Set<string>(['name', 'description', ...TARGET_PARTS]);
  const unknown = Object.keys(t).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new TypeError(`${where}: target '${t['name']}' has unknown field(s) ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  if (t['queue'] !== undefined) {
    const q = t['queue'] as Record<string, unknown>;
    if (typeof q !== 'object' || q === null || typeof q['open'] !== 'function') throw new TypeError(`${where}: target '${t['name']}': 'queue' must be an object with an open(world) function`);
    checkClaims(`${where}: target '${t['name']}': 'queue.survives'`, q['survives'], QUEUE_SURVIVES);
    if (q['reader'] !== undefined && typeof q['reader'] !== 'boolean') throw new TypeError(`${where}: target '${t['name']}': 'queue.reader' must be true or false, got ${JSON.stringify(q['reader'])}`);
  }
  if (t['ring'] !== undefined) {
    const r = t['ring'] as Record<string, unknown>;
    const missing = ['create', 'producer', 'consumer'].filter((f) => typeof r?.[f] !== 'function');
    if (typeof r !== 'object' || r === null || missing.length > 0) {
      throw new TypeError(`${where}: target '${t['name']}': 'ring' must be an object with create(world), producer(world) and consumer(world) functions (missing: ${missing.join(', ')})`);
    }
    checkClaims(`${where}: target '${t['name']}': 'ring.survives'`, r['survives'], RING_SURVIVES);
  }
  if (t['journal'] !== undefined) {
    const j = t['journal'] as Record<string, unknown>;
    if (typeof j !== 'object' || j === null || typeof j['start'] !== 'function') throw new TypeError(`${where}: target '${t['name']}': 'journal' must be an object with a start(world) function`);
    checkClaims(`${where}: target '${t['name']}': 'journal.survives'`, j['survives'], JOURNAL_SURVIVES);
  }
  if (t['messageSpool'] !== undefined) {
    const m = t['messageSpool'] as Record<string, unknown>;
    if (typeof m !== 'object' || m === null || typeof m['open'] !== 'function') throw new TypeError(`${where}: target '${t['name']}': 'messageSpool' must be an object with an open(world) function`);
    const delay = m['maxRetryDelayMs'];
    if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) throw new TypeError(`${where}: target '${t['name']}': 'messageSpool.maxRetryDelayMs' must be a non-negative number of ms, got ${JSON.stringify(delay)}`);
    checkClaims(`${where}: target '${t['name']}': 'messageSpool.survives'`, m['survives'], MESSAGE_SPOOL_SURVIVES);
  }
  if (t['fileWriter'] !== undefined) checkPromisingAdapter(`${where}: target '${t['name']}'`, 'fileWriter', t['fileWriter'], FILE_WRITER_PROMISES);
  if (t['lock'] !== undefined) {
    const l = t['lock'] as Record<string, unknown>;
    const missing = ['load', 'leaveStaleLock'].filter((f) => typeof l?.[f] !== 'function');
    if (typeof l !== 'object' || l === null || missing.length > 0) throw new TypeError(`${where}: target '${t['name']}': 'lock' must be an object with load() and leaveStaleLock(vfs, path, ageMs) functions (missing: ${missing.join(', ')})`);
    checkRoutedCode(`${where}: target '${t['name']}'`, 'lock', l);
    if (typeof l['staleMs'] !== 'number' || !(l['staleMs'] >= 0)) throw new TypeError(`${where}: target '${t['name']}': 'lock.staleMs' must be a non-negative number of ms`);
  }
  if (t['appendLog'] !== undefined) checkPromisingAdapter(`${where}: target '${t['name']}'`, 'appendLog', t['appendLog'], APPEND_LOG_PROMISES);
  if (t['builtin'] !== undefined) throw new TypeError(`${where}: target '${t['name']}': 'builtin' is reserved for spoolcheck's own implementations`);
  return value as Target;
}

/** Throws unless `survives` is absent or an array of claims from `allowed`. */
/** An adapter of routed npm code that states its promises (`fileWriter`, `appendLog`): a load() function, routed code, known promises. */
function checkPromisingAdapter(what: string, part: string, value: unknown, allowed: readonly string[]): void {
  const adapter = value as Record<string, unknown>;
  if (typeof adapter !== 'object' || adapter === null || typeof adapter['load'] !== 'function') throw new TypeError(`${what}: '${part}' must be an object with a load() function`);
  checkRoutedCode(what, part, adapter);
  if (adapter['promises'] === undefined) throw new TypeError(`${what}: '${part}.promises' is required (an array of ${allowed.map((c) => `'${c}'`).join(', ')})`);
  checkClaims(`${what}: '${part}.promises'`, adapter['promises'], allowed);
}

function checkClaims(what: string, survives: unknown, allowed: readonly string[]): void {
  const known: readonly unknown[] = allowed;
  if (survives !== undefined && (!Array.isArray(survives) || !survives.every((c) => known.includes(c)))) {
    throw new TypeError(`${what} must be an array of ${allowed.map((c) => `'${c}'`).join(', ')}, got ${JSON.stringify(survives)}`);
  }
}
