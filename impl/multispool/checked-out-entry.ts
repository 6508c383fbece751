/**
 * A checked-out entry (docs/multispool-protocol.md): the single holder's handle on `S/q/.checkout/<name>`. It keeps
 * the metadata in memory (`contents`, changed by `update`) until `save(q2)` writes it back and
 * moves the entry into q2, or `remove()` deletes the entry. Either spends the handle: any later
 * `update`, `save` or `remove` throws `released`.
 */
import type { SpoolContext } from './context.ts';
import { dataFileOf, type DataFile } from './data-file.ts';
import { SpoolError, vfsStep } from './errors.ts';
import { removeEntry } from './remove.ts';
import { fsyncDir, renameTouched, stageMetadata } from './steps.ts';

/** The holder's handle on one checked-out entry of queue `queue`. */
export class CheckedOutEntry<Q extends string, M, D> {
  /** The entry's name. */
  readonly name: string;
  /** The queue it was checked out of (its file is `S/<queue>/.checkout/<name>`). */
  readonly queue: Q;
  /** The entry's data file. */
  readonly dataFile: DataFile<D>;
  readonly #ctx: SpoolContext<Q, M, D>;
  #contents: M;
  #released = false;

  /** Internal: made by `tryCheckout` and `listCheckoutsUnsafe` after reading the checkout file. */
  constructor(ctx: SpoolContext<Q, M, D>, queue: Q, name: string, contents: M) {
    this.#ctx = ctx;
    this.queue = queue;
    this.name = name;
    this.#contents = contents;
    this.dataFile = dataFileOf(ctx, name);
  }

  /** The metadata as the holder sees it: read at checkout, changed by {@link update}. */
  get contents(): M {
    return this.#contents;
  }

  /** True once `save` or `remove` succeeded: the handle is spent. */
  get released(): boolean {
    return this.#released;
  }

  /** `S/<queue>/.checkout/<name>`. */
  get path(): string {
    return this.#ctx.layout.checkoutFile(this.queue, this.name);
  }

  #checkLive(operation: string): void {
    if (this.#released) {
      const path = this.path;
      throw new SpoolError('released', `${operation} of entry ${this.name} (${path}, checked out of ${this.queue}): the entry was already saved or removed`, {
        path,
      });
    }
  }

  /** Replaces the contents in memory only (nothing is written until {@link save}). */
  update(f: (contents: M) => M): void {
    this.#checkLive('update');
    this.#contents = f(this.#contents);
  }

  /**
   * Writes the contents back and moves the entry into `queue` (which may be its own):
   * write `S/.tmp/name` (as enqueue's step 2); `rename` it to `S/q/.checkout/name`;
   * `fsyncDir(S/q/.checkout)`; `fsyncDir(S/.tmp)`; then renameTouched(`S/q/.checkout/name`,
   * `S/queue/name`). A missing registry file → `noSuchEntry`. On success the handle is spent.
   * The single place of quirk SEQ-1 (`saveIgnoresDestination`): the entry goes back to `this.queue`.
   */
  async save(queue: Q): Promise<void> {
    this.#checkLive('save');
    const ctx = this.#ctx;
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    const destination = ctx.quirks.saveIgnoresDestination === true ? this.queue : queue;
    const tmp = await stageMetadata(ctx, this.name, ctx.spoolable.metadata.encode(this.#contents));
    const checkoutFile = this.path;
    await vfsStep(`rename to ${checkoutFile}:`, tmp, () => ctx.vfs.rename(tmp, checkoutFile));
    await fsyncDir(ctx, ctx.layout.checkoutDir(this.queue));
    await fsyncDir(ctx, ctx.layout.tmpDir);
    await renameTouched(ctx, this.name, checkoutFile, ctx.layout.queueFile(destination, this.name));
    this.#released = true;
  }

  /**
   * Puts the entry back into its own queue as it was checked out, its stored metadata unchanged
   * (the in-memory `update`s are dropped): renameTouched(`S/q/.checkout/name`, `S/q/name`). It
   * writes no file, so it works on a full disk, where `save` cannot. On success the handle is spent.
   */
  async giveBack(): Promise<void> {
    this.#checkLive('giveBack');
    await renameTouched(this.#ctx, this.name, this.path, this.#ctx.layout.queueFile(this.queue, this.name));
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    if (this.#ctx.quirks.giveBackKeepsHandle !== true) this.#released = true;
  }

  /** Removes the entry: remove(`S/q/.checkout`, name) (see `remove.ts`). On success the handle is spent. */
  async remove(): Promise<void> {
    this.#checkLive('remove');
    await removeEntry(this.#ctx, this.#ctx.layout.checkoutDir(this.queue), this.name);
    this.#released = true;
  }
}
