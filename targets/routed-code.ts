/**
 * Code that imports node:fs itself (an npm package, or modules of your own), as an adapter names
 * it: spoolcheck routes that code's imports of `fs`, `node:fs`, `fs/promises` and `graceful-fs`
 * to its node:fs facade over the simulated disk (`sim/node-fs/`), so that the code runs
 * unmodified on the disk a property crashes or faults. The file writer, lock and append log
 * adapters are routed code.
 */

/** What to route. */
export interface RoutedCode {
  /**
   * The npm packages whose node:fs imports (and their dependencies') go to the simulated disk:
   * they are routed before the adapter's `load` runs, and must not have been loaded before in this
   * process.
   */
  readonly packages: readonly string[];
  /**
   * Directories (absolute) of modules of your own that import node:fs themselves: routed the same
   * way. Keep such modules in a directory of their own: every module under it is routed.
   */
  readonly dirs?: readonly string[];
  /** The directory the packages are resolved from (default: spoolcheck's own). */
  readonly resolveFrom?: string;
}

/** Throws a clear error unless `value` (the part `part` of a target) names routed code properly. */
export function checkRoutedCode(where: string, part: string, value: Record<string, unknown>): void {
  if (!Array.isArray(value['packages']) || !value['packages'].every((p) => typeof p === 'string')) throw new TypeError(`${where}: '${part}.packages' must be an array of npm package names (may be empty)`);
  const dirs = value['dirs'];
  if (dirs !== undefined && (!Array.isArray(dirs) || !dirs.every((d) => typeof d === 'string' && d.startsWith('/')))) throw new TypeError(`${where}: '${part}.dirs' must be an array of absolute directories`);
  if (value['resolveFrom'] !== undefined && typeof value['resolveFrom'] !== 'string') throw new TypeError(`${where}: '${part}.resolveFrom' must be a directory`);
}
