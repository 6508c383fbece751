/**
 * `spoolcheck replay FILE`: runs the failure a replay file records (`run --replay-dir DIR`)
 * exactly as the run that wrote it did: same property, seed, path, target and run time limit.
 */
import { readReplayFile, replayArgs } from './replay-file.ts';
import { parseCommandLine, UsageError, type Output } from './output.ts';

export const REPLAY_USAGE = `Usage: spoolcheck replay FILE [--json]

Runs the counterexample a replay file records (written by spoolcheck run --replay-dir DIR)
exactly: the same property, seed, shrink path, target and run time limit. Exit 1 when it fails
again, 0 when it no longer does.`;

/** Runs `spoolcheck replay <args>` through `run` (given as `runMain`, to keep one entry point). */
export async function replayCommand(args: readonly string[], out: Output, runMain: (argv: readonly string[]) => Promise<number>, cwd = process.cwd()): Promise<number> {
  const { flags, files } = parseCommandLine(args, { json: { type: 'boolean' }, help: { type: 'boolean' } });
  if (flags['help'] === true) {
    out.stdout(REPLAY_USAGE);
    return 0;
  }
  const json = flags['json'] === true;
  if (files.length !== 1) throw new UsageError(`replay takes one replay file (and optionally --json), got: ${args.join(' ') || 'nothing'}`);
  const file = await readReplayFile(files[0] as string);
  const argv = [...replayArgs(file, cwd), ...(json ? ['--json'] : [])];
  (json ? out.stderr : out.stdout)(`spoolcheck: replaying ${file.suite}/${file.property} from ${files[0]}: spoolcheck ${argv.join(' ')}`);
  const code = await runMain(argv);
  if (code === 0) out.stderr(`spoolcheck: the recorded counterexample no longer fails (it was fixed, or the property is not deterministic); it was:\n${file.counterexample}`);
  return code;
}
