/**
 * Replay files (`spoolcheck run --replay-dir DIR`, `spoolcheck replay FILE`): one JSON file per
 * failure holding everything that reproduces it — the property, the seed and shrink path, the
 * target (a variant, a built-in name, or a module file with the directory it was named from), the
 * run time limit — and the counterexample as it was reported, so that a CI artifact is enough to
 * replay a failure on a developer's machine.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import { UsageError } from './output.ts';
import type { RunRecord } from './run-report.ts';

/** What chose the target and limits of the run, as the replay needs them again. */
export interface ReplayTargetChoice {
  readonly cwd: string;
  readonly target?: string;
  readonly variant?: string;
  /** The run time limit in seconds, when given. */
  readonly runTimeout?: number;
  /** Runs per property, when given (a failure without a path replays its whole search). */
  readonly runs?: number;
}

/** The content of a replay file. */
export interface ReplayFile extends ReplayTargetChoice {
  readonly kind: 'spoolcheck-replay';
  readonly version: 1;
  readonly suite: string;
  readonly property: string;
  readonly seed: number;
  readonly path?: string;
  /** The counterexample as the failing run reported it. */
  readonly counterexample: string;
  /** The command line that replays it (what `spoolcheck replay` runs). */
  readonly replay: string;
}

/** Writes one replay file per failure of `record` into `dir` (made if missing); returns their paths. */
export async function writeReplayFiles(dir: string, record: RunRecord, chosen: ReplayTargetChoice): Promise<string[]> {
  const failures = record.results.filter((r) => r.verdict === 'fails');
  if (failures.length === 0) return [];
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const f of failures) {
    const file: ReplayFile = {
      kind: 'spoolcheck-replay',
      version: 1,
      suite: f.suite,
      property: f.property,
      seed: f.seed,
      ...(f.path === undefined ? {} : { path: f.path }),
      ...chosen,
      counterexample: f.counterexample ?? '',
      replay: f.replay ?? '',
    };
    const name = nodePath.join(dir, `${f.suite}-${f.property}.json`);
    await writeFile(name, `${JSON.stringify(file, null, 2)}\n`);
    written.push(name);
  }
  return written;
}

/** Reads and checks a replay file; anything else is a usage error saying what is wrong. */
export async function readReplayFile(name: string): Promise<ReplayFile> {
  let text: string;
  try {
    text = await readFile(name, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the replay file ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${name} is not a replay file (not JSON)`);
  }
  const o = json as Record<string, unknown>;
  const bad = (what: string): never => {
    throw new UsageError(`${name} is not a valid replay file: ${what} (write one with spoolcheck run --replay-dir DIR)`);
  };
  if (typeof o !== 'object' || o === null || o['kind'] !== 'spoolcheck-replay') bad('its kind is not "spoolcheck-replay"');
  if (o['version'] !== 1) bad(`version ${JSON.stringify(o['version'])} is not 1`);
  for (const k of ['suite', 'property', 'cwd', 'counterexample', 'replay']) if (typeof o[k] !== 'string') bad(`"${k}" is not a string`);
  if (!Number.isInteger(o['seed'])) bad('"seed" is not a whole number');
  if (o['path'] !== undefined && (typeof o['path'] !== 'string' || !/^\d+(:\d+)*$/.test(o['path']))) bad('"path" is not a replay path (digits separated by ":")');
  for (const k of ['target', 'variant']) if (o[k] !== undefined && typeof o[k] !== 'string') bad(`"${k}" is not a string`);
  if (o['runs'] !== undefined && !(Number.isInteger(o['runs']) && (o['runs'] as number) > 0)) bad('"runs" is not a positive whole number');
  if (o['runTimeout'] !== undefined && !(typeof o['runTimeout'] === 'number' && o['runTimeout'] > 0 && Number.isFinite(o['runTimeout']))) bad('"runTimeout" is not a positive number of seconds');
  return o as unknown as ReplayFile;
}

/** The `spoolcheck run` arguments that replay `file` exactly (a module target found from its recorded directory). */
export function replayArgs(file: ReplayFile, cwd: string): string[] {
  const args = ['run', '--suite', file.suite, '--property', file.property, `--seed=${file.seed}`];
  if (file.path !== undefined) args.push('--path', file.path);
  if (file.variant !== undefined) args.push('--variant', file.variant);
  else if (file.target !== undefined) {
    const here = nodePath.resolve(cwd, file.target);
    const there = nodePath.resolve(file.cwd, file.target);
    args.push('--target', existsSync(here) || !existsSync(there) ? file.target : there);
  }
  if (file.runTimeout !== undefined) args.push('--run-timeout', String(file.runTimeout));
  if (file.path === undefined && file.runs !== undefined) args.push('--runs', String(file.runs));
  return args;
}
