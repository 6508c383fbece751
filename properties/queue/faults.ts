/**
 * `queue/faults`: a queue fails cleanly when the disk fills up or an I/O error strikes
 * (`sim/fault-vfs.ts`): with one or two items stored, one enqueue runs while the disk fills up
 * (its crossing write lands in part) or one of its writes or fsyncs fails with EIO. Then the fault
 * goes away (room again), the same handle enqueues one more item, and the queue is opened again
 * and drained. Judged through the API (`model/queue/recovery.ts`): the stored items come back in
 * full; the faulted item comes back in full if its enqueue resolved, in full or not at all if it
 * threw; the item after it is stored; nothing partial, nothing twice, nothing else. A queue
 * whose calls fail without a fault injected is reported as such.
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import { EMPTY_QUEUE, step, type QueueState } from '../../model/queue/queue.ts';
import { judgeRecovery } from '../../model/queue/recovery.ts';
import { describePlan, faultVfs } from '../../sim/fault-vfs.ts';
import { faultChoiceArb, planOf, type FaultChoice } from '../fault-choice.ts';
import type { QueueAdapter } from '../../targets/queue-adapter.ts';
import { START_MS } from '../multispool/test-spoolable.ts';
import { errorText } from '../session-report.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { recoverQueue } from './crash.ts';
import { itemData } from './driver.ts';
import { QUEUE_DIR } from './sequential.ts';

/** Runs the workload under the fault `choice`; throws what it breaks. */
async function assertFailsCleanly(adapter: QueueAdapter, preload: number, choice: FaultChoice): Promise<void> {
  const clock = manualClock(START_MS);
  const inner = memfsVfs({ clock });
  await inner.mkdir(QUEUE_DIR);
  const faulted = itemData(2);
  const plan = planOf(choice, new TextEncoder().encode(faulted).length);
  const vfs = faultVfs(inner, plan, { armed: false });
  const world = { vfs, dir: QUEUE_DIR, clock };
  const log: string[] = [];
  const fail = (what: string): never => {
    throw new Error([`under ${describePlan(plan)}, ${what}`, 'session:', ...log.map((l) => `  ${l}`), `faults injected: ${vfs.injected().join('; ') || 'none'}`].join('\n'));
  };
  const handle = await adapter.open(world);
  let acked: QueueState = EMPTY_QUEUE;
  const enqueue = async (data: string): Promise<boolean> => {
    try {
      const id = await handle.enqueue(data);
      acked = step(acked, { kind: 'enqueue', id, data }).state;
      log.push(`enqueue(${JSON.stringify(data)}) → id ${id}`);
      return true;
    } catch (err) {
      log.push(`enqueue(${JSON.stringify(data)}) threw: ${errorText(err)}`);
      return false;
    }
  };
  for (let i = 0; i < preload; i++) if (!(await enqueue(itemData(100 + i)))) fail('an enqueue failed before any fault was armed');
  vfs.arm();
  log.push(`(fault armed: ${describePlan(plan)})`);
  const ok = await enqueue(faulted);
  const injected = vfs.injected().length > 0;
  vfs.disarm();
  log.push('(fault gone: the disk has room again)');
  if (!ok && !injected) fail('the enqueue failed though no fault was injected');
  if (!(await enqueue(itemData(3)))) fail('the queue cannot enqueue once the fault is gone: it did not fail cleanly');
  await handle.close?.();
  const recovered = await recoverQueue(adapter, world);
  const violations = 'error' in recovered ? [recovered.error] : judgeRecovery(acked, ok ? undefined : { kind: 'enqueue', data: faulted }, recovered.items);
  if (violations.length > 0) {
    const back = 'error' in recovered ? [] : recovered.items.map((it) => `  ${it.id}: ${it.error ?? (it.data === undefined ? 'checkout gave undefined' : JSON.stringify(it.data))}`);
    fail(['the queue does not fail cleanly', 'reopened and drained:', ...(back.length === 0 ? ['  (nothing)'] : back), 'violated:', ...violations.map((v) => `  ${v}`)].join('\n'));
  }
}

export const queueFaults: PropertyDef = {
  suite: 'queue',
  name: 'faults',
  requires: ['queue'],
  description: 'one enqueue while the disk fills up (a short write) or with EIO on a write or an fsync, then room again: stored items intact, the faulted item in full or (if its enqueue threw) absent, the next enqueue works, nothing partial or twice after reopening',
  defaultRuns: 200,
  testRuns: 40,
  build: (ctx) =>
    fc.asyncProperty(fc.integer({ min: 1, max: 2 }), faultChoiceArb(4), async (preload, choice) => assertFailsCleanly(adapterOf(ctx, 'queue'), preload, choice)) as unknown as fc.IAsyncProperty<never>,
};
