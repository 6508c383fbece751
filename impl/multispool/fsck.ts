/**
 * The Monitor's check (`docs/multispool-protocol.md`, "Monitor"): list every spool directory and
 * report the Problems. Not a snapshot: files may move while it lists, and a name that vanished
 * before its stat is skipped.
 */
import { isVfsError } from '../io/vfs.ts';
import type { SpoolContext } from './context.ts';
import { toSpoolError, vfsStep } from './errors.ts';
import { CHECKOUT_DIR } from './layout.ts';
import type { Location, MonitoredFile, MonitorLimits, Problem } from './problems.ts';

/** Lists `dir` (minus `.checkout` in a queue directory), stats each name in code-unit order. */
async function listFiles(
  ctx: Pick<SpoolContext<string, unknown, unknown>, 'vfs'>,
  dir: string,
  skipCheckout: boolean,
): Promise<MonitoredFile[]> {
  const names = await vfsStep('list', dir, () => ctx.vfs.readdir(dir), { ENOENT: 'missing', ENOTDIR: 'notADirectory' });
  const files: MonitoredFile[] = [];
  for (const name of names.sort()) {
    if (skipCheckout && name === CHECKOUT_DIR) continue;
    const path = `${dir}/${name}`;
    try {
      const { mtimeMs } = await ctx.vfs.stat(path);
      files.push({ name, mtimeMs });
    } catch (err) {
      if (isVfsError(err, 'ENOENT')) continue;
      throw toSpoolError(err, 'stat', path);
    }
  }
  return files;
}

/** A file is too old when its age is strictly above the limit (quirk SEQ-5: at or above). */
function tooOld(ageMs: number, maxAgeMs: number, inclusive: boolean): boolean {
  // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
  if (inclusive) return ageMs >= maxAgeMs;
  return ageMs > maxAgeMs;
}

/**
 * Every Problem of the spool at time `now`. Lists, in order, `.registry`, `.tmp`, `.data`, and for
 * each queue q then q/.checkout. Problems come in the same order: the registry's
 * (`orphaned`/`duplicated`), then `.tmp`'s, `.data`'s, then each queue directory's and checkout
 * directory's; within a directory by name (code-unit order); for one file: tooOld, orphaned,
 * missingData.
 */
export async function fsck<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, limits: MonitorLimits<Q>, now: number): Promise<Problem<Q>[]> {
  const { layout, spoolable } = ctx;
  // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
  const inclusiveAgeLimit = ctx.quirks.inclusiveAgeLimit === true;
  const registry = await listFiles(ctx, layout.registryDir, false);
  const tmp = await listFiles(ctx, layout.tmpDir, false);
  const data = await listFiles(ctx, layout.dataDir, false);
  const queueDirs: { location: Location<Q>; files: MonitoredFile[]; names: Set<string>; maxAgeMs: number | undefined }[] = [];
  const addDir = (location: Location<Q>, files: MonitoredFile[], maxAgeMs: number | undefined): void => {
    queueDirs.push({ location, files, names: new Set(files.map((f) => f.name)), maxAgeMs });
  };
  for (const queue of spoolable.queues) {
    addDir({ kind: 'queue', queue }, await listFiles(ctx, layout.queueDir(queue), true), limits.maxQueueAgesMs.get(queue));
    addDir({ kind: 'checkout', queue }, await listFiles(ctx, layout.checkoutDir(queue), false), limits.maxCheckedOutAgeMs);
  }
  const registered = new Set(registry.map((f) => f.name));
  const withData = new Set(data.map((f) => f.name));
  const problems: Problem<Q>[] = [];

  for (const file of registry) {
    const locations = queueDirs.filter((d) => d.names.has(file.name)).map((d) => d.location);
    if (locations.length === 0) problems.push({ kind: 'orphaned', file, location: { kind: 'registry' } });
    else if (locations.length >= 2) problems.push({ kind: 'duplicated', file, locations });
  }
  const metadataDir = (location: Location<Q>, files: MonitoredFile[], maxAgeMs: number | undefined, checkData: boolean): void => {
    for (const file of files) {
      if (maxAgeMs !== undefined && tooOld(now - file.mtimeMs, maxAgeMs, inclusiveAgeLimit)) problems.push({ kind: 'tooOld', file, location });
      if (!registered.has(file.name)) problems.push({ kind: 'orphaned', file, location });
      if (checkData && !withData.has(file.name)) problems.push({ kind: 'missingData', file, location });
    }
  };
  metadataDir({ kind: 'tmp' }, tmp, limits.maxTmpFileAgeMs, false);
  metadataDir({ kind: 'data' }, data, undefined, false);
  for (const d of queueDirs) metadataDir(d.location, d.files, d.maxAgeMs, true);
  return problems;
}
