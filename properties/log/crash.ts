/**
 * `log/crash-<profile>`: an append log keeps its contract across a crash at any moment. The log
 * is opened on an empty durable directory, then one to five appends of records (a few bytes to
 * more than a page under a kill, which cuts writes between pages; to a few hundred bytes where
 * writes tear in 8-byte pieces), with syncs between them for a log that has `sync`, run one after the other;
 * every crash state the profile allows at every crash point (inside the log's calls too) is
 * opened again as a new process. Opening must succeed (a torn tail does not stop recovery) and
 * give back appended records only, whole, once each, in order (`model/log/append-log.ts`); which
 * acknowledged records must be there follows from what the log promises: all of them after a
 * kill for `kill-safe`, after a power loss too for `durable`, those before the last resolved
 * `sync()` for `sync`.
 */
import fc from 'fast-check';
import { judgeRecords } from '../../model/log/append-log.ts';
import { exploreCrashStates } from '../../sim/crash/explore.ts';
import { seededRandom } from '../../sim/crash/prng.ts';
import { PROFILES, type PersistenceProfile } from '../../sim/crash/profiles.ts';
import type { AppendLogAdapter } from '../../targets/append-log-adapter.ts';
import { crashViolation } from '../crash-report.ts';
import { ROUTING_HINT } from '../routed-code.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { appendIn, inProcess, loadLog, LOG_DIR, logWorld, recordLengthArb, recordOf, tornRecordLengthArb, recoveredLines, recoverImage } from './log-world.ts';

/** One step of a crash workload: an append of a record about `length` bytes long, or a sync. */
export type LogStep = { readonly append: number } | { readonly sync: true };

/** Crash states enumerated exhaustively per crash point before sampling, and samples beyond. */
const MAX_SUBSETS = 64;
const SAMPLES = 16;

/** Which of the appends (indexes into the records that started) must survive a crash after `acked` steps had resolved. */
function mustSurvive(adapter: AppendLogAdapter, profile: PersistenceProfile, steps: readonly LogStep[], acked: number): number[] {
  const promises = adapter.promises;
  const kill = profile.name === 'process-crash';
  const all = promises.includes('durable') || (kill && promises.includes('kill-safe'));
  const out: number[] = [];
  let appendIndex = 0;
  const pending: number[] = [];
  for (const step of steps.slice(0, acked)) {
    if ('append' in step) {
      if (all) out.push(appendIndex);
      else pending.push(appendIndex);
      appendIndex++;
    } else if (promises.includes('sync')) {
      out.push(...pending.splice(0));
    }
  }
  return out;
}

/** Runs the workload, explores the crash states under `profile`, throws on the first that breaks the contract. */
export async function assertLogCrash(adapter: AppendLogAdapter, steps: readonly LogStep[], profile: PersistenceProfile, seed: number): Promise<void> {
  const { crash, fs } = await logWorld();
  const opener = await loadLog(adapter);
  const opened = await inProcess(fs, () => opener.open(LOG_DIR));
  if (!opened.ok) throw new Error(`opening a new log in an empty directory failed on a disk without faults: ${opened.error} (${ROUTING_HINT})`);
  const log = opened.value;
  crash.mark('opened');
  const lines = [`open ${LOG_DIR} → resolved`];
  const records: string[] = [];
  for (const step of steps) {
    if ('append' in step) {
      const record = recordOf(records.length + 1, step.append);
      records.push(record);
      const { outcome, line } = await appendIn(fs, log, record);
      lines.push(line);
      if (!outcome.ok) throw new Error(`an append failed on a disk without faults: ${outcome.error} (${ROUTING_HINT})`);
    } else {
      const sync = log.sync;
      if (sync === undefined) throw new Error("the log promises 'sync' but has no sync()");
      const outcome = await inProcess(fs, () => sync.call(log));
      lines.push(`sync → ${outcome.ok ? 'resolved' : `rejected: ${outcome.error}`}`);
      if (!outcome.ok) throw new Error(`a sync failed on a disk without faults: ${outcome.error} (${ROUTING_HINT})`);
    }
    crash.mark(lines.at(-1) as string);
  }
  await inProcess(fs, () => log.close());
  const { states } = exploreCrashStates(crash.history(), profile, { maxSubsetsPerPoint: MAX_SUBSETS, samplesPerPoint: SAMPLES, random: seededRandom(seed), enumerateMtimes: false });
  for (const state of states) {
    const m = state.point.marksBefore;
    // Steps that had resolved (the open is mark 0) and the records whose append had started.
    const acked = Math.max(0, m - 1);
    const started = steps.slice(0, Math.min(steps.length, acked + 1)).filter((s) => 'append' in s).length;
    const back = await recoverImage(opener, state.image);
    const violations = back.ok ? judgeRecords({ records: records.slice(0, started), mustSurvive: mustSurvive(adapter, profile, steps, acked) }, back.value) : [`opening the log again fails, so nothing is recovered: ${back.error}`];
    if (violations.length > 0) throw crashViolation('a crash breaks the append log', profile, lines, state, recoveredLines(back), violations, states, 'opening the log again gave back:');
  }
}

/** One to five steps; a sync only where the log has one. */
function stepsArb(withSync: boolean, profile: PersistenceProfile): fc.Arbitrary<LogStep[]> {
  const append = (profile.name === 'process-crash' ? recordLengthArb : tornRecordLengthArb).map((n): LogStep => ({ append: n }));
  const step = withSync ? fc.oneof({ weight: 3, arbitrary: append }, { weight: 1, arbitrary: fc.constant<LogStep>({ sync: true }) }) : append;
  return fc.array(step, { minLength: 1, maxLength: 5 });
}

function logCrash(profile: PersistenceProfile): PropertyDef {
  return {
    suite: 'log',
    name: `crash-${profile.name}`,
    requires: ['append-log'],
    description: `every crash state (${profile.name}) of an open and one to five appends (and syncs): opening again succeeds and gives back appended records, whole, once, in order, with every one the log's promises keep`,
    defaultRuns: 40,
    testRuns: 6,
    build: (ctx) => {
      const adapter = adapterOf(ctx, 'appendLog');
      return fc.asyncProperty(stepsArb(adapter.promises.includes('sync'), profile), fc.noShrink(fc.integer()), async (steps, seed) => assertLogCrash(adapter, steps, profile, seed)) as unknown as fc.IAsyncProperty<never>;
    },
  };
}

/** The crash properties of the log suite, one per persistence profile. */
export const LOG_CRASH_PROPERTIES: readonly PropertyDef[] = PROFILES.map(logCrash);
