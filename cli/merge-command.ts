/**
 * `spoolcheck merge [--json] [--junit FILE] RUN.json...`: joins the JSON records of runs made
 * with `--shard i/n` (one per CI machine) into one verdict, printed and exited with as one
 * unsharded run would be. Every shard must be there exactly once, all of the same target, seed
 * and selection, and no property may appear twice: a merge that could hide a missing shard would
 * let a gate pass by accident.
 */
import { readFile } from 'node:fs/promises';
import { PROPERTIES } from './suites.ts';
import { parseCommandLine, UsageError, type Output } from './output.ts';
import { explainExit, printRecord, verdictOf, type RunRecord } from './run-report.ts';
import { writeReports } from './write-reports.ts';

export const MERGE_USAGE = `Usage: spoolcheck merge [--json] [--junit FILE] RUN.json...

Joins the --json output of runs made with --shard i/n into one verdict (every shard once, same
target and seed), printed as one run would print it, with the same exit codes.`;

/** Reads one run record, checking its shape. */
async function readRecord(name: string): Promise<RunRecord> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(name, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read ${name} as the JSON of a run (spoolcheck run --json > FILE): ${err instanceof Error ? err.message : String(err)}`);
  }
  const r = json as Partial<RunRecord>;
  if (typeof r !== 'object' || r === null || typeof r.target !== 'string' || !Number.isInteger(r.seed) || !Array.isArray(r.results) || !Array.isArray(r.skipped) || !Array.isArray(r.cutShort)) {
    throw new UsageError(`${name} is not the JSON of a spoolcheck run (it needs target, seed, results, skipped and cutShort${typeof r === 'object' && r !== null && 'verdict' in r ? `; its verdict is ${JSON.stringify(r.verdict)}` : ''})`);
  }
  return r as RunRecord;
}

/** Joins shard records into the record one unsharded run would give (properties in registry order). */
export function mergeRecords(records: readonly { name: string; record: RunRecord }[]): RunRecord {
  const [first] = records;
  if (first === undefined) throw new UsageError('merge needs the JSON files of the runs to join');
  for (const { name, record } of records) {
    if (record.target !== first.record.target) throw new UsageError(`${name} checked target ${record.target}, ${first.name} checked ${first.record.target}: only runs of one target merge`);
    if (record.seed !== first.record.seed) throw new UsageError(`${name} ran with seed ${record.seed}, ${first.name} with ${first.record.seed}: only runs of one seed merge`);
  }
  const sharded = records.filter((r) => r.record.shard !== undefined);
  if (sharded.length > 0) {
    if (sharded.length < records.length) throw new UsageError(`${records.find((r) => r.record.shard === undefined)?.name} is not a shard, ${sharded[0]?.name} is: merge the shards of one run`);
    const count = first.record.shard?.count as number;
    const of = first.record.shard?.of as number;
    const seen = new Map<number, string>();
    for (const { name, record } of records) {
      const s = record.shard as NonNullable<RunRecord['shard']>;
      if (s.count !== count || s.of !== of) throw new UsageError(`${name} is shard ${s.index}/${s.count} of ${s.of} properties, ${first.name} is of ${count} shards of ${of}: the shards of one run share --shard's n and the selection`);
      const twice = seen.get(s.index);
      if (twice !== undefined) throw new UsageError(`shard ${s.index}/${count} is given twice (${twice} and ${name})`);
      seen.set(s.index, name);
    }
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
    if (missing.length > 0) throw new UsageError(`shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing: a merge without them would not cover every property`);
  }
  const owner = new Map<string, string>();
  for (const { name, record } of records) {
    for (const p of [...record.results.map((r) => `${r.suite}/${r.property}`), ...record.skipped]) {
      const other = owner.get(p);
      if (other !== undefined) throw new UsageError(`${p} is in both ${other} and ${name}: the runs overlap`);
      owner.set(p, name);
    }
  }
  const order = (name: string): number => {
    const i = PROPERTIES.findIndex((p) => `${p.suite}/${p.name}` === name);
    return i < 0 ? PROPERTIES.length : i;
  };
  const byOrder = <T>(key: (t: T) => string) => (a: T, b: T): number => order(key(a)) - order(key(b));
  const results = records.flatMap((r) => r.record.results).sort(byOrder((r) => `${r.suite}/${r.property}`));
  const skipped = records.flatMap((r) => r.record.skipped).sort(byOrder((s: string) => s));
  const partialOk = records.every((r) => r.record.partialOk === true);
  const stopped = records.some((r) => r.record.verdict === 'interrupted');
  return {
    target: first.record.target,
    seed: first.record.seed,
    // The shards ran side by side: the merged run took as long as the longest.
    elapsedMs: Math.max(...records.map((r) => r.record.elapsedMs)),
    verdict: verdictOf(results, skipped, stopped, partialOk),
    cutShort: records.flatMap((r) => r.record.cutShort).sort(byOrder((s: string) => s)),
    results,
    skipped,
    ...(partialOk ? { partialOk } : {}),
  };
}

/** Runs `spoolcheck merge <args>`; returns the exit code. */
export async function mergeCommand(args: readonly string[], out: Output): Promise<number> {
  const { flags, files } = parseCommandLine(args, { json: { type: 'boolean' }, junit: { type: 'string' }, help: { type: 'boolean' } });
  if (flags['help'] === true) {
    out.stdout(MERGE_USAGE);
    return 0;
  }
  if (files.length === 0) throw new UsageError('merge needs the JSON files of the runs to join (spoolcheck run --shard i/n --json > shard-i.json)');
  const records = await Promise.all(files.map(async (name) => ({ name, record: await readRecord(name) })));
  const merged = mergeRecords(records);
  const junit = flags['junit'];
  await writeReports(merged, typeof junit === 'string' ? { junit } : {}, undefined, out);
  if (flags['json'] === true) out.stdout(JSON.stringify(merged, null, 2));
  else {
    out.stdout(`spoolcheck: ${files.length} run(s) of target ${merged.target}, seed ${merged.seed}, merged`);
    printRecord(merged, out);
  }
  return explainExit(merged, undefined, out, () => `target ${merged.target}`);
}
