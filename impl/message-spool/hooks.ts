/**
 * The injected parts of delivery: the presend hook and the sender (the SMTP client, in the
 * original). Their decisions are the only inputs of the delivery state machine.
 */
import type { MessageRecord } from './record.ts';

/** What the presend hook decides for a message about to be sent. */
export type PresendDecision =
  | { readonly kind: 'sendNow' }
  | { readonly kind: 'freeze' }
  | { readonly kind: 'remove' }
  | { readonly kind: 'sendAt'; readonly at: number };

/** Called before every attempt with the message's record; default: always `sendNow`. A throw counts as "try later". */
export type Presend = (record: MessageRecord) => PresendDecision | Promise<PresendDecision>;

/** What one sender call achieved: delivered, try again later, or failed for good. */
export type SendOutcome = 'done' | 'tryLater' | 'failPermanently';

/** What the sender is given: the record (remaining recipients are the ones to send to) and the body. */
export interface Delivery {
  readonly record: MessageRecord;
  readonly body: string;
}

/** Delivers messages. A throw or a rejection counts as `tryLater`. */
export interface Sender {
  send(delivery: Delivery): Promise<SendOutcome>;
}

/** The default presend hook: always send. */
export const alwaysSendNow: Presend = () => ({ kind: 'sendNow' });
