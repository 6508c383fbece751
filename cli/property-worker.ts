/**
 * The body of one worker thread of `spoolcheck run --workers N` (started by `worker-pool.ts`):
 * it builds the target again from its name (a target object cannot cross threads), then runs
 * each property it is sent, one at a time, and posts back the outcome. The property runs exactly
 * as it would in the main thread (same seed, runs and path), so its verdict and replay line are
 * the same.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runProperty } from '../properties/suite.ts';
import { errorText } from '../properties/session-report.ts';
import { chooseTarget } from './load-target.ts';
import { PROPERTIES } from './suites.ts';
import { HEARTBEAT_MS, type FromWorker, type ToWorker, type WorkerSetup } from './worker-messages.ts';

const port = parentPort;
if (port === null) throw new Error('property-worker.ts runs only as a worker thread (see worker-pool.ts)');
const post = (message: FromWorker): void => port.postMessage(message);
const setup = workerData as WorkerSetup;

try {
  const { target } = await chooseTarget({ target: setup.target }, setup.cwd);
  port.on('message', (message: ToWorker) => {
    void (async () => {
      const def = PROPERTIES.find((p) => p.suite === message.suite && p.name === message.property);
      if (def === undefined) {
        post({ kind: 'error', id: message.id, message: `no property ${message.suite}/${message.property} in this build` });
        return;
      }
      try {
        const now = (): number => performance.now();
        const outcome = await runProperty(def, {
          seed: message.seed,
          numRuns: message.numRuns,
          ...(message.path === undefined ? {} : { path: message.path }),
          ...(message.remainingMs === undefined ? {} : { deadlineMs: now() + message.remainingMs }),
          ...(message.runTimeoutMs === undefined ? {} : { runTimeoutMs: message.runTimeoutMs }),
          onRunStart: (searchIndex) => post({ kind: 'run', id: message.id, searchIndex }),
          target,
        }, now);
        post({ kind: 'outcome', id: message.id, outcome });
      } catch (err) {
        post({ kind: 'error', id: message.id, message: errorText(err), ...(err instanceof Error && err.stack !== undefined ? { stack: err.stack } : {}) });
      }
    })();
  });
  setInterval(() => post({ kind: 'alive' }), HEARTBEAT_MS).unref();
  post({ kind: 'ready' });
} catch (err) {
  post({ kind: 'setup-failed', message: errorText(err) });
}
