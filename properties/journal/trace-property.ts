/**
 * The journal side by side with its specification: random pushes (of sizes that fill the ring),
 * time passing, flush calls, perform outcomes chosen by the test (ok, an error result, a throw)
 * and clean restarts, under a manual clock; the recorded trace must satisfy model/journal, and
 * once perform succeeds again and time passes, every pushed op must be performed. Every push's
 * `sync` is waited on: it must resolve once its op is performed (never before: a perform that
 * succeeded must have had it), be rejected only by a shutdown, and a shutdown must settle the
 * syncs of its journal (resolved or rejected, never left waiting).
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { memoryBlockDevice } from '../../impl/io/memory-block-device.ts';
import { Journal, type PerformResult, type Waiter } from '../../impl/journal/index.ts';
import { checkJournalDrained, checkJournalTrace, type JournalEvent } from '../../model/journal/index.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { settleJournal, settlesWithin } from './settle.ts';
import { mustOk } from '../ring/must-ok.ts';

const FLUSH_MS = 1_000;
const RETRY_MS = 5_000;

/** A command of the journal property. */
export type JournalCommand =
  | { readonly cmd: 'push'; readonly size: number }
  | { readonly cmd: 'tick'; readonly ms: number }
  | { readonly cmd: 'flush' }
  | { readonly cmd: 'outcome'; readonly next: 'ok' | 'error' | 'throw' }
  | { readonly cmd: 'restart' };

const commandArb: fc.Arbitrary<JournalCommand> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ cmd: fc.constant('push' as const), size: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 300, max: 700 })) }) },
  { weight: 4, arbitrary: fc.record({ cmd: fc.constant('tick' as const), ms: fc.oneof(fc.integer({ min: 0, max: 1_200 }), fc.constant(RETRY_MS)) }) },
  { weight: 1, arbitrary: fc.record({ cmd: fc.constant('flush' as const) }) },
  { weight: 2, arbitrary: fc.record({ cmd: fc.constant('outcome' as const), next: fc.constantFrom('ok' as const, 'error' as const, 'throw' as const) }) },
  { weight: 1, arbitrary: fc.record({ cmd: fc.constant('restart' as const) }) },
);

const codec = { encode: (s: string) => new TextEncoder().encode(s), decode: (b: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(b) };

/** Runs the commands and returns the violations (empty: the journal conforms). */
export async function runJournalTrace(commands: readonly JournalCommand[], ctx: RunContext): Promise<string[]> {
  const clock = manualClock(0);
  const device = memoryBlockDevice({ sectorSize: 512, sectorCount: 6 });
  const events: JournalEvent<string>[] = [];
  const outcomes: Array<'ok' | 'error' | 'throw'> = [];
  let always = false;
  /** Ops some successful perform has had: a sync may resolve only once its op is among them. */
  const performedOk = new Set<string>();
  /** The generation of the journal being shut down (a sync may be rejected only then). */
  let closing = -1;
  const start = async (): Promise<Journal<string>> => {
    events.push({ kind: 'restarted', at: clock.now() });
    return mustOk(
      'journal start',
      await Journal.start(device, {
        codec,
        clock,
        flushIntervalMs: FLUSH_MS,
        retryIntervalMs: RETRY_MS,
        quirks: builtinOf(ctx).journal,
        onRingFull: () => events.push({ kind: 'ringFull', at: clock.now() }),
        perform: async (batch): Promise<PerformResult> => {
          const next = always ? 'ok' : (outcomes.shift() ?? 'ok');
          events.push({ kind: 'perform', batch: [...batch], at: clock.now(), ok: next === 'ok' });
          if (next === 'ok') for (const op of batch) performedOk.add(op);
          if (next === 'throw') throw new Error('perform threw');
          return next === 'ok' ? { kind: 'ok' } : { kind: 'error', message: 'perform failed' };
        },
      }),
    );
  };
  let journal = await start();
  /** Each pushed op's sync: which journal (counted from 0) it came from, and how it ended so far. */
  const syncs: { readonly op: string; readonly journal: number; state: 'waiting' | 'resolved' | 'rejected' }[] = [];
  let generation = 0;
  const violations: string[] = [];
  const label = (op: string): string => `op ${op.slice(0, op.indexOf(':'))}`;
  let lastWaiter: Waiter | undefined;
  let pending: Promise<void> | undefined;
  let n = 0;
  for (const c of commands) {
    switch (c.cmd) {
      case 'push': {
        if (pending !== undefined) break;
        const op = `${n++}:${'x'.repeat(c.size)}`;
        const j = journal;
        pending = j.push(op).then((r) => {
          if (r.kind === 'ok') {
            events.push({ kind: 'pushed', op, at: clock.now() });
            lastWaiter = r.value;
            const sync: (typeof syncs)[number] = { op, journal: generation, state: 'waiting' };
            syncs.push(sync);
            r.value.sync().then(
              () => {
                sync.state = 'resolved';
                if (!performedOk.has(op)) violations.push(`the sync of ${label(op)} resolved before ${label(op)} was performed`);
              },
              () => {
                sync.state = 'rejected';
                if (closing !== sync.journal) violations.push(`the sync of ${label(op)} was rejected while its journal was running`);
              },
            );
          }
          pending = undefined;
        });
        break;
      }
      case 'tick':
        clock.advance(c.ms);
        break;
      case 'flush':
        if (lastWaiter !== undefined) {
          events.push({ kind: 'flushCalled', at: clock.now() });
          lastWaiter.flush();
        }
        break;
      case 'outcome':
        outcomes.push(c.next);
        break;
      case 'restart':
        closing = generation;
        // A shutdown, or a push it interrupts, that never settles is a hang: reported, not waited for.
        if (!(await settlesWithin(journal.shutdown()))) return [...violations, 'the shutdown never returned'];
        if (pending !== undefined && !(await settlesWithin(pending))) return [...violations, 'a push waiting when the journal shut down never returned'];
        await settleJournal();
        for (const s of syncs) if (s.journal === generation && s.state === 'waiting') violations.push(`the sync of ${label(s.op)} is still waiting after its journal shut down`);
        lastWaiter = undefined;
        generation++;
        journal = await start();
        break;
    }
    await settleJournal();
  }
  // Drain: perform succeeds from now on; let time pass.
  always = true;
  for (let i = 0; i < 4; i++) {
    clock.advance(RETRY_MS + FLUSH_MS);
    await settleJournal();
  }
  if (pending !== undefined && !(await settlesWithin(pending))) violations.push('a push never returned, although perform succeeds again and time has passed');
  for (const s of syncs) if (s.journal === generation && s.state === 'waiting') violations.push(`the sync of ${label(s.op)} never resolved, although perform succeeds again and time has passed`);
  closing = generation;
  if (!(await settlesWithin(journal.shutdown()))) violations.push('the shutdown never returned');
  return [...violations, ...checkJournalTrace(events, { flushIntervalMs: FLUSH_MS, retryIntervalMs: RETRY_MS }, (a, b) => a === b), ...checkJournalDrained(events)];
}

/** The journal property. */
export const journalTrace: PropertyDef = {
  suite: 'journal',
  requires: ['builtin'],
  name: 'trace-conforms',
  description: 'pushes, time, flushes, failing performs and restarts: batches are in order, exactly once, on time, and everything is performed in the end',
  defaultRuns: 300,
  testRuns: 40,
  build: (ctx) =>
    fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 30 }), async (commands) => {
      const violations = await runJournalTrace(commands, ctx);
      if (violations.length > 0) throw new Error(`the journal breaks its specification:\n  ${violations.join('\n  ')}`);
    }) as unknown as fc.IAsyncProperty<never>,
};

