/**
 * The careless naive ring as a spoolcheck target. Its author claims it survives a power cut, torn
 * sectors included; it does not (see README.md): no flushes, one unchecked position sector per
 * end rewritten in place, and a record that wraps is written wrong.
 *
 *   npx spoolcheck run --target examples/naive-ring/careless-target.ts   # exit 1
 */
import type { Target } from '../../targets/target.ts';
import { naiveRing } from './adapter.ts';
import { CARELESS } from './naive-ring.ts';

/** The naive ring with every safety switch off. */
const target: Target = {
  name: 'naive-ring-careless',
  description: 'A naive block ring (length-prefixed records in a circular data area, one position sector per end) written carelessly: no flushes, positions rewritten in place, a wrap bug.',
  ring: naiveRing(CARELESS, ['power-loss', 'torn-writes']),
};

export default target;
