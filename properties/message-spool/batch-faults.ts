/**
 * `message-spool/batch-faults`: a batch `add` (or `quarantine`) that fails half way leaves the spool
 * exactly as docs/message-spool-protocol.md says: the messages before the failure stay spooled,
 * the error (`spool`) names them, and the names reserved for the rest are given back, so nothing
 * of the batch is left that the Monitor would report.
 *
 * A spool on memfs (a manual clock, names m001, m002, … from a counter) takes a batch of 2 to 4
 * messages (frozen, or quarantined, so that no delivery runs beside it) while the disk fills up or
 * one write or fsync fails with EIO; then the fault goes away. Judged from the disk and the API:
 * - a batch that succeeded returned its ids in order, and every message is on disk in its queue;
 * - a batch that failed threw a `spool` error whose message names the ids spooled before it (or
 *   says none were); exactly those are on disk, in order from the first, with their bodies;
 * - the Monitor finds no problem at all: no registry name without a message (a leaked
 *   reservation), no stray `.tmp` or `.data` file. One exception, the multispool's own contract
 *   (docs/multispool-protocol.md): when the fault hit a `reserve` (the fsync of `.registry`), the
 *   name that reserve was claiming may stay registered, as nobody learnt it;
 * - `status()` lists exactly the frozen messages on disk, and so does a spool opened again.
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import { isMessageSpoolError, MESSAGE_SPOOLABLE, type Envelope } from '../../impl/message-spool/index.ts';
import { locationDir, Monitor } from '../../impl/multispool/index.ts';
import { describePlan, faultVfs } from '../../sim/fault-vfs.ts';
import { faultChoiceArb, planOf, type FaultChoice } from '../fault-choice.ts';
import { START_MS } from '../multispool/test-spoolable.ts';
import { errorText } from '../session-report.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { readMessageDisk } from './disk-state.ts';
import { spoolOpener } from './spool-opener.ts';
import { testNames } from './test-names.ts';

/** Where the spool lives. */
const DIR = '/mail';

/** Bytes one message's record and body take about: what a share of the disk-full fault is of. */
const MESSAGE_BYTES = 300;

/** One batch: how many messages, into which queue. */
export interface Batch {
  readonly count: number;
  readonly into: 'frozen' | 'quarantine';
}

/** The envelope of the batch's n-th message (from 1). */
function envelopeOf(n: number): Envelope {
  return { sender: 'a@example.org', recipients: [`r${n}@example.org`], body: `body of message ${n}` };
}

/** Runs one batch under `choice`; the violations in words (none: the spool kept its contract). */
export async function runBatchFaults(batch: Batch, choice: FaultChoice, ctx: RunContext): Promise<string[]> {
  const plan = planOf(choice, batch.count * MESSAGE_BYTES);
  const clock = manualClock(START_MS);
  const inner = memfsVfs({ clock });
  await inner.mkdir(DIR);
  const vfs = faultVfs(inner, plan, { armed: false });
  const names = testNames();
  const { handedOut } = names;
  const open = spoolOpener(vfs, DIR, clock, names, builtinOf(ctx).messageSpool);
  const spool = await open('p1');
  const envelopes = Array.from({ length: batch.count }, (_, i) => envelopeOf(i + 1));
  const problems: string[] = [];
  let answer: string;
  let spooledBefore: readonly string[] | undefined;
  vfs.arm();
  try {
    const ids = batch.into === 'frozen' ? await spool.add(envelopes, { initialStatus: 'frozen', parentId: 'parent' }) : await spool.quarantine('a test reason', envelopes, { parentId: 'parent' });
    answer = `returned ${ids.join(', ')}`;
    spooledBefore = undefined;
    const expected = handedOut.slice(0, batch.count);
    if (ids.join() !== expected.join()) problems.push(`it returned ids ${ids.join(', ')}, not the names reserved for it (${expected.join(', ')})`);
  } catch (err) {
    answer = `threw ${errorText(err)}`;
    if (!isMessageSpoolError(err, 'spool')) problems.push('its error is not a message spool error of kind spool');
    const message = err instanceof Error ? err.message : String(err);
    const said = /messages (.*) were spooled before/.exec(message);
    spooledBefore = said === null ? [] : said[1] === 'none' ? [] : (said[1] as string).split(', ');
  }
  vfs.disarm();
  const injected = vfs.injected();
  const failedInReserve = injected.some((line) => line.includes(`(${DIR}/.registry)`));

  // What is on disk: a prefix of the batch, each message whole, in its queue.
  const disk = await readMessageDisk(inner, DIR);
  const onDisk = [...disk.keys()].sort();
  const wanted = spooledBefore ?? handedOut.slice(0, batch.count);
  if (onDisk.join() !== [...wanted].sort().join()) {
    problems.push(`the disk holds ${onDisk.join(', ') || 'no message'}, but ${spooledBefore === undefined ? 'the batch succeeded' : `the error says ${spooledBefore.join(', ') || 'none'} were spooled before`}`);
  }
  for (const [i, id] of wanted.entries()) {
    const entries = disk.get(id) ?? [];
    const entry = entries[0];
    if (entries.length !== 1 || entry === undefined || 'unreadable' in entry) continue;
    if (entry.queue !== batch.into || entry.checkedOut) problems.push(`${id} is in ${entry.queue}${entry.checkedOut ? '/.checkout' : ''}, not ${batch.into}`);
    if (entry.body !== envelopeOf(i + 1).body) problems.push(`${id} holds ${JSON.stringify(entry.body)}, not the body of message ${i + 1}`);
  }

  // Nothing else left behind: the Monitor sees no problem (but the name a failed reserve claimed).
  const monitor = await Monitor.open(inner, DIR, MESSAGE_SPOOLABLE, { clock });
  const lastHandedOut = handedOut[handedOut.length - 1];
  for (const p of await monitor.fsck(clock.now())) {
    const where = 'location' in p ? locationDir(p.location) : p.locations.map(locationDir).join(' and ');
    const forgivable = p.kind === 'orphaned' && 'location' in p && p.location.kind === 'registry' && failedInReserve && p.file.name === lastHandedOut;
    if (!forgivable) problems.push(`the Monitor reports ${p.kind} ${p.file.name} in ${where}${p.kind === 'orphaned' && where === '.registry' ? ' (a reservation the batch did not give back)' : ''}`);
  }

  // What the spool says, now and after a restart.
  const frozenOnDisk = batch.into === 'frozen' ? [...wanted].sort() : [];
  const listed = spool.status().map((r) => r.id).sort();
  if (listed.join() !== frozenOnDisk.join()) problems.push(`status() lists ${listed.join(', ') || 'nothing'}, not the frozen messages on disk (${frozenOnDisk.join(', ') || 'none'})`);
  await spool.close();
  const again = await open('p2');
  const relisted = again.status().map((r) => r.id).sort();
  await again.close();
  if (relisted.join() !== frozenOnDisk.join()) problems.push(`a spool opened again lists ${relisted.join(', ') || 'nothing'}, not ${frozenOnDisk.join(', ') || 'nothing'}`);

  if (problems.length === 0) return [];
  return [
    `a batch of ${batch.count} into ${batch.into} under ${describePlan(plan)}: it ${answer}`,
    `faults injected: ${injected.join('; ') || 'none'}`,
    `names handed out: ${handedOut.join(', ')}`,
    'violated:',
    ...problems.map((p) => `  ${p}`),
  ];
}

/** The property. */
export const batchFaults: PropertyDef = {
  suite: 'message-spool',
  requires: ['builtin'],
  name: 'batch-faults',
  description: "a batch add or quarantine that fails half way (disk full, EIO) keeps the messages before the failure, names them in its error, and gives back the rest's reserved names: the Monitor finds nothing left behind",
  defaultRuns: 150,
  testRuns: 40,
  build: (ctx) =>
    fc.asyncProperty(
      fc.record({ count: fc.integer({ min: 2, max: 4 }), into: fc.constantFrom('frozen' as const, 'quarantine' as const) }),
      faultChoiceArb(24),
      async (batch, choice) => {
        const violation = await runBatchFaults(batch, choice, ctx);
        if (violation.length > 0) throw new Error(violation.join('\n'));
      },
    ) as unknown as fc.IAsyncProperty<never>,
};
