/**
 * The built-in targets: spoolcheck's own implementations (`real`) and each buggy variant of them
 * (a variant is the real implementation with its quirks switched on). `spoolcheck targets` lists
 * them; `spoolcheck run` checks `real` unless told otherwise.
 */
import { VARIANTS, type Variant } from '../properties/variants.ts';
import { blockJournal } from './block-journal.ts';
import { blockRing } from './block-ring.ts';
import { multispoolQueue } from './multispool-queue.ts';
import { smtpSpool } from './smtp-spool.ts';
import { ATOMICALLY_TARGET } from './packages/atomically.ts';
import { PROPER_LOCKFILE_TARGET } from './packages/proper-lockfile.ts';
import { NEDB_TARGET } from './packages/nedb.ts';
import { STENO_TARGET } from './packages/steno.ts';
import { WRITE_FILE_ATOMIC_SYNC_TARGET, WRITE_FILE_ATOMIC_TARGET } from './packages/write-file-atomic.ts';
import type { BuiltinImplementations, Target } from './target.ts';

/** Our implementations with a variant's quirks, or with none (the correct ones). */
function builtinImplementations(variant?: Variant): BuiltinImplementations {
  return { multispool: variant?.multispool ?? {}, ring: variant?.ring ?? {}, journal: variant?.journal ?? {}, messageSpool: variant?.messageSpool ?? {} };
}

/** The correct implementations of every system. */
export const REAL_TARGET: Target = {
  name: 'real',
  description: "the real implementations (spoolcheck's own multispool, message spool, ring and journal)",
  builtin: builtinImplementations(),
  queue: multispoolQueue({}),
  ring: blockRing({}),
  journal: blockJournal({}),
  messageSpool: smtpSpool({}),
};

/** The target of one buggy variant: the real implementations with the variant's quirks. */
export function variantTarget(variant: Variant): Target {
  return {
    name: variant.id,
    description: `buggy variant ${variant.id} (${variant.catalog}): ${variant.description}`,
    builtin: builtinImplementations(variant),
    // Only a multispool variant has a queue of its own (a ring variant a ring, a journal variant a journal, a message spool variant a message spool): the others would check the real one again.
    // A ring variant also has a journal: the real journal on its ring, for the bugs a journal inherits from its ring.
    ...(variant.multispool === undefined ? {} : { queue: multispoolQueue(variant.multispool) }),
    ...(variant.ring === undefined ? {} : { ring: blockRing(variant.ring) }),
    ...(variant.journal === undefined && variant.ring === undefined ? {} : { journal: blockJournal(variant.journal ?? {}, variant.ring ?? {}) }),
    ...(variant.messageSpool === undefined ? {} : { messageSpool: smtpSpool(variant.messageSpool) }),
  };
}

/**
 * Real npm packages, unmodified, each behind an adapter that states what the package promises
 * (`targets/packages/`). They are development dependencies of spoolcheck, so they can be checked
 * from a checkout of it (`spoolcheck run --target write-file-atomic`), not from an installed copy.
 */
export const PACKAGE_TARGETS: readonly Target[] = [WRITE_FILE_ATOMIC_TARGET, WRITE_FILE_ATOMIC_SYNC_TARGET, ATOMICALLY_TARGET, STENO_TARGET, PROPER_LOCKFILE_TARGET, NEDB_TARGET];

/** The built-in targets, real first, then the available variants in catalog order, then the packages. */
export function builtinTargets(): Target[] {
  return [REAL_TARGET, ...VARIANTS.filter((v) => v.available).map(variantTarget), ...PACKAGE_TARGETS];
}
