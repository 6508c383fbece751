/**
 * Crash workloads for the multispool: short sequences of spool operations, in the spirit of
 * CrashMonkey's Ace, run on the crash-simulating Vfs. Running a workload records the history the
 * crash explorer needs and, for every operation, what it did (which entry, which metadata, where
 * the entry went), from which the guarantees after a crash are derived.
 */
import type { Clock } from '../../impl/io/clock.ts';
import type { Vfs } from '../../impl/io/vfs.ts';
import { Multispool } from '../../impl/multispool/multispool.ts';
import type { MultispoolQuirks } from '../../impl/multispool/quirks.ts';
import type { NameGenerator } from '../../impl/multispool/spoolable.ts';
import { TEST_SPOOLABLE, type TestMeta, type TestQueue } from '../../properties/multispool/test-spoolable.ts';
import { crashVfs, type CrashVfs } from '../../sim/crash-vfs.ts';
import type { DiskImage } from '../../sim/crash/disk-image.ts';
import { StateMemo } from '../../sim/crash/state-memo.ts';

/** The spool directory of every crash workload. */
export const SPOOL_DIR = '/spool';

/** The operation kinds of a workload. Each acts on the first entry listed in `alpha`, if any. */
export type WorkloadOp =
  | 'reserve'
  | 'enqueue'
  | 'checkoutSaveSame'
  | 'checkoutSaveOther'
  | 'checkoutRemove'
  | 'directSave'
  | 'directRemove';

/** Every operation kind, in a fixed order (the exhaustive workloads enumerate sequences of these). */
export const WORKLOAD_OPS: readonly WorkloadOp[] = [
  'reserve',
  'enqueue',
  'checkoutSaveSame',
  'checkoutSaveOther',
  'checkoutRemove',
  'directSave',
  'directRemove',
];

/** Where an entry's metadata file is: a queue, or a queue's checkout directory. */
export type EntryLocation = `${TestQueue}` | `${TestQueue}/.checkout`;

/** What one operation of a completed run did. */
export interface OpRecord {
  readonly op: WorkloadOp;
  /** The entry it acted on (the new one for enqueue and reserve); undefined when alpha was empty. */
  readonly name?: string;
  /** Data of a new entry (enqueue). */
  readonly data?: string;
  /** Metadata it wrote (enqueue and the saves). */
  readonly metadata?: TestMeta;
  /** Where the entry may be while the operation runs, and where it is after (undefined: removed). */
  readonly during: readonly EntryLocation[];
  readonly after?: EntryLocation;
}

/** An entry present before recording started. */
export interface InitialEntry {
  readonly name: string;
  readonly metadata: TestMeta;
  readonly data: string;
  readonly location: EntryLocation;
}

/** The entries every workload starts from: one queued entry in alpha. */
export const INITIAL_ENTRIES: readonly InitialEntry[] = [{ name: 'e0', metadata: { label: 'new', rev: 0 }, data: 'hello, world', location: 'alpha' }];

/** A completed run: the Vfs (with its history) and the record of every operation. */
export interface WorkloadRun {
  readonly vfs: CrashVfs;
  readonly records: readonly OpRecord[];
}

/** A name generator whose next name can be known in advance (for plans written before an operation runs). */
export interface PredictableNames extends NameGenerator {
  /** The name the next `next(0)` will return. */
  peek(): string;
}

/** Names `<prefix>1`, `<prefix>2`, ... in order; a clash moves on to the next number. */
export function counterNames(prefix = 'w'): PredictableNames {
  let n = 0;
  return { next: () => `${prefix}${++n}`, peek: () => `${prefix}${n + 1}` };
}

/** The label of workload operation `op` in reports. */
export function describeOps(ops: readonly WorkloadOp[]): string {
  return ops.length === 0 ? '(no operation)' : ops.join(', ');
}

/** Creates the spool every workload starts from: {@link SPOOL_DIR} holding {@link INITIAL_ENTRIES}. */
export async function createWorkloadSpool(vfs: Vfs, clock: Clock): Promise<void> {
  const setup = await Multispool.create(vfs, SPOOL_DIR, TEST_SPOOLABLE, { clock });
  for (const e of INITIAL_ENTRIES) {
    await setup.enqueue(e.location === 'alpha' ? 'alpha' : 'beta', e.metadata, e.data, { reserve: { next: () => e.name } });
  }
}

/** The disk {@link createWorkloadSpool} leaves, by the clock's time when it ran (it reads the clock, never moves it). */
const startImages = new StateMemo<DiskImage>(16);

/** The disk every workload starts from at the clock's current time: made once, then copied. */
function startImage(clock: Clock): Promise<DiskImage> {
  return startImages.get(String(clock.now()), async () => {
    const vfs = crashVfs({ clock });
    await createWorkloadSpool(vfs, clock);
    return vfs.liveImage();
  });
}

/**
 * Sets up a spool with {@link INITIAL_ENTRIES} on a fresh crash Vfs, starts recording, runs
 * `ops` (dropping a marker after each returns) and reports what each did.
 */
export async function runWorkload(ops: readonly WorkloadOp[], clock: Clock, quirks: MultispoolQuirks): Promise<WorkloadRun> {
  const vfs = crashVfs({ clock, image: await startImage(clock) });
  vfs.startRecording();
  const spool = await Multispool.load(vfs, SPOOL_DIR, TEST_SPOOLABLE, { clock, quirks });
  const names = counterNames();
  const records: OpRecord[] = [];
  for (const [i, op] of ops.entries()) {
    const plan = await planOp(spool, op, i, names);
    await executeOp(spool, plan, names);
    records.push(plan);
    vfs.mark(`operation ${i + 1} (${op}) returned`);
  }
  return { vfs, records };
}

/**
 * What operation number `i` (0-based) of kind `op` will do, decided before it runs: which entry
 * (the first listed in alpha, or the generator's next name), which metadata and data, and where
 * the entry may be while it runs and after.
 */
export async function planOp(spool: Multispool<TestQueue, TestMeta, string>, op: WorkloadOp, i: number, names: PredictableNames): Promise<OpRecord> {
  const metadata: TestMeta = { label: `op${i + 1}`, rev: i + 1 };
  if (op === 'reserve') return { op, name: names.peek(), during: [] };
  if (op === 'enqueue') return { op, name: names.peek(), data: `body of operation ${i + 1}`, metadata, during: ['alpha'], after: 'alpha' };
  const first = (await spool.list('alpha'))[0];
  if (first === undefined) return { op, during: [] };
  switch (op) {
    case 'checkoutSaveSame':
      return { op, name: first, metadata, during: ['alpha', 'alpha/.checkout'], after: 'alpha' };
    case 'checkoutSaveOther':
      return { op, name: first, metadata, during: ['alpha', 'alpha/.checkout', 'beta'], after: 'beta' };
    case 'checkoutRemove':
      return { op, name: first, during: ['alpha', 'alpha/.checkout'] };
    case 'directSave':
      return { op, name: first, metadata, during: ['alpha'], after: 'alpha' };
    case 'directRemove':
      return { op, name: first, during: ['alpha'] };
  }
}

/** Carries out a planned operation; fails if the spool did not do what the plan said. */
export async function executeOp(spool: Multispool<TestQueue, TestMeta, string>, plan: OpRecord, names: PredictableNames): Promise<void> {
  const mismatch = (got: string): Error => new Error(`operation ${plan.op} planned entry ${String(plan.name)} but got ${got}`);
  if (plan.op === 'reserve') {
    const name = await spool.reserve(names);
    if (name !== plan.name) throw mismatch(name);
    return;
  }
  if (plan.op === 'enqueue') {
    const entry = await spool.enqueue('alpha', plan.metadata as TestMeta, plan.data as string, { reserve: names });
    if (entry.name !== plan.name) throw mismatch(entry.name);
    return;
  }
  if (plan.name === undefined) return;
  const entry = spool.entry('alpha', plan.name);
  switch (plan.op) {
    case 'checkoutSaveSame':
    case 'checkoutSaveOther': {
      const checkedOut = await spool.checkout(entry);
      checkedOut.update(() => plan.metadata as TestMeta);
      await checkedOut.save(plan.after === 'beta' ? 'beta' : 'alpha');
      return;
    }
    case 'checkoutRemove':
      await (await spool.checkout(entry)).remove();
      return;
    case 'directSave':
      await spool.direct.save(entry, plan.metadata as TestMeta);
      return;
    case 'directRemove':
      await spool.direct.remove(entry);
      return;
  }
}
