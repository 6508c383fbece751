/**
 * The messages between `spoolcheck run` and its worker threads (`worker-pool.ts` on the main
 * side, `property-worker.ts` on the worker side). Everything in them is plain data: it crosses
 * threads by structured clone.
 */
import type { PropertyOutcome } from '../properties/suite.ts';

/** What a worker is started with. */
export interface WorkerSetup {
  /** The target by name: a built-in one (`real`, a variant id, a package) or a module file. */
  readonly target: string;
  /** The directory a module file's name is relative to. */
  readonly cwd: string;
}

/** Main to worker: run one property. */
export interface ToWorker {
  readonly id: number;
  readonly suite: string;
  readonly property: string;
  readonly seed: number;
  readonly numRuns: number;
  readonly path?: string;
  /** What is left of the time budget when the property is sent, in ms (the threads' clocks differ). */
  readonly remainingMs?: number;
  /** The time limit of one run, in ms. */
  readonly runTimeoutMs?: number;
}

/** Worker to main. */
export type FromWorker =
  | { readonly kind: 'ready' }
  /** Sent every HEARTBEAT_MS while the thread's event loop turns: silence means it is stuck. */
  | { readonly kind: 'alive' }
  /** A run of property `id` started: its search index (replay path), or undefined while shrinking. */
  | { readonly kind: 'run'; readonly id: number; readonly searchIndex: number | undefined }
  | { readonly kind: 'setup-failed'; readonly message: string }
  | { readonly kind: 'outcome'; readonly id: number; readonly outcome: PropertyOutcome }
  | { readonly kind: 'error'; readonly id: number; readonly message: string; readonly stack?: string };

/** How often a worker says it is alive, in ms. */
export const HEARTBEAT_MS = 250;
