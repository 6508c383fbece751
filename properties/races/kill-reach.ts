/**
 * How far a killed operation got: read off its process's timeline (`sim/processes.ts` records a
 * call when it reaches the disk and its outcome when the disk answers), from the events after the
 * operation was called. Only the steps that change what the racing model observes matter (see
 * `race-history-model.ts`): an enqueue's exclusive create of its registry file and its publishing
 * rename, a take's rename into `.checkout`, a remove's unlink of the checkout file and of the
 * registry file. A step counts only if the disk answered it with success (a lost rename race, an
 * EEXIST, are errors and change nothing).
 */
import type { TimelineEvent } from '../../sim/processes.ts';
import type { RaceCall, Reach } from './race-history-model.ts';
import { RACE_QUEUE } from './race-history-model.ts';

/** The reach of a killed operation and the entry it acted on (undefined: none). */
export interface KilledReach {
  readonly subject: string | undefined;
  readonly reach: Reach;
}

/** Reads the reach of operation `call`, killed, from its process's `events` since the call (spool at `dir`). */
export function killedReach(call: RaceCall, events: readonly TimelineEvent[], dir: string): KilledReach {
  const done = events.filter((e) => e.kind === 'return').map((e) => e.what);
  const queue = `${dir}/${RACE_QUEUE}`;
  const checkout = `${queue}/.checkout`;
  /** The entry of the last successful `rename <queue>/X <queue>/.checkout/X`. */
  const checkedOut = (): string | undefined => {
    for (const what of [...done].reverse()) {
      const m = /^rename (\S+) (\S+)$/.exec(what);
      if (m === null) continue;
      const [, from, to] = m as unknown as [string, string, string];
      const name = from.slice(queue.length + 1);
      if (from === `${queue}/${name}` && !name.includes('/') && to === `${checkout}/${name}`) return name;
    }
    return undefined;
  };
  switch (call.kind) {
    case 'enqueue': {
      const prefix = `open ${dir}/.registry/`;
      const claim = [...done].reverse().find((w) => w.startsWith(prefix));
      if (claim === undefined) return { subject: undefined, reach: 'none' };
      const name = claim.slice(prefix.length).split(' ')[0] ?? '';
      const published = done.includes(`rename ${dir}/.tmp/${name} ${queue}/${name}`);
      return { subject: name, reach: published ? 'published' : 'reserved' };
    }
    case 'dequeue': {
      const name = checkedOut();
      return name === undefined ? { subject: undefined, reach: 'none' } : { subject: name, reach: 'checkedOut' };
    }
    case 'tryCheckout':
      return { subject: call.name, reach: checkedOut() === call.name ? 'checkedOut' : 'none' };
    case 'remove': {
      if (done.includes(`unlink ${dir}/.registry/${call.name}`)) return { subject: call.name, reach: 'removed' };
      if (done.includes(`unlink ${checkout}/${call.name}`)) return { subject: call.name, reach: 'metadataRemoved' };
      return { subject: call.name, reach: 'none' };
    }
    case 'monitor':
    case 'final':
      return { subject: undefined, reach: 'none' };
  }
}
