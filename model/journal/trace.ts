/**
 * The journal's specification (docs/journal-protocol.md) as a check of a recorded trace: what a correct journal may
 * do, given what was pushed and when. Pure: a trace in, a list of violations out.
 *
 * A trace is what a test saw, in order: pushes that returned, calls of `flush`, every call of
 * `perform` with its batch and the outcome the test chose, clean restarts, and time. The rules:
 * - order and exactly-once: the batches that succeeded, concatenated, are a prefix of the pushed
 *   ops, each op once (clean restarts lose nothing and repeat nothing);
 * - every batch starts at the first op not yet performed and is a run of pushed ops;
 * - a batch is not performed before it is due: `flushIntervalMs` after the first push not yet in
 *   a batch, unless `flush` was called or the ring was full; a failed batch not before
 *   `retryIntervalMs` after the failure;
 * - `flush` makes the batch due at once: with ops not yet performed, the next batch comes before
 *   any time passes;
 * - a full ring forces the batch at once: the first batch after a `ringFull` comes before any
 *   time passes (a push waiting for room must not wait out the flush interval);
 * - liveness (checked by {@link checkJournalDrained}): once perform succeeds again and time passes,
 *   every pushed op is performed.
 */

/** One event of a journal trace. Times are the injected clock's milliseconds. */
export type JournalEvent<Op> =
  | { readonly kind: 'pushed'; readonly op: Op; readonly at: number }
  | { readonly kind: 'flushCalled'; readonly at: number }
  /** The ring was full: a push had to force a batch. */
  | { readonly kind: 'ringFull'; readonly at: number }
  | { readonly kind: 'perform'; readonly batch: readonly Op[]; readonly at: number; readonly ok: boolean }
  | { readonly kind: 'restarted'; readonly at: number };

/** The timing parameters the journal ran with. */
export interface JournalTiming {
  readonly flushIntervalMs: number;
  readonly retryIntervalMs: number;
}

/** Checks a trace against the rules above; returns the violations in words (empty: it conforms). */
export function checkJournalTrace<Op>(events: readonly JournalEvent<Op>[], timing: JournalTiming, same: (a: Op, b: Op) => boolean): string[] {
  const pushed: Op[] = [];
  const pushTimes: number[] = [];
  const problems: string[] = [];
  let performed = 0;
  /** Time of the first push not yet in a successful batch since the last batch; undefined when none. */
  let firstPending: number | undefined;
  let flushRequested = false;
  let failedAt: number | undefined;
  /** When a push found the ring full, until the next batch. */
  let fullAt: number | undefined;
  /** When `flush` was called with ops not yet performed, until the next batch. */
  let flushAt: number | undefined;
  for (const [i, e] of events.entries()) {
    const where = `event ${i + 1} (${e.kind} at ${e.at} ms)`;
    switch (e.kind) {
      case 'pushed':
        pushed.push(e.op);
        pushTimes.push(e.at);
        firstPending ??= e.at;
        break;
      case 'flushCalled':
        flushRequested = true;
        if (pushed.length > performed) flushAt ??= e.at;
        break;
      case 'ringFull':
        flushRequested = true;
        fullAt ??= e.at;
        break;
      case 'restarted':
        // A restart replays what is in the ring at once.
        flushRequested = true;
        flushAt = undefined;
        break;
      case 'perform': {
        if (e.batch.length === 0) problems.push(`${where}: perform was called with an empty batch`);
        if (fullAt !== undefined && e.at > fullAt) problems.push(`${where}: the ring was full at ${fullAt} ms, yet the batch came ${e.at - fullAt} ms later: a full ring must force it at once`);
        fullAt = undefined;
        if (flushAt !== undefined && e.at > flushAt) problems.push(`${where}: flush was called at ${flushAt} ms with ops waiting, yet the batch came ${e.at - flushAt} ms later: a flush makes it due at once`);
        flushAt = undefined;
        const expected = pushed.slice(performed, performed + e.batch.length);
        if (expected.length !== e.batch.length || !e.batch.every((op, k) => same(op, expected[k] as Op))) {
          problems.push(`${where}: the batch is not the next ${e.batch.length} pushed op(s) after the ${performed} already performed`);
        }
        if (failedAt !== undefined && e.at < failedAt + timing.retryIntervalMs && !flushRequested) {
          problems.push(`${where}: a failed batch was retried ${e.at - failedAt} ms after the failure, before the retry interval of ${timing.retryIntervalMs} ms`);
        } else if (failedAt === undefined && !flushRequested && firstPending !== undefined && e.at < firstPending + timing.flushIntervalMs) {
          problems.push(`${where}: performed ${e.at - firstPending} ms after the first pending push, before the flush interval of ${timing.flushIntervalMs} ms`);
        }
        if (e.ok) {
          performed += e.batch.length;
          failedAt = undefined;
          // Ops pushed while the batch ran start the next flush interval.
          firstPending = pushTimes[performed];
        } else {
          failedAt = e.at;
        }
        flushRequested = false;
        break;
      }
    }
  }
  return problems;
}

/** Liveness: every pushed op of the trace was performed by a successful batch. */
export function checkJournalDrained<Op>(events: readonly JournalEvent<Op>[]): string[] {
  let pushed = 0;
  let performed = 0;
  for (const e of events) {
    if (e.kind === 'pushed') pushed++;
    if (e.kind === 'perform' && e.ok) performed += e.batch.length;
  }
  return performed >= pushed ? [] : [`${pushed - performed} of ${pushed} pushed op(s) were never performed, although perform succeeds again and time has passed`];
}
