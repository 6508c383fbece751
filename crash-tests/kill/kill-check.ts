/**
 * The real-OS cross-check of the `process-crash` profile: a child process runs a workload on a
 * real temporary directory and is killed with SIGKILL at a seeded moment; the directory it leaves
 * is then checked with exactly the guarantees the simulated crashes are checked with. If a real
 * kill ever leaves a state the simulation calls impossible, the simulation is wrong.
 *
 * The seed fixes the workload and the delay before the kill; where exactly the kill lands is up to
 * the operating system, so a round is reproducible in its inputs, not to the instruction. A
 * failure therefore prints the whole directory it found.
 */
import { spawn } from 'node:child_process';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../impl/io/clock.ts';
import { makeTempDir, nodeVfs } from '../../impl/io/node-vfs.ts';
import type { MultispoolQuirks } from '../../impl/multispool/quirks.ts';
import { renderImage } from '../../sim/crash/disk-image.ts';
import { imageFromVfs } from '../../sim/crash/image-from-vfs.ts';
import { checkCrashState, type Violation } from '../multispool/guarantees.ts';
import { createWorkloadSpool, type OpRecord } from '../multispool/workload.ts';
import type { WorkerConfig } from './worker.ts';

/** One kill round's inputs. */
export interface KillRound {
  readonly seed: number;
  /** Operations the worker would run if never killed. */
  readonly ops: number;
  /** Milliseconds between the worker's `ready` and the SIGKILL. */
  readonly delayMs: number;
  /** Quirks of the buggy variant under test (none for the real implementation). */
  readonly quirks: MultispoolQuirks;
}

/** What a kill round found. */
export interface KillOutcome {
  /** Operations that had returned before the kill. */
  readonly acked: number;
  /** The operation in flight when the kill landed (none if it landed between operations or after the end). */
  readonly inFlight?: OpRecord;
  /** True when the worker finished before the kill. */
  readonly finished: boolean;
  readonly violations: readonly Violation[];
  /** The spool directory after the kill, as lines. */
  readonly tree: readonly string[];
}

/** How a child runs the worker: the compiled file (built package), or the bundled source fed on stdin. */
type WorkerProgram = { readonly file: string } | { readonly source: string };

let bundled: Promise<WorkerProgram> | undefined;

/**
 * Bundles the worker once per process in memory (esbuild), so each child starts in tens of
 * milliseconds instead of the ~0.4 s a TypeScript loader needs; the child reads it from its
 * standard input, so nothing is written to disk. In the built package the compiled worker.js is
 * used directly.
 */
export function workerBundle(): Promise<WorkerProgram> {
  bundled ??= (async (): Promise<WorkerProgram> => {
    const here = nodePath.dirname(fileURLToPath(import.meta.url));
    // The built package (dist/) runs the compiled worker as it is: it is JavaScript already.
    if (import.meta.url.endsWith('.js')) return { file: nodePath.join(here, 'worker.js') };
    const esbuild = await import('esbuild');
    const built = await esbuild.build({ entryPoints: [nodePath.join(here, 'worker.ts')], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'error' });
    return { source: built.outputFiles[0]?.text ?? '' };
  })();
  return bundled;
}

/** Runs one kill round and checks what it left. */
export async function killRound(round: KillRound): Promise<KillOutcome> {
  const worker = await workerBundle();
  const tmp = await makeTempDir('spoolcheck-kill-');
  try {
    const vfs = nodeVfs(tmp.path);
    await createWorkloadSpool(vfs, systemClock);
    const config: WorkerConfig = { root: tmp.path, seed: round.seed, ops: round.ops, quirks: round.quirks };
    const lines = await runAndKill(worker, config, round.delayMs);
    let acked = 0;
    let inFlight: OpRecord | undefined;
    let finished = false;
    const records: OpRecord[] = [];
    for (const line of lines) {
      if (line.t === 'begin') inFlight = line.plan as OpRecord;
      else if (line.t === 'done' && inFlight !== undefined) {
        records.push(inFlight);
        inFlight = undefined;
        acked++;
      } else if (line.t === 'finished') finished = true;
      else if (line.t === 'error') throw new Error(`the worker failed before the kill: ${String(line.message)}`);
    }
    const image = await imageFromVfs(vfs);
    const violations = await checkCrashState(image, inFlight === undefined ? records : [...records, inFlight], acked, round.quirks);
    return { acked, finished, violations, tree: renderImage(image, false), ...(inFlight === undefined ? {} : { inFlight }) };
  } finally {
    await tmp.cleanup();
  }
}

/**
 * The worker's environment: ours without NODE_EXTRA_CA_CERTS. The worker opens no connection,
 * and Node parses those certificates at every start, before any code runs: with a corporate
 * bundle that is most of a child's start-up (measured here: 110 ms of CPU with it, 30 ms without),
 * and the kill suite starts two hundred children.
 */
function workerEnv(): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _unused, ...env } = process.env;
  return env;
}

/** Spawns the worker, SIGKILLs it `delayMs` after it is ready, and returns every complete stdout line. */
function runAndKill(worker: WorkerProgram, config: WorkerConfig, delayMs: number): Promise<Array<{ t: string; [k: string]: unknown }>> {
  return new Promise((resolve, reject) => {
    const args = 'file' in worker ? [worker.file, JSON.stringify(config)] : ['--input-type=module', '-', JSON.stringify(config)];
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: workerEnv() });
    if ('source' in worker) child.stdin.end(worker.source);
    else child.stdin.end();
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!armed && out.includes('"t":"ready"')) {
        armed = true;
        void systemClock.sleep(delayMs).then(() => child.kill('SIGKILL'));
      }
    });
    child.stderr.on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (!armed) {
        reject(new Error(`the worker exited (${signal ?? code}) before it was ready: ${err.trim()}`));
        return;
      }
      const complete = out.slice(0, out.lastIndexOf('\n') + 1);
      resolve(complete.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { t: string }));
    });
  });
}
