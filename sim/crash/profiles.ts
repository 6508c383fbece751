/**
 * Persistence profiles: what a crash may leave of a recorded history (docs/persistence-profiles.md). Each profile is
 * a documented value with three parts: how a call is cut into micro-steps, which micro-steps must
 * land before which (ordering edges), and which steps a completed fsync makes durable.
 *
 * Fault contract, in plain words. A crash at a point of the history keeps every step the profile
 * forces (made durable by a completed fsync or fsyncDir, or by the profile's own ordering) and
 * ANY other set of earlier micro-steps that respects the ordering edges; everything else is lost.
 * A crash may fall between the micro-steps of a single call in every profile.
 *
 * - `strict` (the POSIX minimum; ALICE's weakest model): a write lands in pieces of
 *   {@link STRICT_PIECE_BYTES} bytes in any order, after its size growth (so zeros can show);
 *   a rename is two micro-steps in order: point the new name at the file (replacing any target
 *   in one step, as POSIX requires the new name to stay visible throughout), then drop the old
 *   name; so a crash mid-rename can leave both names, never neither; fsync(file) makes that
 *   file's earlier data and mtime durable, and nothing about its name; fsync(dir) makes that
 *   directory's earlier entry changes durable. Nothing else is ordered.
 * - `ext4-ordered` (ext4 with data=ordered and auto_da_alloc): a rename is one atomic step;
 *   directory operations (create, unlink, rename) land in the order they were made; a file's data
 *   written before a rename of that file lands before the rename; writes land in pieces of
 *   {@link EXT4_PIECE_BYTES} bytes; any fsync or fsyncDir commits the journal, making every
 *   earlier directory operation durable (plus, for fsync, the file's data).
 * - `process-crash` (kill -9; the machine keeps running): every completed call is durable, in
 *   order; only the call in flight is cut, and only where Linux can cut it: a write between
 *   pages ({@link PAGE_BYTES}), the file growing with the pages that landed (never zeros where
 *   the write was going), a call made of several steps between its steps.
 */
import type { ImageStep, Inode } from './disk-image.ts';
import type { History } from './history.ts';

/** The names of the built-in profiles. */
export type ProfileName = 'strict' | 'ext4-ordered' | 'process-crash';

/** One micro-step of an expanded history. */
export interface MicroStep {
  /** Position in the expanded history (0-based). */
  readonly index: number;
  /** Its effect on a disk image. */
  readonly step: ImageStep;
  /** The call it belongs to (`CallRecord.id`) and that call's label. */
  readonly call: number;
  readonly callLabel: string;
  /** Which micro-step of its call this is (1-based) and how many the call has. */
  readonly part: number;
  readonly parts: number;
  /** True for the later parts of a non-atomic rename: they land only after the part before. */
  readonly chained: boolean;
}

/** A history cut into micro-steps, with the position of every workload marker. */
export interface Expansion {
  readonly steps: readonly MicroStep[];
  /** Each marker with the number of micro-steps recorded before it. */
  readonly marks: readonly { readonly label: string; readonly position: number }[];
}

/** A persistence profile (see the module comment). */
export interface PersistenceProfile {
  readonly name: ProfileName;
  /** One paragraph, for reports and `--help`. */
  readonly description: string;
  /** Cuts the history's calls into micro-steps. */
  expand(history: History): Expansion;
  /** For each micro-step, the earlier micro-steps that must have landed if it did. */
  requires(steps: readonly MicroStep[]): readonly (readonly number[])[];
  /**
   * The earlier micro-steps that micro-step `j` makes durable once it is done (an fsync, or the
   * end of a call for `process-crash`). A crash at point k keeps everything made durable by the
   * steps before k, and what those steps require.
   */
  durableOnceDone(steps: readonly MicroStep[], j: number): readonly number[];
}

/** Piece size of writes under `strict`: small, so that even short files can tear. */
export const STRICT_PIECE_BYTES = 8;
/** Piece size of writes under `ext4-ordered` (a file-system block is larger; this is conservative). */
export const EXT4_PIECE_BYTES = 8;
/** Linux stops a write for a fatal signal only between pages. */
export const PAGE_BYTES = 4096;

const isEntryStep = (s: ImageStep): boolean => s.kind === 'link' || s.kind === 'unlink' || s.kind === 'rename';
const isDataStep = (s: ImageStep): boolean => s.kind === 'write' || s.kind === 'setSize' || s.kind === 'setMtime';
const dataInode = (s: ImageStep): Inode | undefined =>
  s.kind === 'write' || s.kind === 'setSize' ? s.inode : s.kind === 'setMtime' ? s.inode : undefined;
/** The directories whose entries a step changes. */
const entryDirs = (s: ImageStep): Inode[] =>
  s.kind === 'link' || s.kind === 'unlink' ? [s.dir] : s.kind === 'rename' ? [s.fromDir, s.toDir] : [];

/** Splits one logical step into the micro-steps a profile sees. */
function split(step: ImageStep, pieceBytes: number, atomicRename: boolean): ImageStep[] {
  if (step.kind === 'write' && step.data.length > pieceBytes) {
    const pieces: ImageStep[] = [];
    for (let off = 0; off < step.data.length; off += pieceBytes) {
      pieces.push({ ...step, offset: step.offset + off, data: step.data.subarray(off, Math.min(step.data.length, off + pieceBytes)) });
    }
    return pieces;
  }
  if (step.kind === 'rename' && !atomicRename) {
    return [
      { kind: 'link', dir: step.toDir, name: step.toName, inode: step.inode, at: step.at },
      { kind: 'unlink', dir: step.fromDir, name: step.fromName, at: step.at },
    ];
  }
  return [step];
}

/**
 * Expands a history into micro-steps. With `growWithData`, a write that extends its file does not
 * grow the file before its data lands: each piece grows the file as far as it reaches (what a
 * killed process leaves: Linux extends the size page by page as the data is copied in, so a kill
 * can never leave zeros where the write was going).
 */
function expandWith(history: History, pieceBytes: number, atomicRename: boolean, growWithData = false): Expansion {
  const steps: MicroStep[] = [];
  const marks: { label: string; position: number }[] = [];
  for (const record of history.records) {
    if (record.kind === 'mark') {
      marks.push({ label: record.label, position: steps.length });
      continue;
    }
    const micro: { step: ImageStep; chained: boolean }[] = [];
    for (const [i, step] of record.steps.entries()) {
      const next = record.steps[i + 1];
      if (growWithData && step.kind === 'setSize' && next?.kind === 'write' && next.inode === step.inode && next.offset + next.data.length === step.size) continue;
      const chained = step.kind === 'rename' && !atomicRename;
      split(step, pieceBytes, atomicRename).forEach((part, i) => micro.push({ step: part, chained: chained && i > 0 }));
    }
    micro.forEach(({ step, chained }, i) =>
      steps.push({ index: steps.length, step, call: record.id, callLabel: record.label, part: i + 1, parts: micro.length, chained }),
    );
  }
  return { steps, marks };
}

/** Edges shared by strict and ext4: a write's pieces need the size growth of the same call. */
function pieceEdges(steps: readonly MicroStep[], edges: number[][]): void {
  for (const s of steps) {
    if (s.step.kind !== 'write') continue;
    for (let j = s.index - 1; j >= 0 && steps[j]?.call === s.call; j--) {
      const prev = steps[j] as MicroStep;
      if (prev.step.kind === 'setSize' && prev.step.inode === s.step.inode) (edges[s.index] as number[]).push(j);
    }
  }
}

/** The POSIX minimum (see the module comment). */
export const STRICT: PersistenceProfile = {
  name: 'strict',
  description:
    'POSIX minimum: writes land in 8-byte pieces in any order after the size growth; rename is link-new (replacing the target) then unlink-old, so both names can survive; fsync(file) makes only its data durable, fsync(dir) only its entries; nothing else is ordered.',
  expand: (history) => expandWith(history, STRICT_PIECE_BYTES, false),
  requires(steps) {
    const edges: number[][] = steps.map(() => []);
    pieceEdges(steps, edges);
    // The parts of one non-atomic rename stay in order.
    for (const s of steps) if (s.chained) (edges[s.index] as number[]).push(s.index - 1);
    return edges;
  },
  durableOnceDone(steps, j) {
    const sync = (steps[j] as MicroStep).step;
    const out: number[] = [];
    if (sync.kind === 'fsync') {
      for (let i = 0; i < j; i++) if (dataInode((steps[i] as MicroStep).step) === sync.inode) out.push(i);
    } else if (sync.kind === 'fsyncDir') {
      for (let i = 0; i < j; i++) if (entryDirs((steps[i] as MicroStep).step).includes(sync.dir)) out.push(i);
    }
    return out;
  },
};

/** ext4 with data=ordered (see the module comment). */
export const EXT4_ORDERED: PersistenceProfile = {
  name: 'ext4-ordered',
  description:
    'ext4 data=ordered: rename atomic; directory operations land in order; a file\'s earlier data lands before its rename; any fsync commits every earlier directory operation; data lands in 8-byte pieces otherwise unordered.',
  expand: (history) => expandWith(history, EXT4_PIECE_BYTES, true),
  requires(steps) {
    const edges: number[][] = steps.map(() => []);
    pieceEdges(steps, edges);
    let lastEntry = -1;
    for (const s of steps) {
      if (!isEntryStep(s.step)) continue;
      if (lastEntry >= 0) (edges[s.index] as number[]).push(lastEntry);
      lastEntry = s.index;
      if (s.step.kind === 'rename') {
        const moved = s.step.inode;
        for (let i = 0; i < s.index; i++) {
          const earlier = (steps[i] as MicroStep).step;
          if (isDataStep(earlier) && dataInode(earlier) === moved) (edges[s.index] as number[]).push(i);
        }
      }
    }
    return edges;
  },
  durableOnceDone(steps, j) {
    const sync = (steps[j] as MicroStep).step;
    const out: number[] = [];
    if (sync.kind !== 'fsync' && sync.kind !== 'fsyncDir') return out;
    for (let i = 0; i < j; i++) {
      const s = (steps[i] as MicroStep).step;
      if (isEntryStep(s) || (sync.kind === 'fsync' && dataInode(s) === sync.inode)) out.push(i);
    }
    return out;
  },
};

/** kill -9 (see the module comment). */
export const PROCESS_CRASH: PersistenceProfile = {
  name: 'process-crash',
  description: 'kill -9: every completed call is durable, in order; only the call in flight is cut (between its steps, or a write between pages).',
  expand: (history) => expandWith(history, PAGE_BYTES, true, true),
  requires: (steps) => steps.map((s) => (s.index > 0 ? [s.index - 1] : [])),
  // The last micro-step of a call completes it; the chain of `requires` carries everything before.
  durableOnceDone: (steps, j) => ((steps[j] as MicroStep).part === (steps[j] as MicroStep).parts ? [j] : []),
};

/** Every built-in profile, weakest first. */
export const PROFILES: readonly PersistenceProfile[] = [STRICT, EXT4_ORDERED, PROCESS_CRASH];

/** Finds a profile by name. */
export function findProfile(name: string): PersistenceProfile | undefined {
  return PROFILES.find((p) => p.name === name);
}
