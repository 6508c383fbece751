/**
 * `spoolcheck trace`: check an unmodified program in any language against power loss, the way
 * ALICE did, with spoolcheck's persistence profiles and explorer:
 *
 *   spoolcheck trace [--profile P|all] [--max-states N] [--seed N] [--save FILE] --checker "CMD" -- PROGRAM ARGS...
 *   spoolcheck trace --replay FILE [--profile P|all] [--max-states N] [--seed N] --checker "CMD"
 *
 * The program runs once under strace on a fresh empty directory (`SPOOLCHECK_DIR`, and `{dir}`
 * in its arguments; `cli/trace/record.ts`); its calls on that directory become a crash history;
 * every crash state of each profile is handed to CMD (`cli/trace/check-trace.ts`). Exit codes:
 * 0 every checked state is consistent, 1 the checker rejected one, 2 bad usage or environment.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { findProfile, PROFILES, type PersistenceProfile } from '../sim/crash/profiles.ts';
import { TraceParseError } from '../sim/trace/strace-parse.ts';
import { TraceRefused } from '../sim/trace/replay.ts';
import { parseFlags, parseInteger, UsageError, type Output } from './output.ts';
import { checkTrace, type TraceVerdict } from './trace/check-trace.ts';
import { asSavedTrace, recordTrace, RecordError, type SavedTrace } from './trace/record.ts';

export const TRACE_USAGE = `Usage:
  spoolcheck trace [options] --checker "CMD" -- PROGRAM [ARGS...]
  spoolcheck trace --replay FILE [options] --checker "CMD"

Runs PROGRAM once under strace on a fresh empty directory, given to it as the environment
variable SPOOLCHECK_DIR (and as any argument that is exactly {dir}), in the current working
directory (it must exit with 0); then every state a crash may leave of that directory (under each persistence profile) is written
to a fresh directory and CMD runs on it (sh -c CMD) with
  SPOOLCHECK_DIR      the directory holding the crash state
  SPOOLCHECK_OUTPUT   a file with the program's standard output up to the crash point
  SPOOLCHECK_PROFILE  the profile's name
Exit 0 from CMD means the state is consistent.

Options:
  --checker CMD     the consistency check (required)
  --profile P       strict, ext4-ordered, process-crash, or all (default all; comma-separated for several)
  --max-states N    distinct crash states checked per profile at most (default 2000)
  --seed N          seed of the sampling of crash points with many states (default 1)
  --save FILE       also save the trace to FILE (explore it again with --replay FILE)
  --replay FILE     explore a saved trace instead of running a program
  --dir PATH        run the program on the existing directory PATH instead of a fresh one (for
                    programs whose directory is fixed, e.g. /var/spool/...): what it holds at the
                    start is taken as durable, and the program changes it for real
  --reports N       counterexamples shown in full per profile (default 1)
  --jobs N          checker runs at a time (default: one per core); the verdict does not
                    depend on it
  --fail-fast       stop checking a profile at the first state the checker rejects, trying the
                    last crash points first (a quicker verdict; the counterexample shown is then
                    the first found, not the one that lost the fewest steps)
  --json            print the verdict as JSON

Exit codes: 0 every checked state is consistent, 1 the checker rejected one, 2 bad usage or
environment (strace missing, a trace that cannot be replayed).`;

/** The profiles `--profile` names. */
function profilesOf(text: string | undefined): PersistenceProfile[] {
  if (text === undefined || text === 'all') return [...PROFILES];
  return text.split(',').map((name) => {
    const p = findProfile(name.trim());
    if (p === undefined) throw new UsageError(`unknown profile '${name}' (known: ${PROFILES.map((q) => q.name).join(', ')}, all)`);
    return p;
  });
}


/** Runs `spoolcheck trace <args>`; returns the exit code. */
export async function traceCommand(args: readonly string[], out: Output): Promise<number> {
  const split = args.indexOf('--');
  const own = split < 0 ? args : args.slice(0, split);
  const program = split < 0 ? [] : args.slice(split + 1);
  const flags = parseFlags(own, {
    checker: { type: 'string' },
    profile: { type: 'string' },
    'max-states': { type: 'string' },
    seed: { type: 'string' },
    save: { type: 'string' },
    replay: { type: 'string' },
    dir: { type: 'string' },
    reports: { type: 'string' },
    'fail-fast': { type: 'boolean' },
    jobs: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  const text = (name: string): string | undefined => flags[name] as string | undefined;
  const parsed = { checker: text('checker'), profile: text('profile'), 'max-states': text('max-states'), seed: text('seed'), save: text('save'), replay: text('replay'), dir: text('dir'), reports: text('reports'), jobs: text('jobs'), failFast: flags['fail-fast'] === true, json: flags['json'] === true, help: flags['help'] === true };
  if (parsed.help === true) {
    out.stdout(TRACE_USAGE);
    return 0;
  }
  if (parsed.checker === undefined || parsed.checker.trim() === '') throw new UsageError('trace needs --checker "CMD" (the command that judges a crash state)');
  if (parsed.replay !== undefined && program.length > 0) throw new UsageError('give --replay FILE or a program after --, not both');
  if (parsed.replay !== undefined && parsed.dir !== undefined) throw new UsageError('--dir is for recording a program; a saved trace has its directory');
  if (parsed.replay === undefined && program.length === 0) throw new UsageError('trace needs a program to run: spoolcheck trace --checker "CMD" -- PROGRAM [ARGS...]');
  const profiles = profilesOf(parsed.profile);
  const maxStates = parsed['max-states'] === undefined ? 2000 : parseInteger('--max-states', parsed['max-states'], 1, 10_000_000);
  const seed = parsed.seed === undefined ? 1 : parseInteger('--seed', parsed.seed, -2_147_483_648, 2_147_483_647);
  const maxReports = parsed.reports === undefined ? 1 : parseInteger('--reports', parsed.reports, 0, 1000);
  const jobs = parsed.jobs === undefined ? availableParallelism() : parseInteger('--jobs', parsed.jobs, 1, 256);

  let saved: SavedTrace;
  try {
    if (parsed.replay !== undefined) {
      let text: string;
      try {
        text = await readFile(parsed.replay, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read the saved trace ${parsed.replay}: ${err instanceof Error ? err.message : String(err)}`);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new UsageError(`${parsed.replay} is not a saved trace (not JSON)`);
      }
      saved = asSavedTrace(json, parsed.replay);
    } else {
      const [cmd, ...rest] = program as [string, ...string[]];
      if (parsed.json !== true) out.stderr(`spoolcheck: recording ${program.join(' ')} under strace`);
      saved = await recordTrace(cmd, rest, parsed.dir === undefined ? {} : { dir: parsed.dir });
      if (parsed.save !== undefined) await writeFile(parsed.save, JSON.stringify(saved));
      if (saved.exitCode !== 0) throw new UsageError(`the program exited with ${saved.exitCode ?? 'a signal'}, so its run is no workload to check${saved.stderr.trim() === '' ? '' : `; its standard error ended: ${saved.stderr.trim().split('\n').slice(-3).join(' | ')}`}`);
    }
  } catch (err) {
    if (err instanceof RecordError) throw new UsageError(err.message);
    throw err;
  }

  let verdict: TraceVerdict;
  try {
    verdict = await checkTrace(saved, {
      profiles,
      maxStates,
      seed,
      checker: parsed.checker,
      maxReports,
      failFast: parsed.failFast,
      jobs,
      onProgress: parsed.json === true ? undefined : (p, n, total) => {
        if (n === total || n % 100 === 0) out.stderr(`  ${p}: ${n} of ${total} crash states checked`);
      },
    });
  } catch (err) {
    if (err instanceof TraceRefused || err instanceof TraceParseError) throw new UsageError(`the trace cannot be explored: ${err.message}`);
    throw err;
  }
  const failed = verdict.profiles.some((p) => p.inconsistent > 0);
  if (parsed.json === true) {
    out.stdout(JSON.stringify({ program: saved.program, ...verdict, verdict: failed ? 'inconsistent' : 'consistent' }, null, 2));
    return failed ? 1 : 0;
  }
  const lines: string[] = [];
  lines.push(`trace of ${saved.program.join(' ')}: ${verdict.replay.calls} call(s) on its directory replayed, ${verdict.replay.outputs} write(s) to its output`);
  for (const u of verdict.replay.unsupported) lines.push(`  not replayed: ${u}`);
  for (const p of verdict.profiles) {
    const capped = p.checked < p.states ? ` (of ${p.states}: ${p.checked < maxStates && parsed.failFast ? '--fail-fast' : '--max-states'})` : '';
    lines.push(`  ${p.inconsistent === 0 ? 'ok  ' : 'FAIL'} ${p.profile}: ${p.checked} crash state(s) checked${capped}, ${p.inconsistent} inconsistent`);
  }
  for (const p of verdict.profiles) for (const r of p.reports) lines.push('', `=== counterexample under ${p.profile} ===`, r);
  const replay = `npx spoolcheck trace --replay FILE --profile ${verdict.profiles.map((p) => p.profile).join(',')} --seed ${seed} --max-states ${maxStates}${parsed.failFast ? ' --fail-fast' : ''} --checker ${JSON.stringify(parsed.checker)}`;
  if (failed) lines.push('', parsed.replay !== undefined ? `Replay exactly with:\n  ${replay.replace('FILE', parsed.replay)}` : parsed.save !== undefined ? `Replay exactly with:\n  ${replay.replace('FILE', parsed.save)}` : `Save the trace with --save FILE to replay it exactly without the program (${replay}).`);
  lines.push('', failed ? 'The checker rejected a crash state.' : `Every checked crash state is consistent${verdict.profiles.some((p) => p.checked < p.states) ? ' (some profiles were capped by --max-states)' : ''}.`);
  out.stdout(lines.join('\n'));
  return failed ? 1 : 0;
}
