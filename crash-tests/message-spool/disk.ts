/**
 * A message spool's directory read straight out of a disk image (no spool code involved): for
 * every message id, every place its metadata file sits (a queue or a queue's `.checkout`), the
 * record each holds (or why it is not one), its body, and whether it is registered; plus the
 * names staged in `.tmp`. The crash guarantees judge these, so a bug in the spool's own reading
 * code cannot hide what is on disk.
 */
import { QUEUES, recordCodec, type MessageRecord, type Queue } from '../../impl/message-spool/index.ts';
import { listTree, type DiskImage } from '../../sim/crash/disk-image.ts';

/** Where a message's metadata file is: a queue directory, or that queue's checkout directory. */
export type Place = Queue | `${Queue}/.checkout`;

/** Every place, queues first in {@link QUEUES} order, each followed by its checkout directory. */
export const PLACES: readonly Place[] = QUEUES.flatMap((q): Place[] => [q, `${q}/.checkout`]);

/** The queue a place belongs to (`active/.checkout` -> `active`). */
export function queueOfPlace(place: Place): Queue {
  return place.split('/')[0] as Queue;
}

/** True for a `.checkout` place. */
export function isCheckoutPlace(place: Place): boolean {
  return place.endsWith('/.checkout');
}

/** One metadata file of a message. */
export interface FoundFile {
  readonly place: Place;
  /** The record it holds, when it decodes as one. */
  readonly record?: MessageRecord;
  /** Why it is not a record (when it is not). */
  readonly problem?: string;
}

/** Everything the disk holds of one message id. */
export interface FoundMessage {
  readonly id: string;
  readonly files: readonly FoundFile[];
  /** The text of `.data/<id>`, or undefined when there is none. */
  readonly body?: string;
  /** Whether `.registry/<id>` exists. */
  readonly registered: boolean;
  /** Whether `.tmp/<id>` exists (a staged metadata file). */
  readonly staged: boolean;
}

const utf8 = new TextDecoder();

function decodeRecord(bytes: Uint8Array): { record: MessageRecord } | { problem: string } {
  try {
    return { record: recordCodec.decode(bytes) };
  } catch (err) {
    return { problem: `${err instanceof Error ? err.message : String(err)} (${bytes.length} bytes)` };
  }
}

/**
 * Every id that has any file of the spool in `dir` (registry, staging, data, metadata), by id in
 * code-unit order. A message "is on disk" when it has at least one metadata file.
 */
export function readSpoolImage(image: DiskImage, dir: string): Map<string, FoundMessage> {
  const files = new Map<string, FoundFile[]>();
  const bodies = new Map<string, string>();
  const registered = new Set<string>();
  const staged = new Set<string>();
  const ids = new Set<string>();
  const places = new Set<string>(PLACES);
  for (const entry of listTree(image)) {
    if (entry.kind !== 'file' || !entry.path.startsWith(`${dir}/`)) continue;
    const rel = entry.path.slice(dir.length + 1);
    const slash = rel.lastIndexOf('/');
    if (slash < 0) continue; // the lock files in the spool's root
    const where = rel.slice(0, slash);
    const id = rel.slice(slash + 1);
    const bytes = entry.data ?? new Uint8Array();
    if (where === '.registry') registered.add(id);
    else if (where === '.tmp') staged.add(id);
    else if (where === '.data') bodies.set(id, utf8.decode(bytes));
    else if (places.has(where)) {
      const list = files.get(id) ?? [];
      list.push({ place: where as Place, ...decodeRecord(bytes) });
      files.set(id, list);
    } else continue;
    ids.add(id);
  }
  const out = new Map<string, FoundMessage>();
  for (const id of [...ids].sort()) {
    const body = bodies.get(id);
    const found = (files.get(id) ?? []).sort((a, b) => PLACES.indexOf(a.place) - PLACES.indexOf(b.place));
    out.set(id, { id, files: found, ...(body === undefined ? {} : { body }), registered: registered.has(id), staged: staged.has(id) });
  }
  return out;
}

/** A status in words, times relative to `baseMs`: `sendAt(+7200000ms)`. */
export function describeStatus(record: MessageRecord, baseMs: number): string {
  const s = record.status;
  if (s.kind === 'sendAt') return `sendAt(${s.at - baseMs >= 0 ? '+' : ''}${s.at - baseMs}ms)`;
  if (s.kind === 'quarantined') return `quarantined(${s.reason})`;
  return s.kind;
}

/** A record in one line, the fields that change over a message's life first. */
export function describeRecord(record: MessageRecord, baseMs: number): string {
  return (
    `${describeStatus(record, baseMs)} attempts=${record.attempts} remaining=[${record.remainingRecipients.join(',')}] ` +
    `failed=[${record.failedRecipients.join(',')}] retry=[${record.retryIntervals.join(',')}] spoolDate=${record.spoolDate - baseMs >= 0 ? '+' : ''}${record.spoolDate - baseMs}ms`
  );
}

/**
 * The spool in `dir` as lines, one per file, metadata files shown as records
 * (`frozen/m00 = frozen attempts=1 ...`), for reports and for comparing states.
 */
export function renderSpool(image: DiskImage, dir: string, baseMs: number): string[] {
  const lines: string[] = [];
  for (const m of readSpoolImage(image, dir).values()) {
    if (m.registered) lines.push(`.registry/${m.id}`);
    if (m.staged) lines.push(`.tmp/${m.id} (staged metadata)`);
    if (m.body !== undefined) lines.push(`.data/${m.id} = ${JSON.stringify(m.body)}`);
    for (const f of m.files) lines.push(`${f.place}/${m.id} = ${f.record === undefined ? `NOT A RECORD: ${f.problem ?? ''}` : describeRecord(f.record, baseMs)}`);
  }
  return lines;
}
