/**
 * A Maildir-style queue: every item is one file, and the directory it sits in is its state.
 *
 *   <root>/tmp/<id>   being delivered (written, not yet visible)
 *   <root>/new/<id>   available
 *   <root>/cur/<id>   checked out by some process
 *   <root>/sessions/<n>   (careful naming only) the highest open "session" number ever taken
 *
 * Delivery writes `tmp/<id>` and renames it to `new/<id>`, so a reader never sees a half-written
 * item. Checkout renames `new/<id>` to `cur/<id>`: rename is atomic, so of several processes
 * racing for one item exactly one rename succeeds and the others get ENOENT. Release renames it
 * back; remove unlinks `cur/<id>`.
 *
 * How careful the queue is about durability, naming and recovery is chosen by
 * {@link MaildirOptions}: {@link CARELESS} is the queue as it is often first written,
 * {@link CAREFUL} is the fixed one. Every file access goes through the injected {@link Vfs},
 * and time comes only from the injected {@link Clock}.
 *
 * Recovery on open (`recoverCur`, `cleanTmp`) assumes one process opens the queue at a time, as
 * after a restart: a second process opening the queue while the first still runs would give back
 * the first one's checkouts and delete its deliveries in progress.
 */
import type { Clock } from '../../impl/io/clock.ts';
import { dirname, isVfsError, join, type Vfs, type VfsFile } from '../../impl/io/vfs.ts';

/** What the queue does to be safe; each switch fixes one bug of the careless version. */
export interface MaildirOptions {
  /**
   * fsync the item's file in `tmp/` before renaming it into `new/`. Without it, a power loss can
   * leave the published name pointing at an empty or partly written file.
   */
  readonly fsyncFile: boolean;
  /**
   * fsync the directories whose entries a call changed before the call resolves (`new/` and
   * `tmp/` after a delivery, `cur/` and `new/` after a checkout or a release, `cur/` after a
   * remove, the root after creating the subdirectories). Without it, a power loss can undo an
   * acknowledged delivery (the name in `new/` was never durable) or bring back a removed item.
   * The directory gaining a name is fsynced before the one losing it, so a crash in between
   * leaves the item in both places (recovery merges them), never in neither.
   */
  readonly fsyncDirs: boolean;
  /**
   * Names that no other item of this queue has or had. Off: the id is just `${clock.now()}`, so
   * two deliveries in the same millisecond get the same name and the second silently replaces
   * the first (its tmp file is truncated and renamed over `new/<id>`), and both callers are told
   * the same id. On: the id is `${now}.${counter}.${session}`, where `session` is a number taken
   * at open by exclusively creating `sessions/<n>` (higher than any taken before, so no two opens,
   * even concurrent ones or ones in the same millisecond, share it) and `counter` counts this
   * open's deliveries; the tmp file is created exclusively (O_EXCL), and a name already present in
   * `tmp/`, `new/` or `cur/` is skipped with the counter bumped.
   */
  readonly uniqueNames: boolean;
  /**
   * On open, move every file in `cur/` back to `new/`: the items the previous process had checked
   * out when it died are given back (at-least-once). Without it they stay in `cur/` forever,
   * neither listed nor checkable out: lost.
   */
  readonly recoverCur: boolean;
  /**
   * On open, delete every file left in `tmp/` (deliveries the previous process never finished,
   * never acknowledged). Without it they pile up for ever.
   */
  readonly cleanTmp: boolean;
}

/** The queue as first written: no fsyncs, timestamp names, no recovery. */
export const CARELESS: MaildirOptions = { fsyncFile: false, fsyncDirs: false, uniqueNames: false, recoverCur: false, cleanTmp: false };

/** The fixed queue: every switch on. */
export const CAREFUL: MaildirOptions = { fsyncFile: true, fsyncDirs: true, uniqueNames: true, recoverCur: true, cleanTmp: true };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** True when `id` is a plain file name (so it cannot reach outside the queue's directories). */
function isPlainName(id: string): boolean {
  return id !== '' && id !== '.' && id !== '..' && !id.includes('/') && !id.includes('\0');
}

/** One process's open Maildir queue. */
export class Maildir {
  readonly #vfs: Vfs;
  readonly #clock: Clock;
  readonly #options: MaildirOptions;
  readonly #tmp: string;
  readonly #new: string;
  readonly #cur: string;
  /** The session number of this open (only with `uniqueNames`). */
  readonly #session: number;
  /** Deliveries started by this open: the `counter` of careful names. */
  #counter = 0;
  /** The ids this open has checked out and not yet released or removed. */
  readonly #checkedOut = new Set<string>();

  private constructor(vfs: Vfs, root: string, clock: Clock, options: MaildirOptions, session: number) {
    this.#vfs = vfs;
    this.#clock = clock;
    this.#options = options;
    this.#tmp = join(root, 'tmp');
    this.#new = join(root, 'new');
    this.#cur = join(root, 'cur');
    this.#session = session;
  }

  /**
   * Opens the queue in directory `root` of `vfs`, creating `root` and its subdirectories as
   * needed; then, as `options` say, takes a session number, cleans `tmp/` and gives back `cur/`.
   */
  static async open(vfs: Vfs, root: string, clock: Clock, options: MaildirOptions): Promise<Maildir> {
    const fsyncIf = async (changed: boolean, dir: string): Promise<void> => {
      if (changed && options.fsyncDirs) await vfs.fsyncDir(dir);
    };
    await fsyncIf(await makeDir(vfs, root), dirname(root));
    let created = false;
    for (const sub of ['tmp', 'new', 'cur']) created = (await makeDir(vfs, join(root, sub))) || created;
    await fsyncIf(created, root);
    const session = options.uniqueNames ? await takeSession(vfs, root, options.fsyncDirs) : 0;
    const maildir = new Maildir(vfs, root, clock, options, session);
    if (options.cleanTmp) await maildir.#cleanTmp();
    if (options.recoverCur) await maildir.#recoverCur();
    return maildir;
  }

  /** Delivers `data` as a new item: resolves with its id once it is in `new/`. */
  async enqueue(data: string): Promise<string> {
    const bytes = encoder.encode(data);
    const { id, file } = await this.#createTmp();
    const tmp = join(this.#tmp, id);
    try {
      try {
        if (bytes.length > 0) await file.write(0, bytes);
        if (this.#options.fsyncFile) await file.fsync();
      } finally {
        await file.close();
      }
      await this.#vfs.rename(tmp, join(this.#new, id));
    } catch (err) {
      await this.#vfs.unlink(tmp).catch(() => {});
      throw err;
    }
    await this.#fsyncDirs(this.#new, this.#tmp);
    return id;
  }

  /** The ids of the available items (the names in `new/`). */
  async list(): Promise<string[]> {
    return this.#vfs.readdir(this.#new);
  }

  /**
   * Takes item `id` for exclusive processing by renaming it into `cur/`: its data, or `undefined`
   * when it is not in `new/` (never delivered, removed, or checked out by anyone, this open included).
   */
  async checkout(id: string): Promise<string | undefined> {
    if (!isPlainName(id)) return undefined;
    const cur = join(this.#cur, id);
    try {
      await this.#vfs.rename(join(this.#new, id), cur);
    } catch (err) {
      if (isVfsError(err, 'ENOENT')) return undefined;
      throw err;
    }
    this.#checkedOut.add(id);
    await this.#fsyncDirs(this.#cur, this.#new);
    const file = await this.#vfs.open(cur, {});
    try {
      return decoder.decode(await file.read(0, await file.size()));
    } finally {
      await file.close();
    }
  }

  /** Gives back an item this open checked out (renames it from `cur/` to `new/`). */
  async release(id: string): Promise<void> {
    this.#mustHold(id, 'release');
    await this.#vfs.rename(join(this.#cur, id), join(this.#new, id));
    this.#checkedOut.delete(id);
    await this.#fsyncDirs(this.#new, this.#cur);
  }

  /** Deletes for good an item this open checked out (unlinks it from `cur/`). */
  async remove(id: string): Promise<void> {
    this.#mustHold(id, 'remove');
    await this.#vfs.unlink(join(this.#cur, id));
    this.#checkedOut.delete(id);
    await this.#fsyncDirs(this.#cur);
  }

  /** Throws unless this open holds `id` checked out (so it never touches another process's item). */
  #mustHold(id: string, call: string): void {
    if (!this.#checkedOut.has(id)) throw new Error(`maildir ${call}: '${id}' is not checked out by this process`);
  }

  /** With `fsyncDirs`, fsyncs `dirs` in order (the one gaining a name first). */
  async #fsyncDirs(...dirs: string[]): Promise<void> {
    if (!this.#options.fsyncDirs) return;
    for (const dir of dirs) await this.#vfs.fsyncDir(dir);
  }

  /** Picks the id of a new delivery and creates its file in `tmp/` (see `uniqueNames`). */
  async #createTmp(): Promise<{ id: string; file: VfsFile }> {
    if (!this.#options.uniqueNames) {
      const id = `${this.#clock.now()}`;
      return { id, file: await this.#vfs.open(join(this.#tmp, id), { write: true, create: true, truncate: true }) };
    }
    for (;;) {
      const id = `${this.#clock.now()}.${this.#counter++}.${this.#session}`;
      const tmp = join(this.#tmp, id);
      let file: VfsFile;
      try {
        file = await this.#vfs.open(tmp, { write: true, create: true, exclusive: true });
      } catch (err) {
        if (isVfsError(err, 'EEXIST')) continue;
        throw err;
      }
      if (!(await exists(this.#vfs, join(this.#new, id))) && !(await exists(this.#vfs, join(this.#cur, id)))) return { id, file };
      await file.close();
      await this.#vfs.unlink(tmp);
    }
  }

  /** Deletes every leftover file in `tmp/` (see `cleanTmp`). */
  async #cleanTmp(): Promise<void> {
    const names = await this.#vfs.readdir(this.#tmp);
    for (const name of names) await this.#vfs.unlink(join(this.#tmp, name));
    if (names.length > 0) await this.#fsyncDirs(this.#tmp);
  }

  /** Moves every file in `cur/` back to `new/` (see `recoverCur`). */
  async #recoverCur(): Promise<void> {
    const names = await this.#vfs.readdir(this.#cur);
    for (const name of names) await this.#vfs.rename(join(this.#cur, name), join(this.#new, name));
    if (names.length > 0) await this.#fsyncDirs(this.#new, this.#cur);
  }
}

/** Creates directory `path` unless it exists; true when it was created. */
async function makeDir(vfs: Vfs, path: string): Promise<boolean> {
  try {
    await vfs.mkdir(path);
    return true;
  } catch (err) {
    if (isVfsError(err, 'EEXIST')) return false;
    throw err;
  }
}

/** True when `path` exists. */
async function exists(vfs: Vfs, path: string): Promise<boolean> {
  try {
    await vfs.stat(path);
    return true;
  } catch (err) {
    if (isVfsError(err, 'ENOENT')) return false;
    throw err;
  }
}

/**
 * Takes a session number no open of this queue has taken before: one more than the highest in
 * `<root>/sessions/`, by exclusive create (a racing open that got it first makes us try the next).
 * The new name is made durable (with `fsyncDirs`) before the older, lower ones are deleted, so the
 * highest number taken always stays on disk.
 */
async function takeSession(vfs: Vfs, root: string, fsyncDirs: boolean): Promise<number> {
  const dir = join(root, 'sessions');
  if ((await makeDir(vfs, dir)) && fsyncDirs) await vfs.fsyncDir(root);
  const taken = (await vfs.readdir(dir)).map(Number).filter((n) => Number.isSafeInteger(n) && n >= 0);
  let session = taken.reduce((max, n) => Math.max(max, n), -1) + 1;
  for (;;) {
    try {
      await (await vfs.open(join(dir, `${session}`), { write: true, create: true, exclusive: true })).close();
      break;
    } catch (err) {
      if (!isVfsError(err, 'EEXIST')) throw err;
      session += 1;
    }
  }
  if (fsyncDirs) await vfs.fsyncDir(dir);
  for (const n of taken) if (n < session) await vfs.unlink(join(dir, `${n}`)).catch(() => {});
  return session;
}
