/**
 * The child process of the kill cross-check: runs a seeded random workload on a REAL directory
 * (node:fs adapter) and reports on stdout, one JSON object per line, what it is about to do and
 * what has returned, until the parent kills it with SIGKILL.
 *
 * Lines: `{"t":"ready"}` once the spool is open; `{"t":"begin","plan":...}` before each operation
 * (the plan says which entry and metadata); `{"t":"done"}` after it returned; `{"t":"finished"}`
 * at the end; `{"t":"error","message":...}` if an operation failed (exit code 3). Writes to a pipe
 * are synchronous on Linux, so a line the parent reads was written before the next step began.
 *
 * Usage: node <bundled worker> '{"root":"/tmp/x","seed":1,"ops":25,"quirks":{}}'
 */
import { systemClock } from '../../impl/io/clock.ts';
import { nodeVfs } from '../../impl/io/node-vfs.ts';
import { Multispool } from '../../impl/multispool/multispool.ts';
import type { MultispoolQuirks } from '../../impl/multispool/quirks.ts';
import { TEST_SPOOLABLE } from '../../properties/multispool/test-spoolable.ts';
import { seededRandom } from '../../sim/crash/prng.ts';
import { counterNames, executeOp, planOp, SPOOL_DIR, WORKLOAD_OPS, type WorkloadOp } from '../multispool/workload.ts';

/** What the parent passes as the only argument (JSON). */
export interface WorkerConfig {
  readonly root: string;
  readonly seed: number;
  readonly ops: number;
  /** The buggy variant's quirks, if a variant is under test. */
  readonly quirks: MultispoolQuirks;
}

const say = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
  const random = seededRandom(config.seed);
  const ops: WorkloadOp[] = Array.from({ length: config.ops }, () => WORKLOAD_OPS[Math.floor(random() * WORKLOAD_OPS.length)] as WorkloadOp);
  const spool = await Multispool.load(nodeVfs(config.root), SPOOL_DIR, TEST_SPOOLABLE, { clock: systemClock, quirks: config.quirks });
  const names = counterNames();
  say({ t: 'ready' });
  for (const [i, op] of ops.entries()) {
    const plan = await planOp(spool, op, i, names);
    say({ t: 'begin', plan });
    await executeOp(spool, plan, names);
    say({ t: 'done' });
  }
  say({ t: 'finished' });
}

main().catch((err: unknown) => {
  say({ t: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(3);
});
