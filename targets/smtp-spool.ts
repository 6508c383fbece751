/**
 * Our message spool behind the `MessageSpoolAdapter` contract, so that the message-spool adapter
 * properties check it the way they check a user's spool: through the API only. A message is one
 * envelope added alone; the delivery function is the spool's sender (`done`, `tryLater` and
 * `failPermanently` for `delivered`, `try-later` and `failed`), the presend hook always sends;
 * retries come after 1 s and then 5 s, after which the spool gives up (frozen). `status` maps
 * sendNow, sendAt and sending to waiting, frozen to frozen (the other statuses are not waiting or
 * frozen and are not listed). Opening takes the spool lock as the world's process.
 */
import { MessageSpool, type IdResult } from '../impl/message-spool/message-spool.ts';
import type { SendOutcome } from '../impl/message-spool/hooks.ts';
import type { MessageSpoolQuirks } from '../impl/message-spool/quirks.ts';
import type { DeliveryOutcome, MessageSpoolAdapter, MessageSpoolHandle, SpooledMessage } from './message-spool-adapter.ts';

/** The retry intervals of the adapter's spool, in ms: its longest is the adapter's `maxRetryDelayMs`. */
export const SMTP_SPOOL_RETRY_INTERVALS: readonly number[] = [1_000, 5_000];

const OUTCOMES: Readonly<Record<DeliveryOutcome, SendOutcome>> = { delivered: 'done', 'try-later': 'tryLater', failed: 'failPermanently' };

/** Throws unless the one id of a bulk operation went `ok`. */
function onlyOk(call: string, results: readonly IdResult[]): void {
  const bad = results.filter((r) => r.result !== 'ok');
  if (bad.length > 0) throw new Error(`${call}: ${bad.map((r) => `${r.id}: ${r.result}`).join(', ')}`);
}

/** The message spool with `quirks` (none: the real one), claiming to survive kills and power loss. */
export function smtpSpool(quirks: MessageSpoolQuirks): MessageSpoolAdapter {
  return {
    survives: ['process-crash', 'power-loss'],
    maxRetryDelayMs: Math.max(...SMTP_SPOOL_RETRY_INTERVALS),
    async open(world): Promise<MessageSpoolHandle> {
      const spool = await MessageSpool.open(world.vfs, world.dir, {
        clock: world.clock,
        processes: world.processes,
        retryIntervals: SMTP_SPOOL_RETRY_INTERVALS,
        quirks,
        sender: {
          send: async ({ record, body }) => OUTCOMES[await world.deliver(record.id, { sender: record.sender, recipients: record.remainingRecipients, body })],
        },
      });
      return {
        async add(message, { frozen }) {
          const [id] = await spool.add([{ sender: message.sender, recipients: message.recipients, body: message.body }], {
            initialStatus: frozen ? 'frozen' : 'sendNow',
            parentId: 'spoolcheck',
          });
          return id as string;
        },
        freeze: async (id) => onlyOk('freeze', await spool.freeze([id])),
        send: async (id) => onlyOk('send', await spool.send({ ids: [id] })),
        remove: async (id) => onlyOk('remove', await spool.remove([id])),
        async status() {
          const listed: SpooledMessage[] = [];
          for (const r of spool.status()) {
            const k = r.status.kind;
            if (k === 'frozen') listed.push({ id: r.id, state: 'frozen' });
            else if (k === 'sendNow' || k === 'sendAt' || k === 'sending') listed.push({ id: r.id, state: 'waiting' });
          }
          return listed;
        },
        close: () => spool.close(),
      };
    },
  };
}
