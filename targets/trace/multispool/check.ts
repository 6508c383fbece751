/**
 * The checker of workload.ts: the spool in $SPOOLCHECK_DIR opens (recovery, with the same
 * variant's code), and what it lists and gives back on checkout agrees with what the workload
 * acknowledged in $SPOOLCHECK_OUTPUT: every acknowledged enqueue not removed is there with its
 * data in full (the removal in flight may have happened), no removed item is back, nothing else is
 * listed (but the enqueue in flight, with its data), nothing twice.
 */
import { manualClock, systemClock } from '../../../impl/io/clock.ts';
import { nodeVfs } from '../../../impl/io/node-vfs.ts';
import { readFileSync } from 'node:fs';
import { findVariant } from '../../../properties/variants.ts';
import { multispoolQueue } from '../../multispool-queue.ts';
import { planSteps } from './plan.ts';

const name = process.argv[2] ?? 'real';
// The second argument, if any, runs only the plan's first steps (a smaller trace, for tests).
const PLAN = planSteps(process.argv[3]);
const quirks = name === 'real' ? {} : (findVariant(name)?.multispool ?? {});
const dir = process.env['SPOOLCHECK_DIR'] as string;
const said = readFileSync(process.env['SPOOLCHECK_OUTPUT'] as string, 'utf8').split('\n').filter((l) => l !== '');
// The steps that returned, and the one in flight at the crash (it may have happened or not).
const expected = new Map<string, string>();
const removed = new Set<string>();
const enqueued: string[] = [];
for (const line of said) {
  const [word, id, data] = line.split(' ') as [string, string, string];
  if (word === 'enqueued') {
    expected.set(id, data);
    enqueued.push(id);
  }
  else if (word === 'removed') {
    expected.delete(id);
    removed.add(id);
  }
}
const inFlight = PLAN[said.length];
const mayBeGone = inFlight !== undefined && 'remove' in inFlight ? enqueued[inFlight.remove] : undefined;
const mayBeNew = inFlight !== undefined && 'enqueue' in inFlight ? inFlight.enqueue : undefined;
const problems: string[] = [];
try {
  // The spool may be from before the workload created it: then nothing was acknowledged.
  const queue = await multispoolQueue(quirks).open({ vfs: nodeVfs(dir), dir: '/spool', clock: manualClock(systemClock.now() + 60_000) });
  const ids = await queue.list();
  if (new Set(ids).size !== ids.length) problems.push(`an item is listed twice: ${ids.join(', ')}`);
  for (const id of ids) {
    const data = await queue.checkout(id);
    if (removed.has(id)) problems.push(`${id} was removed but is back (${JSON.stringify(data)})`);
    else if (expected.has(id)) {
      if (data !== expected.get(id)) problems.push(`${id} is damaged: ${JSON.stringify(data)} instead of ${JSON.stringify(expected.get(id))}`);
    } else if (data !== mayBeNew) problems.push(`${id} (${JSON.stringify(data)}) was never enqueued${mayBeNew === undefined ? '' : ` (the enqueue in flight was of ${JSON.stringify(mayBeNew)})`}`);
  }
  for (const [id, data] of expected) if (!ids.includes(id) && id !== mayBeGone) problems.push(`${id} (${data}) was acknowledged but is gone`);
} catch (err) {
  if (said.length > 0) problems.push(`the spool does not open: ${err instanceof Error ? err.message : String(err)}`);
}
for (const p of problems) console.log(p);
process.exit(problems.length === 0 ? 0 : 1);
