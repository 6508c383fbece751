/**
 * What must hold of a multispool after a crash (docs/multispool-protocol.md), checked on one crash state given what
 * the workload had seen return before the crash:
 *
 * - `durable-enqueue`: every entry whose enqueue returned (and that no returned or in-flight
 *   operation removes) is in a queue or checkout directory where some returned or in-flight
 *   operation put it, with one of the metadata values written for it and its data intact.
 * - `durable-remove`: an entry whose removal returned is in no queue or checkout directory.
 * - `registered` (A1): every name in a queue, a checkout directory or `.data` is in `.registry`.
 * - `one-location` (A2): a name is in at most one queue or checkout directory, unless the Monitor
 *   reports it as `duplicated` (possible only where renames are not atomic).
 * - `complete`: every entry in a queue or checkout directory has decodable metadata and its data
 *   file, with exactly the data it was enqueued with.
 * - `nothing-silently-lost`: every file of the spool belongs to a complete entry (registered,
 *   one location, data) or is named by a problem the Monitor reports once every age limit has
 *   passed.
 * - `usable`: the spool opens, and every queued entry can be checked out and removed.
 */
import { manualClock } from '../../impl/io/clock.ts';
import { Monitor } from '../../impl/multispool/monitor.ts';
import { Multispool } from '../../impl/multispool/multispool.ts';
import { locationDir, type Problem } from '../../impl/multispool/problems.ts';
import type { MultispoolQuirks } from '../../impl/multispool/quirks.ts';
import { TEST_QUEUES, TEST_SPOOLABLE, type TestMeta, type TestQueue } from '../../properties/multispool/test-spoolable.ts';
import { crashVfs } from '../../sim/crash-vfs.ts';
import { listTree, type DiskImage } from '../../sim/crash/disk-image.ts';
import { INITIAL_ENTRIES, SPOOL_DIR, type EntryLocation, type OpRecord } from './workload.ts';

/** A guarantee that a crash state breaks, in words. */
export interface Violation {
  readonly guarantee: string;
  readonly message: string;
}

/** The spool's files as found in a crash state. */
interface RawSpool {
  readonly registry: Set<string>;
  readonly tmp: Map<string, Uint8Array>;
  readonly data: Map<string, Uint8Array>;
  /** Metadata files by location. */
  readonly locations: Map<EntryLocation, Map<string, Uint8Array>>;
}

const LOCATIONS: readonly EntryLocation[] = TEST_QUEUES.flatMap((q): EntryLocation[] => [q, `${q}/.checkout`]);

function readRaw(image: DiskImage): RawSpool {
  const raw: RawSpool = { registry: new Set(), tmp: new Map(), data: new Map(), locations: new Map(LOCATIONS.map((l) => [l, new Map()])) };
  for (const entry of listTree(image)) {
    if (entry.kind !== 'file' || !entry.path.startsWith(`${SPOOL_DIR}/`)) continue;
    const rel = entry.path.slice(SPOOL_DIR.length + 1);
    const slash = rel.lastIndexOf('/');
    const dir = rel.slice(0, slash);
    const name = rel.slice(slash + 1);
    const bytes = entry.data ?? new Uint8Array();
    if (dir === '.registry') raw.registry.add(name);
    else if (dir === '.tmp') raw.tmp.set(name, bytes);
    else if (dir === '.data') raw.data.set(name, bytes);
    else raw.locations.get(dir as EntryLocation)?.set(name, bytes);
  }
  return raw;
}

/** What the workload had established before the crash about one entry. */
interface Expected {
  readonly data: string;
  /** Acceptable metadata values (JSON). */
  readonly metas: Set<string>;
  /** Acceptable locations. */
  readonly locations: Set<EntryLocation>;
  /** Must be present (its enqueue returned, no removal returned or in flight). */
  mustExist: boolean;
  /** Its removal returned. */
  removed: boolean;
}

/** Derives the expectations from the operations: `acked` of them returned, the next one was in flight. */
function expectations(records: readonly OpRecord[], acked: number): Map<string, Expected> {
  const out = new Map<string, Expected>();
  for (const e of INITIAL_ENTRIES) {
    out.set(e.name, { data: e.data, metas: new Set([JSON.stringify(e.metadata)]), locations: new Set([e.location]), mustExist: true, removed: false });
  }
  for (const [i, r] of records.entries()) {
    if (i > acked || r.name === undefined || r.op === 'reserve') continue;
    const inFlight = i === acked;
    let e = out.get(r.name);
    if (e === undefined) {
      if (r.op !== 'enqueue' || r.data === undefined) continue;
      e = { data: r.data, metas: new Set(), locations: new Set(), mustExist: false, removed: false };
      out.set(r.name, e);
    }
    if (r.metadata !== undefined) e.metas.add(JSON.stringify(r.metadata));
    if (inFlight) {
      for (const l of r.during) e.locations.add(l);
      if (r.after !== undefined) e.locations.add(r.after);
      if (r.after === undefined) e.mustExist = false;
    } else {
      e.locations.clear();
      if (r.after === undefined) {
        e.removed = true;
        e.mustExist = false;
      } else {
        e.locations.add(r.after);
        e.mustExist = true;
      }
    }
  }
  return out;
}

/** The Monitor's problems on the crash state once every age limit has long passed. */
async function monitorProblems(image: DiskImage): Promise<Problem<TestQueue>[]> {
  const clock = manualClock(Number.MAX_SAFE_INTEGER / 2);
  const monitor = await Monitor.open(crashVfs({ image }), SPOOL_DIR, TEST_SPOOLABLE, { clock });
  return monitor.runOnce();
}

/** The names a problem mentions, with the directory it found them in. */
function reportedFiles(problems: readonly Problem<TestQueue>[]): Set<string> {
  const out = new Set<string>();
  for (const p of problems) {
    const locations = p.kind === 'duplicated' ? p.locations : [p.location];
    for (const l of locations) out.add(`${locationDir(l)}/${p.file.name}`);
    if (p.kind === 'duplicated') out.add(`.registry/${p.file.name}`);
  }
  return out;
}


const decodeMeta = (bytes: Uint8Array): TestMeta | undefined => {
  try {
    return TEST_SPOOLABLE.metadata.decode(bytes);
  } catch {
    return undefined;
  }
};
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/**
 * What a crash state's disk alone says, whatever the workload did: its files, the Monitor's
 * problems once every age limit has passed, and whether the spool reopens and drains (the
 * `usable` guarantee). The expensive part of a check, and the same for every crash state with the
 * same disk (many workloads share prefixes, so many states share disks): {@link inspectImage}
 * computes it once per disk and {@link judgeCrashState} derives each state's verdict from it.
 */
export interface ImageFacts {
  readonly raw: RawSpool;
  readonly problems: readonly Problem<TestQueue>[];
  /** The files some problem names (`dir/name`). */
  readonly reported: ReadonlySet<string>;
  /** Violations of `usable` found by reopening and draining the spool. */
  readonly usable: readonly Violation[];
}

/**
 * Inspects one crash state's disk with the implementation under test (`quirks`): reads its files,
 * runs the Monitor, reopens the spool and drains every queued entry (on a copy: `image` is left
 * as it is). Depends on the image and the quirks only, never on modification times (the Monitor
 * judges long after every age limit).
 */
export async function inspectImage(image: DiskImage, quirks: MultispoolQuirks): Promise<ImageFacts> {
  const raw = readRaw(image);
  const problems = await monitorProblems(image);
  const usable: Violation[] = [];
  const fail = (message: string): void => {
    usable.push({ guarantee: 'usable', message });
  };
  try {
    const clock = manualClock(Number.MAX_SAFE_INTEGER / 2);
    const spool = await Multispool.load(crashVfs({ image, clock }), SPOOL_DIR, TEST_SPOOLABLE, { clock, quirks });
    for (const q of TEST_QUEUES) {
      for (const name of await spool.list(q)) {
        if (raw.locations.get(q)?.get(name) === undefined) continue;
        if (!raw.data.has(name) || !raw.registry.has(name)) continue;
        const outcome = await spool.tryCheckout(spool.entry(q, name));
        if (outcome.kind !== 'checkedOut') {
          fail(`${q}/${name} is listed but cannot be checked out`);
          continue;
        }
        await outcome.entry.remove();
      }
    }
  } catch (err) {
    fail(`reopening and draining the spool failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { raw, problems, reported: reportedFiles(problems), usable };
}

/**
 * Judges one crash state from the facts of its disk, given that `acked` of the workload's
 * operations (`records`) had returned and the next one was in flight. Cheap: no I/O.
 */
export function judgeCrashState(facts: ImageFacts, records: readonly OpRecord[], acked: number): Violation[] {
  const { raw, problems, reported } = facts;
  const expected = expectations(records, acked);
  const violations: Violation[] = [];
  const fail = (guarantee: string, message: string): void => {
    violations.push({ guarantee, message });
  };
  const whereIs = (name: string): EntryLocation[] => LOCATIONS.filter((l) => raw.locations.get(l)?.has(name) === true);

  for (const [name, e] of expected) {
    const found = whereIs(name);
    if (e.removed && found.length > 0) fail('durable-remove', `${name} was removed before the crash but is back in ${found.join(' and ')}`);
    if (!e.mustExist) continue;
    const good = found.filter((l) => e.locations.has(l));
    if (good.length === 0) {
      fail(
        'durable-enqueue',
        `${name} was acknowledged but is ${found.length === 0 ? 'in no queue or checkout directory' : `only in ${found.join(' and ')}`} (expected in ${[...e.locations].join(' or ')})`,
      );
      continue;
    }
    for (const l of good) {
      const meta = decodeMeta(raw.locations.get(l)?.get(name) ?? new Uint8Array());
      if (meta === undefined || !e.metas.has(JSON.stringify(meta))) {
        fail('durable-enqueue', `${name} in ${l} has metadata ${meta === undefined ? 'that does not decode' : JSON.stringify(meta)}; expected one of ${[...e.metas].join(', ')}`);
      }
    }
  }

  for (const l of LOCATIONS) {
    for (const [name, bytes] of raw.locations.get(l) ?? []) {
      if (!raw.registry.has(name)) fail('registered', `${l}/${name} has no registry file`);
      if (decodeMeta(bytes) === undefined) fail('complete', `${l}/${name}: metadata does not decode (${JSON.stringify(text(bytes))})`);
      const data = raw.data.get(name);
      const want = expected.get(name)?.data;
      if (data === undefined) fail('complete', `${l}/${name} has no data file`);
      else if (want !== undefined && text(data) !== want) fail('complete', `${l}/${name} has data ${JSON.stringify(text(data))}, enqueued with ${JSON.stringify(want)}`);
    }
  }
  for (const name of raw.data.keys()) if (!raw.registry.has(name)) fail('registered', `.data/${name} has no registry file`);

  const duplicated = new Set(problems.filter((p) => p.kind === 'duplicated').map((p) => p.file.name));
  const allNames = new Set([...raw.registry, ...raw.tmp.keys(), ...raw.data.keys(), ...LOCATIONS.flatMap((l) => [...(raw.locations.get(l)?.keys() ?? [])])]);
  for (const name of allNames) {
    const found = whereIs(name);
    if (found.length > 1 && !duplicated.has(name)) fail('one-location', `${name} is in ${found.join(' and ')} and the Monitor does not report it`);
    const complete = raw.registry.has(name) && found.length === 1 && raw.data.has(name) && !raw.tmp.has(name);
    if (complete) continue;
    const files = [
      ...(raw.registry.has(name) ? [`.registry/${name}`] : []),
      ...(raw.tmp.has(name) ? [`.tmp/${name}`] : []),
      ...(raw.data.has(name) ? [`.data/${name}`] : []),
      ...found.map((l) => `${l}/${name}`),
    ];
    const silent = files.filter((f) => !reported.has(f));
    // The operator learns of the incomplete entry if the Monitor names at least one of its files.
    if (silent.length === files.length) fail('nothing-silently-lost', `${files.join(', ')}: an incomplete entry, and the Monitor reports none of it`);
  }

  violations.push(...facts.usable);
  return violations;
}

/**
 * Checks one crash state. `acked` operations had returned; `quirks` are those of the
 * implementation under test (it reopens the spool after the crash, as it would in production).
 */
export async function checkCrashState(
  image: DiskImage,
  records: readonly OpRecord[],
  acked: number,
  quirks: MultispoolQuirks,
): Promise<Violation[]> {
  return judgeCrashState(await inspectImage(image, quirks), records, acked);
}
