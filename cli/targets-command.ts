/** `spoolcheck targets`: the built-in targets (the real implementations and every variant) and their capabilities. */
import { VARIANTS } from '../properties/variants.ts';
import { REAL_TARGET, variantTarget } from '../targets/builtin.ts';
import type { Capability, Target } from '../targets/target.ts';
import { formatTable, type Output } from './output.ts';

const CAPABILITIES: readonly Capability[] = ['queue', 'builtin'];

/** The built-in targets, real first, then the available variants in catalog order. */
export function builtinTargets(): Target[] {
  return [REAL_TARGET, ...VARIANTS.filter((v) => v.available).map(variantTarget)];
}

function capabilitiesOf(t: Target): Capability[] {
  return CAPABILITIES.filter((c) => t[c] !== undefined);
}

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
