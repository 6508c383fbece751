/**
 * Cross-validation of trace mode: spoolcheck's own multispool (or one of its variants, named by
 * the first argument: `real`, `MS-1`, `MS-5`, ...) through its queue adapter on the real disk
 * (node:fs) in $SPOOLCHECK_DIR, running `PLAN` (two enqueues, a checkout and removal of the first,
 * a third enqueue); each step is printed after it returned (`enqueued ID DATA`, `removed ID`). Run with
 * `node --import tsx targets/trace/multispool/workload.ts VARIANT`.
 */
import { systemClock } from '../../../impl/io/clock.ts';
import { nodeVfs } from '../../../impl/io/node-vfs.ts';
import { findVariant } from '../../../properties/variants.ts';
import { multispoolQueue } from '../../multispool-queue.ts';
import { planSteps } from './plan.ts';

const name = process.argv[2] ?? 'real';
// The second argument, if any, runs only the plan's first steps (a smaller trace, for tests).
const PLAN = planSteps(process.argv[3]);
const quirks = name === 'real' ? {} : findVariant(name)?.multispool;
if (quirks === undefined) throw new Error(`no multispool variant ${name}`);
const dir = process.env['SPOOLCHECK_DIR'];
if (dir === undefined) throw new Error('SPOOLCHECK_DIR is not set (run me under spoolcheck trace)');
const queue = await multispoolQueue(quirks).open({ vfs: nodeVfs(dir), dir: '/spool', clock: systemClock });
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const ids: string[] = [];
for (const step of PLAN) {
  if ('enqueue' in step) {
    const id = await queue.enqueue(step.enqueue);
    ids.push(id);
    say(`enqueued ${id} ${step.enqueue}`);
  } else {
    const id = ids[step.remove] as string;
    await queue.checkout(id);
    await queue.remove(id);
    say(`removed ${id}`);
  }
}
await queue.close?.();
