/**
 * The careless Maildir as a spoolcheck target. Its author claims it survives a kill and a power
 * loss; it does neither (see README.md): no fsyncs, timestamp-only names, no recovery of `cur/`.
 *
 *   npx spoolcheck run --target examples/maildir/careless-target.ts   # exit 1
 */
import type { Target } from '../../targets/target.ts';
import { maildirQueue } from './adapter.ts';
import { CARELESS } from './maildir.ts';

/** The Maildir with every safety switch off. */
const target: Target = {
  name: 'maildir-careless',
  description: 'A Maildir-style file-per-item queue (tmp/ → new/ → cur/) written carelessly: no fsyncs, timestamp names, no recovery on open.',
  queue: maildirQueue(CARELESS, ['process-crash', 'power-loss']),
};

export default target;
