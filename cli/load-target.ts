/**
 * What `spoolcheck run --target X` checks: a built-in target by name (`real`, or a variant id
 * such as `MS-2`), or else a module file (TypeScript or JavaScript) whose default export is a
 * target. Anything else is a usage error that says what was wrong.
 */
import { stat } from 'node:fs/promises';
import * as nodePath from 'node:path';
import { pathToFileURL } from 'node:url';
import { findVariant, VARIANTS, type Variant } from '../properties/variants.ts';
import { PACKAGE_TARGETS, REAL_TARGET, variantTarget } from '../targets/builtin.ts';
import { asTarget, type Target } from '../targets/target.ts';
import { errorText } from '../properties/session-report.ts';
import { UsageError } from './output.ts';
import { dependencyClosure } from '../sim/node-fs/route.ts';
import { OWN_DIR } from '../properties/routed-code.ts';

/** The target of a run, and the variant it is (when it is one of ours). */
export interface ChosenTarget {
  readonly target: Target;
  readonly variant?: Variant;
  /** The options that choose this target again (for the replay line); empty for `real`. */
  readonly replayArgs: readonly string[];
}

/** The target that `--variant` and `--target` (at most one of them) choose; `real` without either. */
export async function chooseTarget(options: { readonly variant?: string; readonly target?: string }, cwd: string): Promise<ChosenTarget> {
  if (options.variant !== undefined && options.target !== undefined) throw new UsageError('give --variant or --target, not both');
  const name = options.variant ?? options.target;
  if (name === undefined || name === REAL_TARGET.name) return { target: REAL_TARGET, replayArgs: [] };
  const variant = findVariant(name);
  if (variant !== undefined) return { target: variantTarget(variant), variant, replayArgs: ['--variant', variant.id] };
  if (options.variant !== undefined) throw new UsageError(`unknown variant '${name}' (known: ${VARIANTS.map((v) => v.id).join(', ')})`);
  const pkg = PACKAGE_TARGETS.find((t) => t.name === name);
  if (pkg !== undefined) {
    for (const p of [...(pkg.fileWriter?.packages ?? []), ...(pkg.lock?.packages ?? []), ...(pkg.appendLog?.packages ?? [])]) {
      try {
        dependencyClosure(p, OWN_DIR);
      } catch (err) {
        throw new UsageError(`--target ${name} checks the npm package ${p}, a development dependency of spoolcheck, which is not installed here (${errorText(err)}): run it from a checkout of spoolcheck after 'npm ci'`);
      }
    }
    return { target: pkg, replayArgs: ['--target', name] };
  }
  return { target: await loadTargetModule(name, cwd), replayArgs: ['--target', name] };
}

/** Imports `file` (relative to `cwd`) and returns its default export, checked to be a target. */
export async function loadTargetModule(file: string, cwd: string): Promise<Target> {
  const path = nodePath.resolve(cwd, file);
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) {
    throw new UsageError(`--target '${file}' is neither a built-in target (real, a variant id or a package: see 'spoolcheck targets') nor a module file (${path} does not exist)`);
  }
  let module: Record<string, unknown>;
  try {
    module = await importModule(path);
  } catch (err) {
    throw new UsageError(`--target '${file}': the module failed to load: ${errorText(err)}`);
  }
  if (!('default' in module)) throw new UsageError(`--target '${file}': the module has no default export (export default a target: { name, description, queue })`);
  try {
    return asTarget(module['default'], file);
  } catch (err) {
    throw new UsageError(errorText(err));
  }
}

let tsLoader: Promise<void> | undefined;

/**
 * Imports a module file. A TypeScript file that Node cannot load by itself (the built CLI runs as
 * plain JavaScript) is loaded again after registering tsx's loader, once per process.
 */
async function importModule(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !/\.[cm]?tsx?$/.test(path)) throw err;
    tsLoader ??= import('tsx/esm/api').then(({ register }) => void register());
    await tsLoader;
    // A new URL: Node remembers the failed import of the first one.
    return (await import(`${url}?spoolcheck-ts`)) as Record<string, unknown>;
  }
}
