/**
 * `message-spool/startup-damage`: a spool directory with damaged message files opens, tells what
 * it could not read, and loses nothing (docs/message-spool-protocol.md, startup). A spool on memfs
 * holds frozen and active messages; some of their queue files are then damaged as a disk or a
 * careless hand damages them: overwritten with bytes that are no record (`garbage`), or with the
 * record of another message (`swapped`: a file that claims another id, as a copy made by hand
 * does). A new process opens the spool. Demanded:
 *  - the open succeeds, and `startup.unreadable` names exactly the damaged files (queue and name);
 *  - `status()` lists exactly the undamaged messages, each as it was: no damaged file is taken
 *    for a message (a swapped one would be the same message twice, or one under a wrong name);
 *  - every damaged file is still on disk as it was (nothing is deleted for being unreadable).
 * Delivery never runs (the presend hook puts every attempt off to a far future), so what is
 * listed is what startup loaded.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { readWholeFile, writeWholeFile } from '../../impl/io/files.ts';
import { sameBytes } from '../../model/fifo/fifo.ts';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import type { Vfs } from '../../impl/io/vfs.ts';
import type { MessageSpool } from '../../impl/message-spool/index.ts';
import { START_MS } from '../multispool/test-spoolable.ts';
import { errorText } from '../session-report.ts';
import { builtinOf, violationsProperty, type PropertyDef, type RunContext } from '../suite.ts';
import { spoolOpener } from './spool-opener.ts';
import { testNames } from './test-names.ts';

const DIR = '/mail';
/** How far off the presend hook puts every attempt (ms): beyond anything the property waits. */
const FAR_MS = 1_000_000_000;

/** One message of the spool, and what is done to its queue file. */
export interface DamagedMessage {
  readonly queue: 'frozen' | 'active';
  readonly damage: 'none' | 'garbage' | 'swapped';
}

/** The violations of one spool, in words (none: it held). */
export async function runStartupDamage(messages: readonly DamagedMessage[], ctx: RunContext): Promise<string[]> {
  const clock = manualClock(START_MS);
  const vfs: Vfs = memfsVfs({ clock });
  await vfs.mkdir(DIR);
  // Every attempt is put off: an active message waits in its queue, sendAt a far future.
  const open = spoolOpener(vfs, DIR, clock, testNames(), builtinOf(ctx).messageSpool, { presend: async () => ({ kind: 'sendAt', at: START_MS + FAR_MS }) });
  const first = await open('p1');
  const ids: string[] = [];
  for (const [i, m] of messages.entries()) {
    const [id] = await first.add([{ sender: 'a@example.org', recipients: [`r${i}@example.org`], body: `body ${i}` }], { initialStatus: m.queue === 'active' ? 'sendNow' : 'frozen', parentId: 'parent' });
    ids.push(id as string);
  }
  // The close waits for the attempts, which put the active messages off.
  await first.close();
  const before = new Map(first.status().map((r) => [r.id, r] as const));
  // The first process is gone; now the files are damaged.
  const fileOf = (i: number): string => `${DIR}/${(messages[i] as DamagedMessage).queue}/${ids[i] as string}`;
  // Every record as the first process left it, read before any is damaged.
  const original = await Promise.all(messages.map((_, i) => readWholeFile(vfs, fileOf(i))));
  /** The damaged files (`queue/name`), with what was written into each. */
  const damaged = new Map<string, Uint8Array>();
  for (const [i, m] of messages.entries()) {
    if (m.damage === 'none') continue;
    // Garbage, or the record of the next message (of the previous one, for the last) under this name.
    const bytes = m.damage === 'garbage' ? new TextEncoder().encode('\u0000\u00ffnot a record{') : (original[i + 1 < messages.length ? i + 1 : i - 1] as Uint8Array);
    await writeWholeFile(vfs, fileOf(i), bytes);
    damaged.set(`${m.queue}/${ids[i] as string}`, bytes);
  }
  const damagedNames = [...damaged.keys()].sort();
  const problems: string[] = [];
  let second: MessageSpool;
  try {
    second = await open('p2');
  } catch (err) {
    return [`opening the damaged spool threw: ${errorText(err)}`, `damaged: ${damagedNames.join(', ')}`];
  }
  const reported = second.startup.unreadable.map((u) => `${u.queue}/${u.name ?? '(the queue itself)'}`).sort();
  if (reported.join() !== damagedNames.join()) problems.push(`startup reports ${reported.join(', ') || 'nothing'} unreadable; the damaged files are ${damagedNames.join(', ') || 'none'}`);
  const intact = ids.filter((_, i) => (messages[i] as DamagedMessage).damage === 'none');
  const listed = second.status();
  const listedIds = listed.map((r) => r.id).sort();
  if (listedIds.join() !== [...intact].sort().join()) problems.push(`status() lists ${listedIds.join(', ') || 'nothing'}; the undamaged messages are ${[...intact].sort().join(', ') || 'none'}`);
  for (const r of listed) {
    const was = before.get(r.id);
    if (!isDeepStrictEqual(was, r)) problems.push(`${r.id} is listed as ${JSON.stringify(r)}; it was ${JSON.stringify(was)}`);
  }
  for (const [name, bytes] of damaged) {
    const path = `${DIR}/${name}`;
    const now = await readWholeFile(vfs, path).catch(() => undefined);
    if (now === undefined || !sameBytes(now, bytes)) problems.push(`the damaged file ${path} was ${now === undefined ? 'deleted' : 'changed'} by the open`);
  }
  await second.close();
  if (problems.length > 0) problems.push(`(messages: ${messages.map((m, i) => `${ids[i] as string} in ${m.queue}${m.damage === 'none' ? '' : `, ${m.damage}`}`).join('; ')})`);
  return problems;
}

/** Two to five messages, most undamaged. */
export const damagedMessagesArb: fc.Arbitrary<DamagedMessage[]> = fc.array(
  fc.record({
    queue: fc.constantFrom('frozen' as const, 'active' as const),
    damage: fc.oneof({ weight: 3, arbitrary: fc.constant('none' as const) }, { weight: 1, arbitrary: fc.constantFrom('garbage' as const, 'swapped' as const) }),
  }),
  { minLength: 2, maxLength: 5 },
);

/** The startup-damage property. */
export const startupDamage: PropertyDef = {
  suite: 'message-spool',
  requires: ['builtin'],
  name: 'startup-damage',
  description: 'a spool whose message files are damaged (garbage, or another message\'s record) opens, names exactly the damaged files, lists exactly the undamaged messages as they were, and leaves the damaged files as they are',
  defaultRuns: 100,
  testRuns: 30,
  build: (ctx: RunContext) => violationsProperty(damagedMessagesArb, (messages) => runStartupDamage(messages, ctx)),
};
