/**
 * Crash-checks one message spool workload under one persistence profile: run it on the
 * crash-simulating Vfs, explore every crash state of its history, let a new process recover each
 * and check the guarantees (guarantees.ts). The first violation comes back as a report a person
 * can act on: the workload and what each operation did, the profile, the crash point (which
 * micro-step of which call), what had returned before it, what the crash lost, the disk before
 * and after, what the new process did, and which guarantee broke for which message.
 */
import type { MessageSpoolQuirks } from '../../impl/message-spool/index.ts';
import { applyStep, cloneImage, type DiskImage } from '../../sim/crash/disk-image.ts';
import { exploreCrashStates, type CrashState, type ExploreOptions, type ExploreStats } from '../../sim/crash/explore.ts';
import type { History } from '../../sim/crash/history.ts';
import type { Expansion, PersistenceProfile } from '../../sim/crash/profiles.ts';
import { readSpoolImage, renderSpool } from './disk.ts';
import { StateMemo } from '../../sim/crash/state-memo.ts';
import { checkRecovery, judgeRecovery, recoverImage, type CrashContext, type RecoveryFacts, type Violation } from './guarantees.ts';
import { describeOps, MESSAGE_SPOOL_DIR, parseMark, runMessageWorkload, WORKLOAD_START_MS, type MessageOp, type MessageWorkloadRun, type OpRecord } from './workload.ts';

/** A crash state that breaks a guarantee. */
export interface MessageCrashFailure {
  readonly workload: readonly MessageOp[];
  readonly performed: readonly OpRecord[];
  readonly profile: string;
  readonly state: CrashState;
  readonly context: CrashContext;
  /** The spool as the running process saw it at the crash point, and as the crash left it. */
  readonly before: readonly string[];
  readonly after: readonly string[];
  /** The spool once the new process's startup went quiet, and what it did. */
  readonly afterStartup: readonly string[];
  readonly recovery: readonly string[];
  readonly violations: readonly Violation[];
}

/** The result of crash-checking one workload. */
export interface MessageCrashCheckResult {
  readonly stats: ExploreStats;
  /**
   * States recovered and checked: the explorer's distinct states, minus those that differ from an
   * earlier one only in bytes no reader ever looks at (staged `.tmp` files, the data of a message
   * not yet published); up to the first failure.
   */
  readonly checked: number;
  /** Crash states (checked) in which a message the sender had delivered is sent again. */
  readonly redeliveries: number;
  readonly failure?: MessageCrashFailure;
}

/** What the workload had seen at crash point `position`: operations returned, `done`s said. */
export function crashContextAt(expansion: Expansion, position: number): CrashContext {
  let acked = 0;
  const done = new Set<string>();
  for (const m of expansion.marks) {
    if (m.position > position) continue;
    const mark = parseMark(m.label);
    if (mark.kind === 'op') acked++;
    else if (mark.kind === 'done') done.add(mark.id);
  }
  return { acked, doneBeforeCrash: done };
}

/** The image the running system saw at crash point `k`: every step before it applied. */
function liveImageAt(history: History, expansion: Expansion, k: number): DiskImage {
  const image = cloneImage(history.baseline);
  for (const micro of expansion.steps.slice(0, k)) applyStep(image, micro.step, history.kinds);
  return image;
}

/**
 * A key equal for two disks exactly when a new process's recovery sees no difference: every file
 * and its bytes, except the bytes of staged metadata (startup never reads `.tmp`; a save rewrites
 * it from scratch) and of data files whose message is in no queue (nothing reads them). With the
 * crash context before it, equal keys mean equal checks.
 */
function spoolKey(image: DiskImage): string {
  const lines: string[] = [];
  for (const m of readSpoolImage(image, MESSAGE_SPOOL_DIR).values()) {
    lines.push(
      `${m.id} r=${m.registered} t=${m.staged} d=${m.body === undefined ? '-' : m.files.length === 0 ? 'unpublished' : JSON.stringify(m.body)} ` +
        m.files.map((f) => `${f.place}:${f.record === undefined ? `?${f.problem ?? ''}` : JSON.stringify(f.record)}`).join(' '),
    );
  }
  return lines.join('\n');
}

/**
 * What new processes made of crash-state disks (`recoverImage`), shared by every workload and
 * profile checked with one memo: a disk met again at the same time (workloads sharing a prefix
 * leave the same disks) is judged from the first recovery of it. Keys include the quirks.
 */
export interface RecoveryMemo {
  readonly recoveries: StateMemo<RecoveryFacts>;
  /** {@link spoolKey} by the explorer's image key. */
  readonly spoolKeys: StateMemo<string>;
}

/** A new, empty {@link RecoveryMemo}. */
export function recoveryMemo(): RecoveryMemo {
  return { recoveries: new StateMemo<RecoveryFacts>(), spoolKeys: new StateMemo<string>() };
}

/** Runs `ops`, explores its crash states under `profile`, checks each; stops at the first failure. */
export async function crashCheckMessageWorkload(
  ops: readonly MessageOp[],
  profile: PersistenceProfile,
  quirks: MessageSpoolQuirks,
  explore: ExploreOptions,
  memo: RecoveryMemo = recoveryMemo(),
): Promise<MessageCrashCheckResult> {
  const run = await runMessageWorkload(ops, quirks);
  return crashCheckRun(run, profile, quirks, explore, memo);
}

/** {@link crashCheckMessageWorkload} on a run already made. */
export async function crashCheckRun(
  run: MessageWorkloadRun,
  profile: PersistenceProfile,
  quirks: MessageSpoolQuirks,
  explore: ExploreOptions,
  memo: RecoveryMemo = recoveryMemo(),
): Promise<MessageCrashCheckResult> {
  const history = run.history;
  const expansion = profile.expand(history);
  // The guarantees never look at modification times (the lock files predate the recording, and
  // the Monitor judges long after every age limit), so mtime-only steps are not enumerated.
  const { states, stats } = exploreCrashStates(history, profile, { ...explore, enumerateMtimes: false });
  const seen = new Set<string>();
  const namespace = JSON.stringify(quirks);
  let checked = 0;
  let redeliveries = 0;
  for (const state of states) {
    const context = crashContextAt(expansion, state.point.position);
    const disk = state.imageKey === undefined ? spoolKey(state.image) : memo.spoolKeys.getSync(state.imageKey, () => spoolKey(state.image));
    const key = `${context.acked} ${[...context.doneBeforeCrash].sort().join(',')}\n${disk}`;
    if (seen.has(key)) continue;
    seen.add(key);
    checked++;
    const facts = await memo.recoveries.get(`${namespace}\n${run.endMs}\n${disk}`, () => recoverImage(state.image, run.endMs, quirks));
    let outcome = judgeRecovery(facts, run, context);
    if (outcome.redelivered.length > 0) redeliveries++;
    if (outcome.violations.length > 0) {
      // The report shows this very state's recovery, not that of an earlier disk it equals.
      const exact = await checkRecovery(state.image, run, context, quirks);
      if (exact.violations.length > 0) outcome = exact;
      return {
        stats,
        checked,
        redeliveries,
        failure: {
          workload: run.ops,
          performed: run.performed,
          profile: profile.name,
          state,
          context,
          before: renderSpool(liveImageAt(history, expansion, state.point.position), MESSAGE_SPOOL_DIR, WORKLOAD_START_MS),
          after: renderSpool(state.image, MESSAGE_SPOOL_DIR, WORKLOAD_START_MS),
          afterStartup: outcome.afterStartup === undefined ? [] : renderSpool(outcome.afterStartup, MESSAGE_SPOOL_DIR, WORKLOAD_START_MS),
          recovery: outcome.recovery,
          violations: outcome.violations,
        },
      };
    }
  }
  return { stats, checked, redeliveries };
}

/** A failure in words: everything needed to understand it without rerunning. */
export function describeMessageCrashFailure(f: MessageCrashFailure): string {
  const lost = f.state.lost.map((m) => `  - call #${m.call} \`${m.callLabel}\`, micro-step ${m.part}/${m.parts} (${m.step.kind})`);
  const diff = (a: readonly string[], b: readonly string[]): string[] => a.filter((l) => !b.includes(l));
  const indent = (lines: readonly string[]): string[] => (lines.length === 0 ? ['  (empty)'] : lines.map((l) => `  ${l}`));
  const done = [...f.context.doneBeforeCrash];
  return [
    `workload: ${describeOps(f.workload)}`,
    ...f.performed.map((p, i) => `  ${i + 1}. ${p.did}${i < f.context.acked ? '' : i === f.context.acked ? '   <- in flight at the crash' : '   (never started)'}`),
    `profile: ${f.profile}`,
    `crash point: ${f.state.point.description} (${f.context.acked} operation(s) had returned${done.length === 0 ? '' : `; the sender had said done for ${done.join(', ')}`})`,
    `lost in the crash (${lost.length} micro-step(s)):`,
    ...(lost.length === 0 ? ['  (nothing)'] : lost),
    'spool before the crash (as the running process saw it):',
    ...indent(f.before),
    'spool after the crash:',
    ...indent(f.after),
    `gone in the crash: ${diff(f.before, f.after).join('; ') || '(nothing)'}`,
    `back after the crash: ${diff(f.after, f.before).join('; ') || '(nothing)'}`,
    'recovery:',
    ...indent(f.recovery),
    'spool after the new process started:',
    ...indent(f.afterStartup),
    'violated:',
    ...f.violations.map((v) => `  ${v.guarantee}${v.id === undefined ? '' : ` (${v.id})`}: ${v.message}`),
  ].join('\n');
}
