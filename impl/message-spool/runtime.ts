/**
 * The in-memory side of a running message spool: what it is responsible for, what waits for a
 * delivery and when, what is being delivered or changed right now. Shared by the delivery pump,
 * the with-file protocol and the operations; plain state, no logic beyond bookkeeping.
 */
import type { MessageSpoolQuirks } from './quirks.ts';
import type { Clock } from '../io/clock.ts';
import type { Vfs } from '../io/vfs.ts';
import type { Multispool, NameGenerator } from '../multispool/index.ts';
import { EventBus } from './events.ts';
import type { Presend, Sender } from './hooks.ts';
import type { MessageRecord, Queue, Status } from './record.ts';

/** A background failure (an I/O error during an attempt, say): what was being done, and the error. */
export interface BackgroundError {
  readonly id: string;
  readonly during: string;
  readonly error: unknown;
}

/** A pending `killAndFlush`. */
export interface FlushWaiter {
  finish(): void;
}

/** The state of one running message spool. */
export interface Runtime {
  /** The file system the spool lives on. */
  readonly vfs: Vfs;
  readonly spool: Multispool<Queue, MessageRecord, string>;
  readonly clock: Clock;
  readonly names: NameGenerator;
  readonly presend: Presend;
  readonly sender: Sender;
  readonly bus: EventBus;
  readonly onError: (e: BackgroundError) => void;
  readonly defaultRetryIntervals: readonly number[];
  /** Bugs switched on (tests of the harness only). */
  readonly quirks: MessageSpoolQuirks;
  /** id -> record: every message this spool is responsible for (not quarantined, removed or delivered ones). */
  readonly memory: Map<string, MessageRecord>;
  /** id -> time of its next delivery attempt. */
  readonly due: Map<string, number>;
  /** Ids of the attempts in flight, in start order. */
  readonly running: string[];
  /** Ids an operation is changing right now (the pump leaves them alone). */
  readonly busy: Set<string>;
  readonly flushWaiters: FlushWaiter[];
  killed: boolean;
  maxConcurrentJobs: number;
  /** The armed wake-up for the earliest future due time. */
  timer: { readonly at: number; readonly abort: AbortController } | undefined;
}

/** A fresh runtime over an open multispool. */
export function newRuntime(fields: Omit<Runtime, 'bus' | 'memory' | 'due' | 'running' | 'busy' | 'flushWaiters' | 'killed' | 'timer'>): Runtime {
  return {
    ...fields,
    bus: new EventBus(),
    memory: new Map(),
    due: new Map(),
    running: [],
    busy: new Set(),
    flushWaiters: [],
    killed: false,
    timer: undefined,
  };
}

/**
 * Gives message `id` the due time its status calls for: now for sendNow (and a `sending` found
 * in a foreign file), its `at` for sendAt; any other status waits for no attempt.
 */
export function scheduleByStatus(rt: Runtime, id: string, status: Status, now: number): void {
  if (status.kind === 'sendNow' || status.kind === 'sending') rt.due.set(id, now);
  else if (status.kind === 'sendAt') rt.due.set(id, status.at);
  else rt.due.delete(id);
}
