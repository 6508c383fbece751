/**
 * The fixed naive ring as a spoolcheck target: it claims to survive a power cut, torn sectors
 * included, and should (see README.md): data flushed before it is published, every position
 * flushed before a call resolves, positions in two checksummed alternating copies, wrap fixed.
 *
 *   npx spoolcheck run --target examples/naive-ring/fixed-target.ts   # exit 0
 */
import type { Target } from '../../targets/target.ts';
import { naiveRing } from './adapter.ts';
import { CAREFUL } from './naive-ring.ts';

/** The naive ring with every safety switch on. */
const target: Target = {
  name: 'naive-ring-fixed',
  description: 'A naive block ring (length-prefixed records in a circular data area) with flushes before and after publishing, checksummed alternating position copies and a correct wrap.',
  ring: naiveRing(CAREFUL, ['power-loss', 'torn-writes']),
};

export default target;
