/** `spoolcheck targets`: the built-in targets (the real implementations and every variant) and their capabilities. */
import { builtinTargets } from '../targets/builtin.ts';
import { capabilitiesOf } from '../targets/target.ts';
import { formatTable, type Output } from './output.ts';

/** Prints the built-in targets; returns the exit code (always 0). */
export function targetsCommand(json: boolean, out: Output): number {
  const targets = builtinTargets();
  if (json) {
    out.stdout(JSON.stringify(targets.map((t) => ({ name: t.name, description: t.description, capabilities: capabilitiesOf(t) })), null, 2));
    return 0;
  }
  out.stdout(formatTable(['target', 'capabilities', 'description'], targets.map((t) => [t.name, capabilitiesOf(t).join(','), t.description])));
  return 0;
}
