/**
 * What a mail spool may do after a crash, as a function of what had been acknowledged before it:
 * the guarantees the message-spool adapter crash properties check, through the API alone. The
 * harness reopens the spool (its recovery), lets time pass with every delivery answering
 * "delivered" (phase 1), then sends every message listed frozen and lets time pass again
 * (phase 2). Messages are known by their bodies, which are unique: a spool may give a message a
 * new id when it recovers it.
 *
 * - Durable: every message whose add was acknowledged, and which was not delivered or removed
 *   before the crash, is delivered by the end, with its envelope and body as added.
 * - Frozen stays frozen: a message whose freeze (or frozen add) was acknowledged is not
 *   delivered before it is sent (not in phase 1).
 * - No resurrection: a message whose removal was acknowledged is not delivered.
 * - No phantoms: nothing is delivered that was never added.
 * - No duplicates: recovery delivers a message at most once (a message delivered before the
 *   crash may be delivered again: at least once).
 * - Nothing stuck: after phase 2 the spool lists nothing.
 *
 * The call in flight at the crash may or may not have happened: the message of an add or a remove
 * in flight may come back or not; a freeze in flight is not held against the spool; a delivery
 * answered "delivered" (before the crash or during the call in flight) may be repeated.
 */
import type { Listed, Mail } from './mail.ts';

/** What a message may do after the crash. `never`: its add had not started. */
export type CrashFate = 'kept' | 'held' | 'maybe' | 'removed' | 'never';

/** A message of the workload and what recovery may do with it. */
export interface ExpectedMail {
  /** Its id before the crash. */
  readonly id: string;
  readonly mail: Mail;
  readonly fate: CrashFate;
}

/** A delivery recovery asked for. */
export interface RecoveredDelivery {
  readonly id: string;
  readonly mail: Mail;
  /** 1: before anything was sent; 2: after every frozen message was sent. */
  readonly phase: 1 | 2;
}

/** What recovery did. */
export interface MailRecovery {
  readonly deliveries: readonly RecoveredDelivery[];
  /** What `status` listed after phase 2. */
  readonly left: readonly Listed[];
  /** Calls of recovery that threw, in words. */
  readonly errors: readonly string[];
}

const quote = (body: string): string => JSON.stringify(body.length > 40 ? `${body.slice(0, 37)}...` : body);

/** The guarantees `recovery` breaks, in words (empty: the spool may recover so). */
export function judgeMailRecovery(expected: readonly ExpectedMail[], recovery: MailRecovery): string[] {
  const violations = [...recovery.errors];
  const byBody = new Map(expected.map((e) => [e.mail.body, e]));
  const delivered = new Set<string>();
  for (const d of recovery.deliveries) {
    const e = byBody.get(d.mail.body);
    if (e === undefined) {
      violations.push(`phantom: delivered ${d.id} with body ${quote(d.mail.body)}, which was never added`);
      continue;
    }
    if (delivered.has(d.mail.body)) violations.push(`duplicate: ${e.id} (${quote(e.mail.body)}) delivered twice by recovery`);
    delivered.add(d.mail.body);
    if (e.fate === 'never') violations.push(`phantom: delivered ${quote(e.mail.body)}, whose add had not started at the crash`);
    if (e.fate === 'removed') violations.push(`resurrected: delivered ${e.id} (${quote(e.mail.body)}), whose removal was acknowledged`);
    if (e.fate === 'held' && d.phase === 1) violations.push(`unfrozen: delivered ${e.id} (${quote(e.mail.body)}), whose freeze was acknowledged, before it was sent`);
    if (d.mail.sender !== e.mail.sender || JSON.stringify([...d.mail.recipients].sort()) !== JSON.stringify([...e.mail.recipients].sort())) {
      violations.push(`corrupted: ${e.id} delivered from ${JSON.stringify(d.mail.sender)} to ${JSON.stringify(d.mail.recipients)}, added from ${JSON.stringify(e.mail.sender)} to ${JSON.stringify(e.mail.recipients)}`);
    }
  }
  for (const e of expected) {
    if ((e.fate === 'kept' || e.fate === 'held') && !delivered.has(e.mail.body)) violations.push(`lost: acknowledged message ${e.id} (${quote(e.mail.body)}) was never delivered after the crash`);
  }
  for (const l of recovery.left) violations.push(`stuck: status still lists ${l.id} (${l.state}) after every frozen message was sent and time passed`);
  return violations;
}
