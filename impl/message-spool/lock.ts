/**
 * The spool lock (docs/message-spool-protocol.md "Startup: the spool directory is LOCKED"), built on the Vfs alone, so a
 * simulation sees every step of it, plus a {@link ProcessProbe} that says whether an owner lives.
 *
 * Lock files are `S/.lock-<g>`, `g` a 12-digit zero-padded generation; the highest generation is
 * the lock, its content the owner id or `released`. Acquire: read the highest; a live owner (or a
 * fresh empty file: an owner still writing it) means `locked`; otherwise (released, a dead owner,
 * a stale empty file, no file) exclusive-create generation g+1 with our id, and on EEXIST judge
 * again. Release: exclusive-create g+1 holding `released`, then unlink ours. Generations only grow
 * and the highest file is unlinked only by whoever created a higher one, so two processes hold the
 * lock at once only if the probe called a live owner dead. Lock files are not fsynced: after a power
 * loss no holder is alive, so a lost lock file changes nothing. Full account:
 * `docs/message-spool-protocol.md`, "The lock".
 */
import type { Clock } from '../io/clock.ts';
import { readWholeFile, writeWholeFile } from '../io/files.ts';
import type { ProcessProbe } from '../io/processes.ts';
import { isVfsError, join, type Vfs } from '../io/vfs.ts';
import { MessageSpoolError } from './errors.ts';
import type { MessageSpoolQuirks } from './quirks.ts';

const PREFIX = '.lock-';
const DIGITS = 12;
const RELEASED = 'released';
/** How long an empty lock file counts as being written by a live owner, unless told otherwise (ms). */
export const DEFAULT_LOCK_GRACE_MS = 60_000;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** Options of {@link acquireSpoolLock}. */
export interface LockOptions {
  /** How long an empty or unreadable lock file counts as "being written" by a live owner (ms). Default {@link DEFAULT_LOCK_GRACE_MS}. */
  readonly graceMs?: number;
  /** Rounds of judging before giving up with `locked`. Default 100. */
  readonly maxRounds?: number;
  /** Bugs to switch on (tests of the harness only). */
  readonly quirks?: MessageSpoolQuirks;
}

/** A held lock. */
export interface SpoolLock {
  /** The generation we hold. */
  readonly generation: number;
  /** Hands the lock on (idempotent). */
  release(): Promise<void>;
}

/** The generation in a lock file name, or undefined if `name` is not one. */
export function lockGeneration(name: string): number | undefined {
  if (!name.startsWith(PREFIX)) return undefined;
  const digits = name.slice(PREFIX.length);
  return /^\d{12}$/.test(digits) ? Number(digits) : undefined;
}

/** `S/.lock-<g>`. */
export function lockPath(dir: string, generation: number): string {
  return join(dir, `${PREFIX}${String(generation).padStart(DIGITS, '0')}`);
}

/** What the current lock file says about whether we may take the lock. */
type Verdict = { readonly free: true } | { readonly free: false; readonly why: string } | { readonly gone: true };

async function judge(vfs: Vfs, path: string, clock: Clock, probe: ProcessProbe, graceMs: number): Promise<Verdict> {
  let owner: string;
  try {
    owner = fromUtf8.decode(await readWholeFile(vfs, path)).trim();
  } catch (err) {
    if (isVfsError(err, 'ENOENT')) return { gone: true };
    throw err;
  }
  if (owner === RELEASED) return { free: true };
  if (owner === '') {
    let mtimeMs: number;
    try {
      mtimeMs = (await vfs.stat(path)).mtimeMs;
    } catch (err) {
      if (isVfsError(err, 'ENOENT')) return { gone: true };
      throw err;
    }
    if (clock.now() - mtimeMs <= graceMs) return { free: false, why: `${path} is empty: another process is taking the lock right now` };
    return { free: true };
  }
  if (owner === probe.self) return { free: false, why: `${path} names this very process (${owner}): the spool is already open here` };
  if (probe.isAlive(owner)) return { free: false, why: `${path} is held by live process ${owner}` };
  return { free: true };
}

/** Exclusive-creates `path` holding `content`; false on EEXIST. */
async function createExclusive(vfs: Vfs, path: string, content: string): Promise<boolean> {
  try {
    await writeWholeFile(vfs, path, utf8.encode(content), { exclusive: true, fsync: false });
    return true;
  } catch (err) {
    if (isVfsError(err, 'EEXIST')) return false;
    throw err;
  }
}

/** The lock generations present in `dir`, ascending. */
async function generations(vfs: Vfs, dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const name of await vfs.readdir(dir)) {
    const g = lockGeneration(name);
    if (g !== undefined) found.push(g);
  }
  return found.sort((a, b) => a - b);
}

async function unlinkQuietly(vfs: Vfs, path: string): Promise<void> {
  try {
    await vfs.unlink(path);
  } catch (err) {
    if (!isVfsError(err, 'ENOENT')) throw err;
  }
}

/** Takes the lock of spool directory `dir` for `probe.self`, or fails with `locked` saying who holds it. */
export async function acquireSpoolLock(vfs: Vfs, dir: string, clock: Clock, probe: ProcessProbe, options: LockOptions = {}): Promise<SpoolLock> {
  const graceMs = options.graceMs ?? DEFAULT_LOCK_GRACE_MS;
  const maxRounds = options.maxRounds ?? 100;
  const quirks = options.quirks ?? {};
  let lastWhy = 'no round ran';
  for (let round = 0; round < maxRounds; round++) {
    const gens = await generations(vfs, dir);
    const top = gens.at(-1) ?? 0;
    if (top > 0) {
      const verdict = await judge(vfs, lockPath(dir, top), clock, probe, graceMs);
      if ('gone' in verdict) continue;
      if (!verdict.free) throw new MessageSpoolError('locked', `cannot lock spool ${dir}: ${verdict.why}`);
    }
    const ours = top + 1;
    if (!(await createExclusive(vfs, lockPath(dir, ours), probe.self))) {
      lastWhy = `${lockPath(dir, ours)} was created by another process first`;
      continue;
    }
    // A generation below the highest can be created again once its file was unlinked: by a
    // process that judged an older file long ago. Whoever created a file, though, created it
    // after every higher one that existed then, and a file is unlinked only by someone who
    // created a higher one first: so a newer generation on the list now means ours is stale.
    // Stryker disable next-line all: quirk selection (which buggy variant runs), not product behaviour
    const lookAgain = quirks.lockTakesStaleGeneration !== true;
    const newer = lookAgain ? (await generations(vfs, dir)).filter((g) => g > ours) : [];
    if (newer.length > 0) {
      await unlinkQuietly(vfs, lockPath(dir, ours));
      lastWhy = `${lockPath(dir, ours)} was created after a newer generation (${newer.join(', ')}): judged again`;
      continue;
    }
    for (const g of gens) await unlinkQuietly(vfs, lockPath(dir, g));
    let released = false;
    return {
      generation: ours,
      async release() {
        if (released) return;
        released = true;
        await createExclusive(vfs, lockPath(dir, ours + 1), RELEASED);
        await unlinkQuietly(vfs, lockPath(dir, ours));
      },
    };
  }
  throw new MessageSpoolError('locked', `cannot lock spool ${dir}: gave up after ${maxRounds} rounds (${lastWhy})`);
}
