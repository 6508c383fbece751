/**
 * What a program relied on, read off a crash state that broke it (ALICE's "vulnerabilities"): the
 * orderings and atomicities the profile did not give and the state shows missing. From the
 * micro-steps the crash kept and lost:
 * - ordering, data before a name: a write (or size change) of a file was lost while a later
 *   rename or link of that file was kept;
 * - ordering, a name before what followed: a directory change (create, rename, unlink) was lost
 *   while a later call was kept;
 * - durability before saying so: a change was lost though the program wrote to its output after
 *   it (it told someone before the change was durable);
 * - atomicity: one call's micro-steps were kept in part (a write landed torn, a rename left both
 *   names).
 *
 * Fault contract, in plain words: none; this only reads a crash state.
 */
import type { CrashState } from './explore.ts';
import type { Expansion, MicroStep } from './profiles.ts';

const isEntry = (m: MicroStep): boolean => m.step.kind === 'link' || m.step.kind === 'unlink' || m.step.kind === 'rename';
const isData = (m: MicroStep): boolean => m.step.kind === 'write' || m.step.kind === 'setSize';
const inodeOf = (m: MicroStep): number | undefined => ('inode' in m.step ? m.step.inode : undefined);

/** The reliances a crash state shows, one sentence each, the most telling first; at most `max`. */
export function relianceOf(expansion: Expansion, state: CrashState, max = 6): string[] {
  const lostIndexes = new Set(state.lost.map((m) => m.index));
  const kept = expansion.steps.slice(0, state.point.position).filter((m) => !lostIndexes.has(m.index));
  const out = new Set<string>();
  const label = (m: MicroStep): string => `\`${m.callLabel}\``;
  for (const lost of state.lost) {
    if (isData(lost)) {
      const renamed = kept.find((k) => k.index > lost.index && (k.step.kind === 'rename' || k.step.kind === 'link') && inodeOf(k) === inodeOf(lost));
      if (renamed !== undefined) out.add(`ordering: the data of ${label(lost)} reaching the disk before ${label(renamed)} (no fsync of the file between them)`);
    }
    if (isEntry(lost)) {
      const later = kept.find((k) => k.index > lost.index && k.call !== lost.call);
      if (later !== undefined) out.add(`ordering: ${label(lost)} reaching the disk before ${label(later)} (no fsync of its directory between them)`);
    }
    const saidAfter = expansion.marks.find((mk) => mk.position > lost.index && mk.position <= state.point.position);
    if (saidAfter !== undefined) out.add(`durability: ${label(lost)} being on the disk once the program said ${saidAfter.label.replace(/^output: /, '')} (no fsync${isEntry(lost) ? ' of its directory' : ''} after it)`);
  }
  const byCall = new Map<number, { kept: number; lost: number; sample: MicroStep }>();
  for (const m of [...kept, ...state.lost]) {
    if (m.parts < 2) continue;
    const c = byCall.get(m.call) ?? { kept: 0, lost: 0, sample: m };
    if (lostIndexes.has(m.index)) c.lost++;
    else c.kept++;
    byCall.set(m.call, c);
  }
  for (const c of byCall.values()) if (c.kept > 0 && c.lost > 0) out.add(`atomicity: ${label(c.sample)} landing whole (${c.kept} of its ${c.kept + c.lost} micro-steps landed)`);
  const ordered = [...out].sort((a, b) => rank(a) - rank(b));
  return ordered.length <= max ? ordered : [...ordered.slice(0, max), `... and ${ordered.length - max} more`];
}

function rank(s: string): number {
  return s.startsWith('durability') ? 0 : s.startsWith('ordering') ? 1 : 2;
}
