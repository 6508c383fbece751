/**
 * The abstract state of a message spool and the process running on it
 * (`docs/message-spool-protocol.md`, "State the spool keeps in memory"), plus the small pure
 * updates every operation is built from. Plain immutable data: every update returns a new state
 * with new Maps and arrays and leaves its argument alone.
 *
 * - `disk` is the directory: by id, the queue its metadata file sits in, whether it is checked
 *   out, its record and body. It survives `restart`.
 * - `memory`, `due`, `running`, `killed`, `maxConcurrentJobs`, `flushWaiters` belong to the
 *   current process and are lost at `restart`.
 * - `events` and `attemptsStarted` are the history of all processes (what observers saw).
 */
import type { DiskEntry, MessageEvent, MessageRecord } from './types.ts';

/** The spool's options that the model depends on, and the clock at the start. */
export interface ModelConfig {
  /** The default retry intervals of added messages (ms). */
  readonly retryIntervals: readonly number[];
  /** The concurrency limit a process starts with. */
  readonly maxConcurrentJobs: number;
  /** The clock at the start (ms). */
  readonly startMs: number;
}

/** The protocol's default retry intervals: 1 min, 5 min, 30 min. */
export const DEFAULT_RETRY_INTERVALS = [60_000, 300_000, 1_800_000];

/** The protocol's default concurrency limit. */
export const DEFAULT_MAX_CONCURRENT_JOBS = 100;

/** A killAndFlush call and how it ended so far. */
export interface FlushWaiter {
  /** The clock time at which it times out; `undefined` for never. */
  readonly deadline: number | undefined;
  readonly outcome: 'pending' | 'finished' | 'timeout';
}

/** Everything the model predicts. */
export interface ModelState {
  readonly config: ModelConfig;
  /** The clock (ms). */
  readonly now: number;
  /** By id: every message on disk. */
  readonly disk: ReadonlyMap<string, DiskEntry>;
  /** The in-memory view (`status()` = these, by id). */
  readonly memory: ReadonlyMap<string, MessageRecord>;
  /** By id: the time of the next delivery attempt of a waiting message. */
  readonly due: ReadonlyMap<string, number>;
  /** Ids of attempts in flight, in start order. */
  readonly running: readonly string[];
  /** Set by killAndFlush: no attempt starts any more, freeze/send/remove/recover are refused. */
  readonly killed: boolean;
  /** The current concurrency limit. */
  readonly maxConcurrentJobs: number;
  /** Every killAndFlush call of the current process, in call order. */
  readonly flushWaiters: readonly FlushWaiter[];
  /** Every event so far (all processes), in order. */
  readonly events: readonly MessageEvent[];
  /** Every attempt start (all processes), in order. */
  readonly attemptsStarted: readonly { readonly id: string; readonly at: number }[];
}

/** The config with the protocol's defaults filled in (`startMs` defaults to 0). */
export function fullConfig(config: Partial<ModelConfig> = {}): ModelConfig {
  return {
    retryIntervals: [...(config.retryIntervals ?? DEFAULT_RETRY_INTERVALS)],
    maxConcurrentJobs: config.maxConcurrentJobs ?? DEFAULT_MAX_CONCURRENT_JOBS,
    startMs: config.startMs ?? 0,
  };
}

/** A fresh spool on an empty directory at `config.startMs`: nothing on disk, nothing in memory. */
export function initialModel(config?: Partial<ModelConfig>): ModelState {
  const full = fullConfig(config);
  return {
    config: full,
    now: full.startMs,
    disk: new Map(),
    memory: new Map(),
    due: new Map(),
    running: [],
    killed: false,
    maxConcurrentJobs: full.maxConcurrentJobs,
    flushWaiters: [],
    events: [],
    attemptsStarted: [],
  };
}

/** A copy of `map` with `key` set to `value`. */
export function withKey<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  return new Map(map).set(key, value);
}

/** A copy of `map` without `key`. */
export function withoutKey<K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  if (!map.has(key)) return map;
  const copy = new Map(map);
  copy.delete(key);
  return copy;
}

/** `state` with `event` appended to the history. */
export function emit(state: ModelState, event: MessageEvent): ModelState {
  return { ...state, events: [...state.events, event] };
}

/** `state` with `record` as the in-memory record of its id. */
export function remember(state: ModelState, record: MessageRecord): ModelState {
  return { ...state, memory: withKey(state.memory, record.id, record) };
}

/** `state` without an in-memory record (nor due time) for `id`. */
export function forget(state: ModelState, id: string): ModelState {
  return { ...state, memory: withoutKey(state.memory, id), due: withoutKey(state.due, id) };
}

/** `state` with the due time of `id` set to `at`. */
export function schedule(state: ModelState, id: string, at: number): ModelState {
  return { ...state, due: withKey(state.due, id, at) };
}

/** `state` without a due time for `id`. */
export function unschedule(state: ModelState, id: string): ModelState {
  return { ...state, due: withoutKey(state.due, id) };
}

/** `state` with the disk entry of `id` set to `entry`. */
export function putEntry(state: ModelState, id: string, entry: DiskEntry): ModelState {
  return { ...state, disk: withKey(state.disk, id, entry) };
}

/** `state` without a disk entry for `id` (the multispool's remove: metadata, data, registry). */
export function deleteEntry(state: ModelState, id: string): ModelState {
  return { ...state, disk: withoutKey(state.disk, id) };
}

/** `status()`: every in-memory record, by id (plain `<` order). */
export function statusOf(state: ModelState): readonly MessageRecord[] {
  return [...state.memory.values()].sort((a, b) => compareIds(a.id, b.id));
}

/** Plain string order of ids (`<`), the order of every "by id" and "by name" in the protocol. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
