/**
 * The mail spool contract of `targets/message-spool-adapter.ts` as a model: what each message's
 * fate is after every acknowledged call and every delivery answer, and which delivery calls and
 * `status` listings the contract allows. A pure model: it imports nothing outside `model/`, so
 * the message shape is defined again here.
 *
 * Fates:
 * - `waiting`: to be delivered (added, or sent again); the spool may take up to its
 *   `maxRetryDelayMs` to start the attempt;
 * - `retrying`: its last attempt said "try later": tried again, or given up (frozen) by the spool;
 * - `held`: frozen by the user (added frozen, or frozen): never delivered until sent;
 * - `given-up`: frozen by the spool (after `failed`, or out of retries);
 * - `delivered`, `removed`: gone for good (a crash may bring a delivered one back: at least once).
 */

/** A message as added: envelope and body. */
export interface Mail {
  readonly sender: string;
  readonly recipients: readonly string[];
  readonly body: string;
}

/** Where a message stands. */
export type Fate = 'waiting' | 'retrying' | 'held' | 'given-up' | 'delivered' | 'removed';

/** One message the spool was given. */
export interface MailEntry {
  readonly id: string;
  readonly mail: Mail;
  readonly fate: Fate;
  /** Clock time since when it has been waiting or retrying (for the retry deadline). */
  readonly since: number;
}

/** Every message added so far, by id (delivered and removed ones too). */
export type MailState = ReadonlyMap<string, MailEntry>;

/** No message yet. */
export const NO_MAIL: MailState = new Map();

/** Fates of messages that are in the spool (waiting or frozen). */
const IN_SPOOL: readonly Fate[] = ['waiting', 'retrying', 'held', 'given-up'];

/** True if the message is in the spool. */
export function inSpool(e: MailEntry): boolean {
  return IN_SPOOL.includes(e.fate);
}

/** True if the message is frozen (by the user or by the spool): send and remove apply to it. */
export function isFrozen(e: MailEntry): boolean {
  return e.fate === 'held' || e.fate === 'given-up';
}

/** True if a delivery of it may start. */
export function mayBeDelivered(e: MailEntry): boolean {
  return e.fate === 'waiting' || e.fate === 'retrying';
}

function withFate(state: MailState, id: string, fate: Fate, now: number): MailState {
  const e = state.get(id) as MailEntry;
  const next = new Map(state);
  next.set(id, { ...e, fate, since: fate === 'waiting' || fate === 'retrying' ? now : e.since });
  return next;
}

/** The violation of an add that answered `id` (undefined: none), and the state after it. */
export function added(state: MailState, id: string, mail: Mail, frozen: boolean, now: number): { state: MailState; violation?: string } {
  const clash = state.get(id);
  if (clash !== undefined && inSpool(clash)) return { state, violation: `add answered id ${id}, which message ${JSON.stringify(clash.mail.body)} in the spool already has` };
  const next = new Map(state);
  next.set(id, { id, mail, fate: frozen ? 'held' : 'waiting', since: now });
  return { state: next };
}

/** After an acknowledged freeze, send or remove of `id` (the harness calls them only where they apply). */
export function changed(state: MailState, kind: 'freeze' | 'send' | 'remove', id: string, now: number): MailState {
  return withFate(state, id, kind === 'freeze' ? 'held' : kind === 'send' ? 'waiting' : 'removed', now);
}

/** Compares an envelope and body with what was added; the differences in words. */
function contentDiffers(want: Mail, got: Mail): string | undefined {
  const parts: string[] = [];
  if (got.body !== want.body) parts.push(`body ${JSON.stringify(got.body)} instead of ${JSON.stringify(want.body)}`);
  if (got.sender !== want.sender) parts.push(`sender ${JSON.stringify(got.sender)} instead of ${JSON.stringify(want.sender)}`);
  if (JSON.stringify([...got.recipients].sort()) !== JSON.stringify([...want.recipients].sort())) parts.push(`recipients ${JSON.stringify(got.recipients)} instead of ${JSON.stringify(want.recipients)}`);
  return parts.length === 0 ? undefined : parts.join(', ');
}

/** What is wrong with the spool asking to deliver `mail` as `id` now (undefined: it may). */
export function deliveryViolation(state: MailState, id: string, mail: Mail): string | undefined {
  const e = state.get(id);
  if (e === undefined) return `delivery of id ${id}, which the spool never answered for an add (body ${JSON.stringify(mail.body)})`;
  const diff = contentDiffers(e.mail, mail);
  if (diff !== undefined) return `delivery of ${id} with ${diff}`;
  switch (e.fate) {
    case 'waiting':
    case 'retrying':
      return undefined;
    case 'held':
      return `delivery of ${id}, which is frozen (acknowledged) and was not sent again`;
    case 'given-up':
      return `delivery of ${id}, which the spool had given up on (frozen) and which was not sent again`;
    case 'delivered':
      return `delivery of ${id} again: its delivery had answered "delivered"`;
    case 'removed':
      return `delivery of ${id}, whose removal was acknowledged`;
  }
}

/** After a delivery of `id` answered `outcome`. */
export function answered(state: MailState, id: string, outcome: 'delivered' | 'try-later' | 'failed', now: number): MailState {
  return withFate(state, id, outcome === 'delivered' ? 'delivered' : outcome === 'failed' ? 'given-up' : 'retrying', now);
}

/** A message as `status` lists it. */
export interface Listed {
  readonly id: string;
  readonly state: 'waiting' | 'frozen';
}

/**
 * Compares a `status` listing with the model: the violations, and the state with the spool's
 * choice adopted where the contract leaves one (a retrying message may have been given up).
 */
export function compareStatus(state: MailState, listed: readonly Listed[]): { state: MailState; violations: string[] } {
  const violations: string[] = [];
  const seen = new Map<string, Listed['state']>();
  for (const l of listed) {
    if (seen.has(l.id)) violations.push(`status lists ${l.id} twice`);
    seen.set(l.id, l.state);
  }
  const next = new Map(state);
  for (const [id, listedAs] of seen) {
    const e = next.get(id);
    if (e === undefined) violations.push(`status lists ${id} (${listedAs}), which was never added`);
    else if (!inSpool(e)) violations.push(`status lists ${id} (${listedAs}), which was ${e.fate}`);
  }
  for (const e of state.values()) {
    if (!inSpool(e)) continue;
    const got = seen.get(e.id);
    if (got === undefined) {
      violations.push(`status does not list ${e.id} (${e.fate}, body ${JSON.stringify(e.mail.body)})`);
      continue;
    }
    if (e.fate === 'retrying') {
      if (got === 'frozen') next.set(e.id, { ...e, fate: 'given-up' });
      continue;
    }
    const want = isFrozen(e) ? 'frozen' : 'waiting';
    if (got !== want) violations.push(`status lists ${e.id} as ${got}, but it is ${e.fate} (${want} expected)`);
  }
  return { state: next, violations };
}

/** The messages waiting or retrying for longer than `maxDelayMs` at `now` without an attempt. */
export function overdue(state: MailState, now: number, maxDelayMs: number): MailEntry[] {
  return [...state.values()].filter((e) => mayBeDelivered(e) && now - e.since > maxDelayMs);
}
