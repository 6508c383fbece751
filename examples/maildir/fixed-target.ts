/**
 * The fixed Maildir as a spoolcheck target: it claims to survive a kill and a power loss, and
 * should (see README.md): fsyncs before every acknowledgement, unique names, recovery on open.
 *
 *   npx spoolcheck run --target examples/maildir/fixed-target.ts   # exit 0
 */
import type { Target } from '../../targets/target.ts';
import { maildirQueue } from './adapter.ts';
import { CAREFUL } from './maildir.ts';

/** The Maildir with every safety switch on. */
const target: Target = {
  name: 'maildir-fixed',
  description: 'A Maildir-style file-per-item queue (tmp/ → new/ → cur/) with file and directory fsyncs, unique names and recovery of cur/ and tmp/ on open.',
  queue: maildirQueue(CAREFUL, ['process-crash', 'power-loss']),
};

export default target;
