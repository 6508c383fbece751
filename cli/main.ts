/**
 * The `spoolcheck` command line.
 *
 *   spoolcheck run [--suite NAME] [--property NAME] [--seed N|random] [--runs N] [--seconds N]
 *                  [--path P] [--variant ID | --target NAME|FILE] [--json] [--partial-ok]
 *                  [--workers N] [--run-timeout S] [--shard i/n] [--junit FILE]
 *                  [--replay-dir DIR] [--report DIR]
 *   spoolcheck replay FILE
 *   spoolcheck merge [--json] [--junit FILE] RUN.json...
 *   spoolcheck variants [--json]
 *   spoolcheck ring create|produce|consume|state|suspend|resume FILE ...
 *   spoolcheck trace [--profile P|all] [--max-states N] [--save FILE] --checker CMD -- PROGRAM ARGS...
 *   spoolcheck help
 *
 * Exit codes (`EXIT`): 0 every property holds; 1 a counterexample was found; 2 bad usage or
 * environment, or nothing applicable to check; 3 a time budget cut the check short; 4 an
 * internal error; 130 interrupted.
 */
import { runCommand, type RunOptions } from './run.ts';
import { DEFAULT_SEED } from './run-suites.ts';
import { suiteNames } from './suites.ts';
import { targetsCommand } from './targets-command.ts';
import { variantsCommand } from './variants-command.ts';
import { RING_USAGE, ringCommand } from './ring-command.ts';
import { traceCommand } from './trace-command.ts';
import { mergeCommand } from './merge-command.ts';
import { replayCommand } from './replay-command.ts';
import { parseFlags, parseInteger, parseSeconds, UsageError, type Output } from './output.ts';

/** The seed of `spoolcheck run` without `--seed` (see run-suites.ts). */
export { DEFAULT_SEED };

/** Exit codes of the CLI. */
export const EXIT = { holds: 0, counterexample: 1, usage: 2, incomplete: 3, internal: 4 } as const;

export const USAGE = `spoolcheck: a simulation and verification harness for crash-safe queues

Usage:
  spoolcheck run [options]     run the property suites (default: all suites, real implementations)
  spoolcheck replay FILE       run the failure a replay file records (run --replay-dir), exactly
  spoolcheck merge [--json] [--junit FILE] RUN.json...
                               join the --json records of sharded runs (--shard i/n) into one verdict
  spoolcheck variants [--json|--markdown]
                               list the buggy variants and the catalogue entry each reproduces
  spoolcheck targets [--json]  list the built-in targets (real, every variant, the real npm packages) and their capabilities
  spoolcheck ring ACTION FILE  a file-backed block ring demo (create, produce, consume, state, suspend, resume)
  spoolcheck trace [options] --checker CMD -- PROGRAM [ARGS...]
                               run any program under strace and check every crash state of its
                               directory with CMD ('spoolcheck trace --help')
  spoolcheck help              show this text (spoolcheck run --help: the options of run)
  spoolcheck --version         print the version

Options of run:
  --suite NAME      run only this suite (comma-separated for several)
  --property NAME   run only this property (with one --suite; comma-separated for several)
  --seed N|random   fast-check seed (default 1); 'random' draws one from the clock and prints it
  --runs N          runs per property (default: each property's own default budget)
  --seconds N       stop starting new runs after N seconds in all (a time budget)
  --path P          replay one shrunk counterexample (as printed by a failing run)
  --variant ID      check a named buggy variant instead of the real implementation
  --target T        check target T: a built-in one by name (see 'spoolcheck targets') or a
                    module file (.ts or .js) whose default export is a target; every suite
                    runs, and a property the target has no capability for is not applicable
  --json            print the results as JSON on stdout (progress goes to stderr; a usage error
                    is JSON too)
  --partial-ok      with --seconds: exit 0 even if the time budget left properties cut short
                    or not run (they are still listed)
  --shard i/n       run shard i of n: every n-th selected property from the i-th, so n CI
                    machines cover each property once (join their --json with spoolcheck merge)
  --junit FILE      also write a JUnit XML report (one testcase per property)
  --replay-dir DIR  also write one replay file per failure into DIR (spoolcheck replay FILE)
  --report DIR      also write one self-contained HTML page per failure into DIR: timelines,
                    crash point and disk, model beside implementation, the replay command
  --workers N       worker threads running properties side by side (default: one per core);
                    verdicts and replay lines do not depend on it
  --run-timeout S   the time limit of one run of every property, in seconds, 0.25 or 2 (default: each
                    property's own, 20 s for most): a run that does not finish in it is a
                    counterexample ("did not finish"), shrunk and replayable like any other

Exit codes: 0 every selected property ran its whole budget and held; 1 a counterexample was
found; 2 bad usage or environment (also when no selected property applies to the target, or a
--path fits no run of the property: nothing checked is not a pass); 3 the time budget (--seconds)
cut properties short or left them not run, without --partial-ok; 4 spoolcheck itself failed
(an internal error, reported with JSON under --json); 130 interrupted (Ctrl-C: the
running property finishes, the rest are listed as not run).`;

/** spoolcheck's version, from its package.json (next to the sources, or above the built files). */
async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(await readFile(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'spoolcheck') return `spoolcheck ${pkg.version ?? '(unknown version)'}`;
    } catch {
      // not there: try the next place
    }
  }
  return 'spoolcheck (unknown version)';
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], out: Output, now: () => number): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out.stdout(USAGE);
        return command === undefined ? EXIT.usage : EXIT.holds;
      case '--version':
      case 'version':
        out.stdout(await packageVersion());
        return EXIT.holds;
      case 'run':
        if (rest.includes('--help') || rest.includes('-h')) {
          out.stdout(USAGE.slice(USAGE.indexOf('Options of run:')));
          return EXIT.holds;
        }
        return await runCommand(parseRunOptions(rest, now), out, now);
      case 'ring':
        if (rest.includes('--help') || rest.includes('-h')) {
          out.stdout(RING_USAGE);
          return EXIT.holds;
        }
        return await ringCommand(rest, out);
      case 'trace':
        return await traceCommand(rest, out);
      case 'merge':
        return await mergeCommand(rest, out);
      case 'replay':
        return await replayCommand(rest, out, (args) => main(args, out, now));
      case 'targets':
        return targetsCommand(parseFlags(rest, { json: { type: 'boolean' } }).json === true, out);
      case 'variants':
      {
        const flags = parseFlags(rest, { json: { type: 'boolean' }, markdown: { type: 'boolean' } });
        return variantsCommand(flags['json'] === true, out, flags['markdown'] === true);
      }
      default:
        throw new UsageError(`unknown command '${command}' (expected run, replay, merge, variants, targets, ring, trace or help)`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      out.stderr(`spoolcheck: ${err.message}\nRun 'spoolcheck help' for usage.`);
      // A CI reading --json gets JSON even for a usage error.
      if (argv.includes('--json')) out.stdout(JSON.stringify({ verdict: 'usage-error', error: err.message }, null, 2));
      return EXIT.usage;
    }
    // spoolcheck itself broke: still say so in the form the caller reads.
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    out.stderr(`spoolcheck: internal error (please report it): ${text}`);
    if (argv.includes('--json')) out.stdout(JSON.stringify({ verdict: 'internal-error', error: err instanceof Error ? err.message : String(err) }, null, 2));
    return EXIT.internal;
  }
}

function parseRunOptions(args: readonly string[], now: () => number): RunOptions {
  const v = parseFlags(args, {
    suite: { type: 'string', multiple: true },
    'partial-ok': { type: 'boolean' },
    property: { type: 'string' },
    seed: { type: 'string' },
    runs: { type: 'string' },
    seconds: { type: 'string' },
    path: { type: 'string' },
    variant: { type: 'string' },
    target: { type: 'string' },
    json: { type: 'boolean' },
    workers: { type: 'string' },
    'run-timeout': { type: 'string' },
    shard: { type: 'string' },
    junit: { type: 'string' },
    'replay-dir': { type: 'string' },
    report: { type: 'string' },
  });
  const str = (k: string): string | undefined => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const seedText = str('seed');
  let seed = DEFAULT_SEED;
  if (seedText === 'random') seed = now() % 2_147_483_647;
  else if (seedText !== undefined) seed = parseInteger('--seed', seedText, -2_147_483_648, 2_147_483_647);
  const runsText = str('runs');
  const secondsText = str('seconds');
  const suiteArgs = v['suite'] as string[] | undefined;
  const suites = suiteArgs?.flatMap((a) => a.split(',')).map((s) => s.trim());
  if (suites !== undefined && (suites.length === 0 || suites.some((s) => s === ''))) throw new UsageError(`--suite needs suite names (known: ${suiteNames().join(', ')})`);
  const propertyText = str('property');
  const properties = propertyText?.split(',').map((s) => s.trim());
  const path = str('path');
  if (properties !== undefined && properties.some((p) => p === '')) throw new UsageError('--property needs property names (comma-separated for several)');
  if (properties !== undefined && suites?.length !== 1) throw new UsageError('--property needs exactly one --suite');
  if (path !== undefined && properties?.length !== 1) throw new UsageError('--path replays one property: give --suite and one --property too');
  if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) throw new UsageError(`--path '${path}' is not a replay path (digits separated by ':')`);
  return {
    seed,
    ...(suites === undefined ? {} : { suites }),
    ...(properties === undefined ? {} : { properties }),
    ...(runsText === undefined ? {} : { runs: parseInteger('--runs', runsText, 1, 10_000_000) }),
    ...(secondsText === undefined ? {} : { seconds: parseInteger('--seconds', secondsText, 1, 86_400) }),
    ...(path === undefined ? {} : { path }),
    ...(str('variant') === undefined ? {} : { variant: str('variant') as string }),
    ...(str('target') === undefined ? {} : { target: str('target') as string }),
    json: v['json'] === true,
    partialOk: v['partial-ok'] === true,
    ...(str('workers') === undefined ? {} : { workers: parseInteger('--workers', str('workers') as string, 1, 256) }),
    ...(str('run-timeout') === undefined ? {} : { runTimeout: parseSeconds('--run-timeout', str('run-timeout') as string, 0.001, 86_400) }),
    ...(str('shard') === undefined ? {} : { shard: parseShard(str('shard') as string) }),
    ...(str('junit') === undefined ? {} : { junit: str('junit') as string }),
    ...(str('replay-dir') === undefined ? {} : { replayDir: str('replay-dir') as string }),
    ...(str('report') === undefined ? {} : { report: str('report') as string }),
  };
}

/** `--shard i/n`: shard i (1 to n) of n. */
function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (m === null) throw new UsageError(`--shard expects i/n (shard i of n, e.g. 1/2), got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new UsageError(`--shard ${text}: i must be between 1 and n`);
  return { index, count };
}

