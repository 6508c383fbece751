/**
 * `enqueue(q, metadata, data, name)` (docs/multispool-protocol.md; `docs/multispool-protocol.md`, "enqueue"): name,
 * stage the metadata in `.tmp`, write the data, publish by renaming into the queue. Every step is
 * durable before the next (file fsyncs and directory fsyncs), and a failure cleans up.
 */
import { writeWholeFile } from '../io/files.ts';
import type { SpoolContext } from './context.ts';
import type { Entry } from './entry.ts';
import { vfsStep } from './errors.ts';
import { validateName } from './layout.ts';
import { reserveName } from './names.ts';
import type { NameGenerator } from './spoolable.ts';
import { fsyncDir, stageMetadata } from './steps.ts';

/** How enqueue gets its name: reserve a fresh one, or use one reserved before with `reserve`. */
export type EnqueueName = { readonly reserve: NameGenerator } | { readonly use: string };

/** `use`: the name must be valid (`invalidName`) and its registry file must exist (`noSuchEntry`). */
async function useReserved<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, name: string): Promise<string> {
  validateName(name, 'enqueue {use}', ctx.layout.registryDir);
  const path = ctx.layout.registryFile(name);
  await vfsStep('stat registry file', path, () => ctx.vfs.stat(path), { ENOENT: 'noSuchEntry' });
  return name;
}

/** Best-effort removal of everything a failed enqueue may have left, ignoring every error. */
async function cleanUp<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, queue: Q, name: string): Promise<void> {
  const { layout } = ctx;
  // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
  const published = ctx.quirks.cleanupForgetsQueueFile === true ? [] : [layout.queueFile(queue, name)];
  for (const path of [layout.tmpFile(name), ...published, layout.dataFile(name), layout.registryFile(name)]) {
    try {
      await ctx.vfs.unlink(path);
    } catch {
      // best effort: the original failure is what the caller gets
    }
  }
}

/**
 * Enqueues an entry into `queue`:
 * 1. the name: `reserve(gen)`, or `use` (valid, registry file exists);
 * 2. write `S/.tmp/name` (fsynced) and touch it;
 * 3. write `S/.data/name` (fsynced), `fsyncDir(S/.data)`;
 * 4. `rename(S/.tmp/name, S/q/name)`, `fsyncDir(S/q)`, `fsyncDir(S/.tmp)`;
 * 5. if 2–4 fail: best-effort unlink of the tmp, queue, data and registry files, then rethrow.
 * Metadata and data are encoded before step 1, so a codec failure leaves nothing behind.
 * The single place of quirk MS-5 (`publishBeforeDataDurable`): step 4 runs before step 3, and
 * the data file is not fsynced. The single place of quirk SEQ-9 (`keepFailedEnqueue`): no step 5;
 * of quirk SEQ-10 (`cleanupForgetsQueueFile`): step 5 leaves the queue file.
 */
export async function enqueueEntry<Q extends string, M, D>(
  ctx: SpoolContext<Q, M, D>,
  queue: Q,
  metadata: M,
  data: D,
  nameChoice: EnqueueName,
): Promise<Entry<Q>> {
  const metadataBytes = ctx.spoolable.metadata.encode(metadata);
  const dataBytes = ctx.spoolable.data.encode(data);
  const name = 'use' in nameChoice ? await useReserved(ctx, nameChoice.use) : await reserveName(ctx, nameChoice.reserve);
  const { layout } = ctx;
  const publish = async (): Promise<void> => {
    const tmp = layout.tmpFile(name);
    const target = layout.queueFile(queue, name);
    await vfsStep(`rename to ${target}:`, tmp, () => ctx.vfs.rename(tmp, target));
    await fsyncDir(ctx, layout.queueDir(queue));
    await fsyncDir(ctx, layout.tmpDir);
  };
  const writeData = async (fsync: boolean): Promise<void> => {
    const path = layout.dataFile(name);
    await vfsStep('write data', path, () => writeWholeFile(ctx.vfs, path, dataBytes, { fsync }));
    await fsyncDir(ctx, layout.dataDir);
  };
  try {
    await stageMetadata(ctx, name, metadataBytes);
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    if (ctx.quirks.publishBeforeDataDurable === true) {
      await publish();
      // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
      await writeData(false);
    } else {
      await writeData(true);
      await publish();
    }
  } catch (err) {
    // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
    if (ctx.quirks.keepFailedEnqueue !== true) await cleanUp(ctx, queue, name);
    throw err;
  }
  return { queue, name };
}
