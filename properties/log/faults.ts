/**
 * `log/faults`: an append log keeps its records through a failed write. The log is opened, none or
 * up to a dozen short records are appended, then two to five generated ones, and during one of those the disk fills up (the write that
 * crosses lands in part: a short write) or one write or fsync fails with EIO; then the disk has
 * room again and the remaining appends run. No crash: the log is then opened again as a new
 * process, which must succeed and give back appended records only, whole, once each, in order
 * (`model/log/append-log.ts`), with every record whose append resolved, for a log that promises
 * `kill-safe` or `durable` (a failed append may be back or not; the appends after it must not be
 * lost for it).
 */
import fc from 'fast-check';
import { judgeRecords } from '../../model/log/append-log.ts';
import { describePlan } from '../../sim/fault-vfs.ts';
import type { AppendLogAdapter } from '../../targets/append-log-adapter.ts';
import { faultChoiceArb, planOf, type FaultChoice } from '../fault-choice.ts';
import { ROUTING_HINT } from '../routed-code.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { appendIn, inProcess, loadLog, LOG_DIR, logWorld, recordLengthArb, recordOf, recover, recoveredLines } from './log-world.ts';

/** Runs the appends with `choice` during append number `faulted` (0-based), reopens, throws if the contract breaks. */
export async function assertLogUnderFault(adapter: AppendLogAdapter, lengths: readonly number[], faulted: number, choice: FaultChoice): Promise<void> {
  const records = lengths.map((l, i) => recordOf(i + 1, l));
  const plan = planOf(choice, (records[faulted] as string).length);
  const { disk, fs } = await logWorld(plan);
  const opener = await loadLog(adapter);
  const opened = await inProcess(fs, () => opener.open(LOG_DIR));
  if (!opened.ok) throw new Error(`opening a new log in an empty directory failed on a disk without faults: ${opened.error} (${ROUTING_HINT})`);
  const log = opened.value;
  const lines = [`open ${LOG_DIR} → resolved`];
  const resolved: number[] = [];
  for (const [i, record] of records.entries()) {
    if (i === faulted && 'arm' in disk) disk.arm();
    const { outcome, line } = await appendIn(fs, log, record);
    if (i === faulted && 'disarm' in disk) disk.disarm();
    lines.push(i === faulted ? `${line}   <- under ${describePlan(plan)}` : line);
    if (outcome.ok) resolved.push(i);
  }
  await inProcess(fs, () => log.close());
  const injected = 'injected' in disk ? disk.injected() : [];
  const keeps = adapter.promises.some((p) => p === 'kill-safe' || p === 'durable');
  const back = await recover(opener, disk);
  const violations = back.ok ? judgeRecords({ records, mustSurvive: keeps ? resolved : [] }, back.value) : [`opening the log again fails, so nothing is recovered: ${back.error}`];
  if (violations.length === 0) return;
  throw new Error(
    [
      `under ${describePlan(plan)} during append #${faulted + 1}, the append log breaks`,
      'operations:',
      ...lines.map((l, i) => `  ${i + 1}. ${l}`),
      `faults injected: ${injected.length === 0 ? 'none' : injected.join('; ')}`,
      'the disk then had room again; opening the log again (a new process) gave back:',
      ...recoveredLines(back).map((l) => `  ${l}`),
      'violated:',
      ...violations.map((v) => `  ${v}`),
    ].join('\n'),
  );
}

/** Records appended before the generated ones, at most, and their length: a log that tolerates some damage in a bigger file (a share of it) must still not lose a record for it. */
const PREFILL_MAX = 12;
const PREFILL_LENGTH = 16;

export const logFaults: PropertyDef = {
  suite: 'log',
  name: 'faults',
  requires: ['append-log'],
  description: 'up to a dozen short appends, then two to five, one of them while the disk fills up (a short write) or under EIO on a write or fsync, then room again: opening the log again succeeds and gives back appended records, whole, once, in order, with every acknowledged one (for a kill-safe log)',
  defaultRuns: 100,
  testRuns: 15,
  build: (ctx) =>
    fc.asyncProperty(
      fc.array(recordLengthArb, { minLength: 2, maxLength: 5 }).chain((lengths) => fc.tuple(fc.constant(lengths), fc.nat({ max: lengths.length - 1 }))),
      fc.oneof(fc.constant(0), fc.integer({ min: 1, max: PREFILL_MAX })),
      faultChoiceArb(2),
      async ([lengths, faulted], prefill, choice) => assertLogUnderFault(adapterOf(ctx, 'appendLog'), [...Array<number>(prefill).fill(PREFILL_LENGTH), ...lengths], prefill + faulted, choice),
    ) as unknown as fc.IAsyncProperty<never>,
};
