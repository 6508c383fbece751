/**
 * The built-in targets: spoolcheck's own implementations (`real`) and each buggy variant of them
 * (a variant is the real implementation with its quirks switched on). `spoolcheck targets` lists
 * them; `spoolcheck run` checks `real` unless told otherwise.
 */
import { NO_MESSAGE_SPOOL_QUIRKS } from '../impl/message-spool/quirks.ts';
import { NO_QUIRKS } from '../impl/multispool/quirks.ts';
import type { Variant } from '../properties/variants.ts';
import type { BuiltinImplementations, Target } from './target.ts';

function builtinTarget(name: string, description: string, builtin: BuiltinImplementations): Target {
  return { name, description, builtin };
}

/** The correct implementations of every system. */
export const REAL_TARGET: Target = builtinTarget('real', "spoolcheck's own multispool, message spool, ring and journal", {
  multispool: NO_QUIRKS,
  ring: {},
  journal: {},
  messageSpool: NO_MESSAGE_SPOOL_QUIRKS,
});

/** The target of one buggy variant: the real implementations with the variant's quirks. */
export function variantTarget(variant: Variant): Target {
  return builtinTarget(variant.id, `buggy variant ${variant.id} (${variant.catalog}): ${variant.description}`, {
    multispool: variant.multispool ?? NO_QUIRKS,
    ring: variant.ring ?? {},
    journal: variant.journal ?? {},
    messageSpool: variant.messageSpool ?? NO_MESSAGE_SPOOL_QUIRKS,
  });
}
