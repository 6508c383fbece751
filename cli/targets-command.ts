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
  out.stdout(formatTable(['target', 'capabilities', 'description'], targets.map((t) => [t.name, shortCapabilities(capabilitiesOf(t)), t.description])));
  return 0;
}

/**
 * Capabilities in short: each part once, with what it claims to survive in brackets
 * (`queue[process-crash,power-loss] builtin`).
 */
export function shortCapabilities(capabilities: readonly string[]): string {
  const parts = new Map<string, string[]>();
  for (const c of capabilities) {
    const [part, claim] = c.split('-survives-') as [string, string | undefined];
    const claims = parts.get(part) ?? [];
    if (claim !== undefined) claims.push(claim);
    parts.set(part, claims);
  }
  return [...parts].map(([part, claims]) => (claims.length === 0 ? part : `${part}[${claims.join(',')}]`)).join(' ');
}
