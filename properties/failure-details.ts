/**
 * What a failure shows besides its words, as data: every process's timeline, the crash point and
 * the disk, the model's expectation beside the implementation's answer. A property attaches it
 * to the error it throws (`DetailedError`); `runProperty` carries it into the outcome, and the
 * HTML counterexample page (`cli/html-report.ts`) draws it. Plain data only: it crosses worker
 * threads by structured clone.
 */

/** One process's timeline: each event with its place in the global order. */
export interface ProcessTimeline {
  readonly process: string;
  readonly events: readonly { readonly seq: number; readonly kind: string; readonly what: string }[];
}

/** A crash state that broke a guarantee. */
export interface CrashDetails {
  readonly profile: string;
  /** The workload's operations, one line each; `inFlight` of them had returned at the crash. */
  readonly operations: readonly string[];
  readonly inFlight: number;
  /** The crash point in words. */
  readonly point: string;
  /** The disk as the program left it at the crash point, had nothing been lost. */
  readonly diskBefore?: readonly string[];
  /** The micro-steps the crash lost, in words. */
  readonly lost: readonly string[];
  /** The disk after the crash. */
  readonly diskAfter: readonly string[];
  /** What recovery gave back, under its title. */
  readonly recoveredTitle: string;
  readonly recovered: readonly string[];
  readonly violated: readonly string[];
}

/** Everything a failure can show. Every part is optional. */
export interface FailureDetails {
  readonly timelines?: readonly ProcessTimeline[];
  readonly crash?: CrashDetails;
  /** The reference model's expectation and the implementation's answer, side by side. */
  readonly expected?: string;
  readonly actual?: string;
}

/** An error that carries the details of its failure. */
export class DetailedError extends Error {
  constructor(
    message: string,
    readonly details: FailureDetails,
  ) {
    super(message);
    this.name = 'DetailedError';
  }
}

/** The details a thrown value carries, if any. */
export function detailsOf(err: unknown): FailureDetails | undefined {
  if (typeof err !== 'object' || err === null || !('details' in err)) return undefined;
  const details = (err as { details: unknown }).details;
  return typeof details === 'object' && details !== null ? (details as FailureDetails) : undefined;
}
