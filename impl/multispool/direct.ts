/**
 * Direct access to a queued entry without checking it out (docs/multispool-protocol.md, `Direct`): no exclusivity,
 * meant for tools and recovery.
 */
import type { SpoolContext } from './context.ts';
import type { Entry } from './entry.ts';
import { vfsStep } from './errors.ts';
import { removeEntry } from './remove.ts';
import { fsyncDir, readMetadata, stageMetadata, touch } from './steps.ts';

/** Direct operations on queued entries. */
export interface DirectAccess<Q extends string, M> {
  /** Reads and decodes `S/q/name` (`notFound`, `corrupt`). */
  contents(entry: Entry<Q>): Promise<M>;
  /**
   * Replaces `S/q/name` with `metadata`: touch the registry file (missing → `noSuchEntry`); write
   * `S/.tmp/name`; rename it to `S/q/name` (creating it if it was not there); `fsyncDir(S/q)`;
   * `fsyncDir(S/.tmp)`.
   */
  save(entry: Entry<Q>, metadata: M): Promise<void>;
  /** Removes the entry from its queue directory: remove(`S/q`, name) (see `remove.ts`). */
  remove(entry: Entry<Q>): Promise<void>;
}

/** The direct operations of spool `ctx`. */
export function directAccess<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>): DirectAccess<Q, M> {
  const { layout } = ctx;
  return {
    contents: (entry) => readMetadata(ctx, layout.queueFile(entry.queue, entry.name)),
    async save(entry, metadata) {
      const bytes = ctx.spoolable.metadata.encode(metadata);
      await touch(ctx, layout.registryFile(entry.name), { ENOENT: 'noSuchEntry' });
      const tmp = await stageMetadata(ctx, entry.name, bytes);
      const target = layout.queueFile(entry.queue, entry.name);
      await vfsStep(`rename to ${target}:`, tmp, () => ctx.vfs.rename(tmp, target));
      await fsyncDir(ctx, layout.queueDir(entry.queue));
      await fsyncDir(ctx, layout.tmpDir);
    },
    remove: (entry) => removeEntry(ctx, layout.queueDir(entry.queue), entry.name),
  };
}
