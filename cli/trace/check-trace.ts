/**
 * Exploring a recorded trace (`spoolcheck trace`): the trace is replayed on the crash-simulating
 * Vfs (`sim/trace/replay.ts`), every crash state each profile allows is derived (the explorer of
 * the crash suites: exhaustive up to a bound per crash point, then sampled from the seed), and
 * each distinct state is written to a fresh real directory on which the user's checker runs:
 *
 *   sh -c CHECKER   with   SPOOLCHECK_DIR      the directory holding the crash state
 *                          SPOOLCHECK_OUTPUT   a file with the program's standard output up to the
 *                                              crash point (what it had acknowledged)
 *                          SPOOLCHECK_PROFILE  the profile's name
 *
 * Exit status 0 means the state is consistent; anything else (or no exit within the time limit)
 * is a counterexample, reported with the crash point in the program's own call, what the profile
 * dropped, the disk, what the checker printed and what the program relied on.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listTree, renderImage, type DiskImage } from '../../sim/crash/disk-image.ts';
import { describeLost, exploreCrashStates, type CrashState } from '../../sim/crash/explore.ts';
import { seededRandom } from '../../sim/crash/prng.ts';
import type { Expansion, PersistenceProfile } from '../../sim/crash/profiles.ts';
import { relianceOf } from '../../sim/crash/reliance.ts';
import { parseStrace, renderCall } from '../../sim/trace/strace-parse.ts';
import { OUTSIDE_DIR, replayTrace, type ReplayedTrace } from '../../sim/trace/replay.ts';
import { baselineImage, type SavedTrace } from './record.ts';

/** How to explore. */
export interface TraceCheckOptions {
  readonly profiles: readonly PersistenceProfile[];
  /** Distinct crash states checked per profile at most (the rest are counted, not checked). */
  readonly maxStates: number;
  readonly seed: number;
  readonly checker: string;
  /** Counterexamples reported in full per profile (the others are counted). */
  readonly maxReports?: number;
  /** Time limit of one checker run, in ms. */
  readonly checkerTimeoutMs?: number;
  /** Checker runs at a time (default 1); the verdict does not depend on it. */
  readonly jobs?: number;
  /** Stop checking a profile at its first rejected state, trying the last crash points first (`--fail-fast`): a quicker "fails". */
  readonly failFast?: boolean;
  /** Told after every checked state (for progress lines). */
  readonly onProgress?: (profile: string, checked: number, total: number) => void;
}

/** The verdict under one profile. */
export interface ProfileVerdict {
  readonly profile: string;
  /** Distinct crash states the profile allows (up to the explorer's bounds). */
  readonly states: number;
  readonly checked: number;
  readonly inconsistent: number;
  /** The first counterexamples, each a report. */
  readonly reports: readonly string[];
}

/** What checking a trace found. */
export interface TraceVerdict {
  readonly replay: { readonly calls: number; readonly outputs: number; readonly unsupported: readonly string[] };
  readonly profiles: readonly ProfileVerdict[];
}

/** Crash states enumerated exhaustively per crash point before sampling, and samples beyond. */
const MAX_SUBSETS = 64;
const SAMPLES = 16;

/** True for what replay staged outside the program's directory (never shown to the checker). */
function hidden(path: string): boolean {
  return path === OUTSIDE_DIR || path.startsWith(`${OUTSIDE_DIR}/`);
}

/** Writes `image` into the (empty) real directory `dir` (without what replay staged). */
async function materialise(image: DiskImage, dir: string): Promise<void> {
  for (const entry of listTree(image)) {
    if (hidden(entry.path)) continue;
    const path = join(dir, entry.path);
    if (entry.kind === 'dir') await mkdir(path);
    else await writeFile(path, entry.data ?? new Uint8Array(0));
  }
}

/** Runs the checker on one materialised state: its exit code (null on a timeout) and what it printed. */
function runChecker(checker: string, env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; printed: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', checker], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    const take = (b: Buffer): void => {
      if (printed.length < 4096) printed += b.toString('utf8');
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal === 'SIGKILL' ? null : code, printed });
    });
  });
}

/** The report of one inconsistent state. */
function report(trace: ReplayedTrace, profile: PersistenceProfile, expansion: Expansion, state: CrashState, output: string, checker: { code: number | null; printed: string }): string {
  const steps = expansion.steps;
  const reliance = relianceOf(expansion, state);
  const prev = state.point.position > 0 ? steps[state.point.position - 1] : undefined;
  const source = prev === undefined ? undefined : trace.sources.get(prev.call);
  return [
    `a crash leaves a state the checker rejects`,
    `profile: ${profile.name}`,
    `crash point: ${state.point.description}`,
    ...(source === undefined ? [] : [`  the program's call (strace line ${source.line}, process ${source.pid}): ${renderCall(source)}`]),
    `output before the crash (what the program had acknowledged): ${output === '' ? '(nothing)' : JSON.stringify(output.length > 300 ? `${output.slice(0, 297)}...` : output)}`,
    `lost in the crash (${state.lost.length} micro-step(s)):`,
    ...describeLost(state.lost),
    'disk after the crash:',
    ...renderImage(state.image, false)
      .filter((l) => !hidden(l.split(' ')[0] as string))
      .map((l) => `  ${l}`),
    `the checker ${checker.code === null ? 'did not finish in time' : `exited with ${checker.code}`}${checker.printed.trim() === '' ? '' : ', saying:'}`,
    ...checker.printed
      .trimEnd()
      .split('\n')
      .filter((l) => l !== '')
      .slice(0, 20)
      .map((l) => `  ${l}`),
    'what the program relied on:',
    ...(reliance.length === 0 ? ['  (nothing the profile dropped: the state is one the program can always meet)'] : reliance.map((r) => `  ${r}`)),
  ].join('\n');
}

/** Replays `saved` and checks every crash state of every profile with the checker. */
export async function checkTrace(saved: SavedTrace, options: TraceCheckOptions): Promise<TraceVerdict> {
  const trace = replayTrace(parseStrace(saved.strace), saved, baselineImage(saved));
  const history = trace.crash.history();
  const base = await mkdtemp(join(tmpdir(), 'spoolcheck-states-'));
  const verdicts: ProfileVerdict[] = [];
  try {
    for (const profile of options.profiles) {
      const { states } = exploreCrashStates(history, profile, { maxSubsetsPerPoint: MAX_SUBSETS, samplesPerPoint: SAMPLES, random: seededRandom(options.seed), enumerateMtimes: false });
      const expansion = profile.expand(history);
      // With --fail-fast the states are tried from the last crash point back: there the program
      // has said the most, so a lost step most likely breaks what it said (the states checked are
      // the same as without it when it finds nothing, up to --max-states).
      const order = options.failFast === true ? [...states.slice(0, options.maxStates)].reverse() : states.slice(0, options.maxStates);
      const results: ({ code: number | null; printed: string; output: string } | undefined)[] = [];
      // Checker runs go side by side (--jobs), each on its own directory; taken in order, so with
      // --fail-fast every state before the first rejected one is checked whatever the timing, and
      // only those count: the verdict does not depend on the number of jobs.
      let next = 0;
      let firstRejected = Infinity;
      let done = 0;
      const lane = async (job: number): Promise<void> => {
        const dir = join(base, `state-${job}`);
        const outputFile = join(base, `output-${job}`);
        while (next < order.length && next < firstRejected) {
          const i = next++;
          const state = order[i] as CrashState;
          await rm(dir, { recursive: true, force: true });
          await mkdir(dir);
          await materialise(state.image, dir);
          const output = trace.output.slice(0, state.point.marksBefore).join('');
          await writeFile(outputFile, output);
          const result = await runChecker(options.checker, { SPOOLCHECK_DIR: dir, SPOOLCHECK_OUTPUT: outputFile, SPOOLCHECK_PROFILE: profile.name }, options.checkerTimeoutMs ?? 30_000);
          results[i] = { ...result, output };
          if (result.code !== 0 && options.failFast === true) firstRejected = Math.min(firstRejected, i);
          options.onProgress?.(profile.name, ++done, order.length);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, options.jobs ?? 1) }, (_, j) => lane(j)));
      const counted = options.failFast === true && firstRejected < Infinity ? firstRejected + 1 : order.length;
      // The most telling counterexamples: those that lost the fewest micro-steps (then the first).
      const rejected = order
        .slice(0, counted)
        .map((state, i) => ({ state, i, r: results[i] }))
        .filter((x): x is { state: CrashState; i: number; r: { code: number | null; printed: string; output: string } } => x.r !== undefined && x.r.code !== 0);
      const inconsistent = rejected.length;
      const checked = counted;
      rejected.sort((a, b) => a.state.lost.length - b.state.lost.length || a.i - b.i);
      rejected.splice(options.maxReports ?? 1);
      const reports = rejected.map((x) => report(trace, profile, expansion, x.state, x.r.output, x.r));
      verdicts.push({ profile: profile.name, states: states.length, checked, inconsistent, reports });
    }
  } finally {
    await rm(base, { recursive: true, force: true });
  }
  return { replay: { calls: trace.replayed, outputs: trace.output.length, unsupported: trace.unsupported }, profiles: verdicts };
}
