/**
 * Our journal (on the block ring) behind the `JournalAdapter` contract: ops are strings, encoded
 * as UTF-8 ring items; a batch is performed at once (no flush interval), and a failed one retried
 * after the journal's retry interval.
 */
import type { JournalQuirks } from '../impl/journal/quirks.ts';
import type { RingQuirks } from '../impl/ring/quirks.ts';
import { Journal } from '../impl/journal/index.ts';
import type { JournalAdapter } from './journal-adapter.ts';

const codec = { encode: (s: string) => new TextEncoder().encode(s), decode: (b: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(b) };

/** The journal with `quirks` (none: the real one) on a ring with `ringQuirks` (none: the real one), claiming to survive power cuts and torn writes. */
export function blockJournal(quirks: JournalQuirks, ringQuirks: RingQuirks = {}): JournalAdapter {
  return {
    survives: ['power-loss', 'torn-writes'],
    async start({ device, clock, perform }) {
      const started = await Journal.start(device, {
        codec,
        clock,
        flushIntervalMs: 0,
        quirks,
        ringQuirks,
        perform: async (batch) => ((await perform(batch)) === 'ok' ? { kind: 'ok' } : { kind: 'error', message: 'perform said error' }),
      });
      if (started.kind !== 'ok') throw new Error(`journal start: ${started.kind === 'error' ? `${started.error}: ${started.message}` : started.kind}`);
      const journal = started.value;
      return {
        async push(op) {
          const r = await journal.push(op);
          if (r.kind !== 'ok') throw new Error(`journal push: ${r.kind === 'error' ? `${r.error}: ${r.message}` : r.kind}`);
        },
        shutdown: () => journal.shutdown(),
      };
    },
  };
}
