/**
 * Routing an adapter's node:fs code (`targets/routed-code.ts`) to the facade over the simulated
 * disk, once per adapter, before the properties that use it load that code.
 */
import { routeDirs, routePackage } from '../sim/node-fs/route.ts';
import type { RoutedCode } from '../targets/routed-code.ts';

/** spoolcheck's own directory, where built-in targets' packages are resolved from. */
export const OWN_DIR = new URL('..', import.meta.url).pathname;

/** What to suspect when routed code's calls miss the simulated disk. */
export const ROUTING_HINT = "if the code's node:fs calls reached the real disk, its module was loaded before spoolcheck routed it (import nothing from the routed modules before load())";

const routed = new WeakSet<RoutedCode>();

/**
 * Routes the packages and directories `adapter` names to the facade, once per adapter (public as
 * `routeCode`: an adapter of a Vfs suite routes its node:fs code with it, then runs it with
 * `onVfs`, `sim/node-fs/on-vfs.ts`).
 */
export function routeOnce(adapter: RoutedCode): void {
  if (routed.has(adapter)) return;
  for (const p of adapter.packages) routePackage(p, adapter.resolveFrom ?? OWN_DIR);
  routeDirs(adapter.dirs ?? []);
  routed.add(adapter);
}
