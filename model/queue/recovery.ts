/**
 * What a queue may give back after a crash, as a function of what had been acknowledged before
 * it: the guarantees the `queue` crash properties check, through the adapter's API alone.
 *
 * - Durable: every item whose enqueue was acknowledged and whose remove was not comes back,
 *   available (a checked-out item is given back: at-least-once), with its data in full.
 * - No resurrection: an item whose remove was acknowledged does not come back.
 * - No phantoms: nothing comes back that was never enqueued, except the item of the enqueue in
 *   flight at the crash, once, with its data in full.
 * - No duplicates: no id is listed twice, and no item comes back under two ids.
 *
 * The operation in flight may or may not have happened: its item may come back or not (a
 * remove), may come back under a new id or not (an enqueue); a checkout or a release in flight
 * changes nothing that recovery shows.
 */
import type { QueueState } from './queue.ts';

/** The operation running when the crash came (its id is not known for an enqueue: the call never returned). */
export type InFlight =
  | { readonly kind: 'enqueue'; readonly data: string }
  | { readonly kind: 'checkout' | 'release' | 'remove'; readonly id: string };

/** One item recovery listed, with what checking it out gave (`undefined`: nothing). */
export interface RecoveredItem {
  readonly id: string;
  readonly data: string | undefined;
  /** The error checking it out threw, if it threw (then `data` is undefined). */
  readonly error?: string;
}

/** Quotes a data value for a message, shortened. */
function quote(data: string): string {
  return JSON.stringify(data.length > 40 ? `${data.slice(0, 37)}...` : data);
}

/**
 * The guarantees `recovered` breaks, in words (empty: it is a state the queue may recover to),
 * given the acknowledged state `acked` and the operation `inFlight` at the crash.
 */
export function judgeRecovery(acked: QueueState, inFlight: InFlight | undefined, recovered: readonly RecoveredItem[]): string[] {
  const violations: string[] = [];
  const mayBeGone = inFlight?.kind === 'remove' ? inFlight.id : undefined;
  let newAllowed = inFlight?.kind === 'enqueue' ? inFlight.data : undefined;
  const byId = new Map<string, string | undefined>();
  const errors = new Map<string, string>();
  for (const item of recovered) {
    if (byId.has(item.id)) violations.push(`duplicate: id ${item.id} is listed twice`);
    byId.set(item.id, item.data);
    if (item.error !== undefined) errors.set(item.id, item.error);
  }
  const gaveNothing = (id: string): string => (errors.has(id) ? `threw: ${errors.get(id)}` : 'gave nothing');
  for (const [id, item] of acked.items) {
    if (!byId.has(id)) {
      if (id !== mayBeGone) violations.push(`lost: acknowledged item ${id} (data ${quote(item.data)}) did not come back`);
      continue;
    }
    const got = byId.get(id);
    if (got === undefined) violations.push(`broken: item ${id} is listed, but checking it out ${gaveNothing(id)} (data ${quote(item.data)} expected)`);
    else if (got !== item.data) violations.push(`corrupted: item ${id} came back with data ${quote(got)} instead of ${quote(item.data)}`);
  }
  for (const [id, data] of byId) {
    if (acked.items.has(id)) continue;
    if (newAllowed !== undefined && data === newAllowed) {
      newAllowed = undefined; // the enqueue in flight (data is unique to it), maybe under a reused id
    } else if (newAllowed !== undefined && data === undefined) {
      violations.push(`broken: item ${id} (the enqueue in flight, of data ${quote(newAllowed)}?) came back, but checking it out ${gaveNothing(id)}`);
      newAllowed = undefined;
    } else if (acked.everIssued.has(id)) {
      violations.push(`resurrected: item ${id} came back, but its remove had been acknowledged`);
    } else if (newAllowed !== undefined && data !== undefined) {
      violations.push(`corrupted: item ${id} came back with data ${quote(data)}, but the only new item allowed is the enqueue in flight, with data ${quote(newAllowed)} in full`);
      newAllowed = undefined;
    } else {
      violations.push(`phantom: item ${id} (data ${data === undefined ? `unreadable: checking it out ${gaveNothing(id)}` : quote(data)}) came back, but was never enqueued`);
    }
  }
  const idsByData = new Map<string, string[]>();
  for (const [id, data] of byId) if (data !== undefined) idsByData.set(data, [...(idsByData.get(data) ?? []), id]);
  for (const [data, ids] of idsByData) {
    if (ids.length > 1) violations.push(`duplicate: data ${quote(data)} came back under ${ids.length} ids (${ids.join(', ')})`);
  }
  return violations;
}
