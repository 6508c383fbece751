/**
 * The multispool invariants of docs/multispool-protocol.md as checks on model (or abstracted disk) states. Each check
 * returns human-readable violations; none means the invariant holds.
 *
 * - A1 (always): every name in a queue, a checkout directory or `.data` is in the registry.
 * - A2 (always): a name is in at most one of all queue and checkout directories.
 * - A3 (history): a name in the registry is never handed out again — {@link checkNoReuse}.
 * - A4 (per checkout): only an entry with a registry file can be checked out — {@link checkCheckoutRegistered}.
 * - Quiescent (no operation running, every reservation used): {@link checkQuiescent}.
 *
 * A1 and A2 hold for every sequence of proper API use; they do not survive misuse that the
 * protocol does not prevent: `enqueue` with `use` of a name already placed, `direct.save` of a
 * registered name into a queue it is not in, or two handles on one entry (listCheckoutsUnsafe).
 */
import { locationKey, locationsOf } from './fsck.ts';
import type { HandleState, TryCheckoutValue } from './operations.ts';
import { sortedNames } from './primitives.ts';
import type { Result } from './result.ts';
import type { SpoolState } from './state.ts';

/** Violations of A1 and A2 in `spool`. */
export function checkInvariants<M, D>(spool: SpoolState<M, D>): string[] {
  const violations: string[] = [];
  const unregistered = (where: string, names: ReadonlyMap<string, unknown>): void => {
    for (const name of sortedNames(names)) {
      if (!spool.registry.has(name)) violations.push(`A1: ${JSON.stringify(name)} is in ${where} but not in the registry`);
    }
  };
  for (const [queue, qs] of spool.queues) {
    unregistered(`queue ${queue}`, qs.queued);
    unregistered(`checkout ${queue}`, qs.checkedOut);
  }
  unregistered('.data', spool.data);
  for (const name of placedNames(spool)) {
    const locations = locationsOf(spool, name);
    if (locations.length > 1) violations.push(`A2: ${JSON.stringify(name)} is in ${locations.map(locationKey).join(' and ')}`);
  }
  return violations;
}

/**
 * A3 for one reservation: `newlyReserved` must not be in `taken`. Pass the registry names just
 * before the reserve (a removed name may legitimately be reserved again), or, with a generator that
 * never repeats, every name reserved so far.
 */
export function checkNoReuse(taken: ReadonlySet<string>, newlyReserved: string): string | undefined {
  return taken.has(newlyReserved) ? `A3: ${JSON.stringify(newlyReserved)} was handed out while still reserved` : undefined;
}

/** A4 for one `tryCheckout`/`checkout` of `name`: if it checked out, `prior` (the state before) had its registry file. */
export function checkCheckoutRegistered<M, D>(
  prior: SpoolState<M, D>,
  name: string,
  result: Result<TryCheckoutValue<M>>,
): string | undefined {
  const checkedOut = result.kind === 'ok' && result.value.kind === 'checkedOut';
  return checkedOut && !prior.registry.has(name) ? `A4: ${JSON.stringify(name)} was checked out without a registry file` : undefined;
}

/**
 * The quiescent invariants: every queued or checked-out name has its data; `.tmp` is empty; every
 * registry name is in exactly one queue or checkout directory; every checked-out entry is held by
 * an unreleased handle among `handles` (released handles are ignored).
 */
export function checkQuiescent<M, D>(spool: SpoolState<M, D>, handles: readonly HandleState<M>[]): string[] {
  const violations: string[] = [];
  for (const name of placedNames(spool)) {
    if (!spool.data.has(name)) violations.push(`quiescent: ${JSON.stringify(name)} has no data file`);
  }
  for (const name of sortedNames(spool.tmp)) violations.push(`quiescent: ${JSON.stringify(name)} is left in .tmp`);
  for (const name of sortedNames(spool.registry)) {
    const count = locationsOf(spool, name).length;
    if (count !== 1) violations.push(`quiescent: registry name ${JSON.stringify(name)} is in ${count} locations`);
  }
  const held = new Set(handles.filter((h) => !h.released).map((h) => `${h.queue}/${h.name}`));
  for (const [queue, qs] of spool.queues) {
    for (const name of sortedNames(qs.checkedOut)) {
      if (!held.has(`${queue}/${name}`)) violations.push(`quiescent: ${queue}/.checkout/${JSON.stringify(name)} has no live holder`);
    }
  }
  return violations;
}

/** Every name in some queue or checkout directory, sorted, each once. */
function placedNames<M, D>(spool: SpoolState<M, D>): string[] {
  const names = new Set<string>();
  for (const qs of spool.queues.values()) {
    for (const name of qs.queued.keys()) names.add(name);
    for (const name of qs.checkedOut.keys()) names.add(name);
  }
  return [...names].sort();
}
