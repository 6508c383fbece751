/**
 * A target is what a property checks: the implementation under test, handed to the harness as a
 * plain object. spoolcheck's own implementations, each buggy variant of them, and a user's adapter
 * of their own spool, queue or ring are all targets, and every property gets the implementation it
 * checks from the target of its run and from nowhere else.
 *
 * A target declares what it can do by the capabilities it fills in. A property names the
 * capabilities it needs (`PropertyDef.requires`); on a target that lacks one, the property is
 * reported "not applicable", never "holds".
 *
 * - `queue`: a multispool-like queue (`QueueAdapter`): checked through its own API only, so a
 *   spool with any directory layout can be checked, under crashes of every persistence profile.
 * - `builtin`: only spoolcheck's own implementations have it: the quirks that make our real
 *   implementation one of its buggy variants (none for the correct one). The suites that compare
 *   our implementations' disk layout, control sectors and internals with the reference models need
 *   it: they know our layout, which a third-party implementation does not share.
 */
import type { JournalQuirks } from '../impl/journal/quirks.ts';
import type { MessageSpoolQuirks } from '../impl/message-spool/quirks.ts';
import type { MultispoolQuirks } from '../impl/multispool/quirks.ts';
import type { RingQuirks } from '../impl/ring/quirks.ts';
import type { QueueAdapter } from './queue-adapter.ts';

/** The configuration of spoolcheck's own implementations that a built-in target checks. */
export interface BuiltinImplementations {
  readonly multispool: MultispoolQuirks;
  readonly ring: RingQuirks;
  readonly journal: JournalQuirks;
  readonly messageSpool: MessageSpoolQuirks;
}

/** What a property checks. */
export interface Target {
  /** A short name for reports and replay lines (`real`, `MS-2`, `maildir-careless`). */
  readonly name: string;
  /** One sentence: what this implementation is. */
  readonly description: string;
  /** A multispool-like queue, checked through its API. */
  readonly queue?: QueueAdapter;
  /** spoolcheck's own implementations (and their variants): never set this in a target of your own. */
  readonly builtin?: BuiltinImplementations;
}

/** Every capability a target may have: the optional fields of {@link Target}. */
export const CAPABILITIES = ['queue', 'builtin'] as const;

/** A capability a property may need. */
export type Capability = (typeof CAPABILITIES)[number];

/** The capabilities `target` has, in {@link CAPABILITIES} order. */
export function capabilitiesOf(target: Target): Capability[] {
  return CAPABILITIES.filter((c) => target[c] !== undefined);
}

/** The capabilities of `requires` that `target` lacks (empty: the property applies). */
export function missingCapabilities(target: Target, requires: readonly Capability[]): Capability[] {
  return requires.filter((c) => target[c] === undefined);
}

/** Throws a clear error when a module's export is not a target; returns it typed otherwise. */
export function asTarget(value: unknown, where: string): Target {
  if (typeof value !== 'object' || value === null) throw new TypeError(`${where}: the default export must be a target object, got ${value === null ? 'null' : typeof value}`);
  const t = value as Record<string, unknown>;
  if (typeof t['name'] !== 'string' || t['name'] === '') throw new TypeError(`${where}: a target needs a non-empty string 'name'`);
  if (typeof t['description'] !== 'string') throw new TypeError(`${where}: target '${t['name']}' needs a string 'description'`);
  const known = new Set<string>(['name', 'description', ...CAPABILITIES]);
  const unknown = Object.keys(t).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new TypeError(`${where}: target '${t['name']}' has unknown field(s) ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  if (t['queue'] !== undefined) {
    const q = t['queue'] as Record<string, unknown>;
    if (typeof q !== 'object' || q === null || typeof q['open'] !== 'function') throw new TypeError(`${where}: target '${t['name']}': 'queue' must be an object with an open(world) function`);
  }
  if (t['builtin'] !== undefined) throw new TypeError(`${where}: target '${t['name']}': 'builtin' is reserved for spoolcheck's own implementations`);
  return value as Target;
}
