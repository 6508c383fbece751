/**
 * The worker threads of `spoolcheck run --workers N`: each slot owns one thread (started when
 * first needed) that builds the target from its name and runs the properties it is sent, one at
 * a time (`property-worker.ts`). A thread that dies, or is stopped because a property overran
 * its wall-time limit, is replaced by a fresh one for the slot's next property.
 *
 * A run gives its slots back when it ends (`releaseSlot`): their threads wait, not holding the
 * process open, for the next run in the same process with the same target, directory and
 * environment (a thread sees the environment it was started with), which then skips the thread's
 * start-up: loading spoolcheck and the target again takes seconds.
 */
import { Worker } from 'node:worker_threads';
import type { PropertyOutcome } from '../properties/suite.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-messages.ts';

/** What became of a property sent to a worker. */
export type WorkerResult =
  | { readonly kind: 'outcome'; readonly outcome: PropertyOutcome }
  /**
   * The thread was stopped: its event loop did not turn for `silentMs` (synchronous code that
   * does not end), during the search run `searchIndex` (undefined: while shrinking a failure first
   * found at search run `failedIndex`).
   */
  | { readonly kind: 'stuck'; readonly silentMs: number; readonly searchIndex: number | undefined; readonly failedIndex: number | undefined }
  /** The thread ended (or its event loop ran dry) without an outcome. */
  | { readonly kind: 'died'; readonly reason: string };

/**
 * Starts the worker thread. From the TypeScript sources (a checkout of spoolcheck, or vitest) the
 * thread first registers bin/ts-loader.js, as bin/spoolcheck.js does for the main thread; from
 * the built package it runs the compiled worker directly.
 */
function spawn(setup: WorkerSetup): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './property-worker.ts' : './property-worker.js', import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData: setup });
  const loader = new URL('../bin/ts-loader.js', import.meta.url);
  const boot = `import(${JSON.stringify(loader.href)}).then(() => import(${JSON.stringify(entry.href)}));`;
  return new Worker(boot, { eval: true, workerData: setup });
}

/** One worker thread's place in the pool. */
export class WorkerSlot {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 0;

  constructor(readonly setup: WorkerSetup) {}

  /** True when the slot's thread is started and ready for the next property. */
  get alive(): boolean {
    return this.worker !== undefined && this.ready !== undefined;
  }

  /** Runs one property in this slot's thread, stopping it if it stays silent for `stuckAfterMs`. */
  async run(job: Omit<ToWorker, 'id'>, stuckAfterMs: number, onRunStart?: (searchIndex: number | undefined) => void): Promise<WorkerResult> {
    const worker = await this.started();
    worker.ref();
    const id = this.nextId++;
    return await new Promise<WorkerResult>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (result: WorkerResult | Error): void => {
        if (timer !== undefined) clearTimeout(timer);
        // Idle, the thread does not keep the process alive.
        worker.unref();
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        worker.off('error', onError);
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      let searchIndex: number | undefined;
      let failedIndex: number | undefined;
      const watch = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        timer = setTimeout(() => {
          this.stop();
          done({ kind: 'stuck', silentMs: stuckAfterMs, searchIndex, failedIndex });
        }, stuckAfterMs);
      };
      const onMessage = (m: FromWorker): void => {
        watch();
        if (m.kind === 'run' && m.id === id) {
          // The first shrink candidate follows the failed search run.
          if (m.searchIndex === undefined && searchIndex !== undefined) failedIndex = searchIndex;
          searchIndex = m.searchIndex;
          onRunStart?.(m.searchIndex);
        } else if (m.kind === 'outcome' && m.id === id) done({ kind: 'outcome', outcome: m.outcome });
        else if (m.kind === 'error' && m.id === id) {
          const err = new Error(m.message);
          if (m.stack !== undefined) err.stack = m.stack;
          done(err);
        }
      };
      const onExit = (code: number): void => {
        this.forget(worker);
        done({ kind: 'died', reason: code === 0 ? 'its event loop ran dry: a promise the property awaited can never settle' : `the worker thread exited with code ${code}` });
      };
      const onError = (err: Error): void => {
        this.forget(worker);
        done({ kind: 'died', reason: `the worker thread failed: ${err.message}` });
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
      worker.on('error', onError);
      watch();
      worker.postMessage({ ...job, id } satisfies ToWorker);
    });
  }

  /** Stops the thread (if any). */
  stop(): void {
    const worker = this.worker;
    if (worker === undefined) return;
    this.forget(worker);
    void worker.terminate();
  }

  /** Drops `worker` from the slot (if it is still the slot's): the next run starts a fresh one. */
  private forget(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.ready = undefined;
  }

  private async started(): Promise<Worker> {
    if (this.worker === undefined || this.ready === undefined) {
      const worker = spawn(this.setup);
      this.worker = worker;
      this.ready = new Promise<void>((resolve, reject) => {
        const fail = (reason: string): void => {
          this.forget(worker);
          reject(new Error(`a worker thread could not start: ${reason}`));
        };
        const onMessage = (m: FromWorker): void => {
          worker.off('message', onMessage);
          if (m.kind === 'ready') resolve();
          else if (m.kind === 'setup-failed') fail(m.message);
        };
        worker.on('message', onMessage);
        worker.once('error', (err) => fail(err.message));
        worker.once('exit', (code) => fail(`it exited with code ${code}`));
      });
    }
    await this.ready;
    return this.worker as Worker;
  }
}

/** Idle slots by what their threads were started with (see `keyOf`). */
const idle = new Map<string, WorkerSlot[]>();

/** What a thread depends on: the target, its directory, and the environment it was started in. */
function keyOf(setup: WorkerSetup): string {
  return JSON.stringify([setup.target, setup.cwd, Object.entries(process.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
}

/** A slot for a run: an idle one started with the same setup, or a new one. */
export function takeSlot(setup: WorkerSetup): WorkerSlot {
  return idle.get(keyOf(setup))?.pop() ?? new WorkerSlot(setup);
}

/** Gives a slot back when a run ends: kept for the next run if its thread is alive and waiting. */
export function releaseSlot(slot: WorkerSlot): void {
  if (!slot.alive) return;
  const key = keyOf(slot.setup);
  const list = idle.get(key) ?? [];
  list.push(slot);
  idle.set(key, list);
}
