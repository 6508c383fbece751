/**
 * Routes an unmodified npm package's file-system imports to the facade: every `require` or
 * `import` of `fs`, `node:fs`, `fs/promises`, `node:fs/promises` or `graceful-fs` made by a module
 * of the package or of a package it depends on (its dependency closure, found from the
 * package.json files) gets `node-fs-module.ts` instead. Modules elsewhere (the harness, the test
 * runner) keep Node's node:fs.
 *
 * How: CommonJS requires through a wrapper of `Module._load` (Node 20 has no synchronous require
 * hooks; `Module._load` is what require-in-the-middle and every APM agent wrap, for the same
 * reason), ES module imports through `module.register` resolve and load hooks (given as a data:
 * URL, so nothing needs to be copied next to the built files). Routing must be in place before
 * the package is first loaded: a module already loaded keeps the node:fs it was given.
 *
 * Fault contract, in plain words: none; this only decides which modules see the facade.
 */
import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire, register } from 'node:module';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { facadeModule } from './node-fs-module.ts';

/** The specifiers routed to the facade. */
const FS_SPECIFIERS = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'graceful-fs']);

/** The key under which the facade module is reachable from the generated ES modules. */
const GLOBAL_KEY = Symbol.for('spoolcheck.nodeFs');

const routedDirs = new Set<string>();
let facade: Record<string, unknown> | undefined;

/** The facade module, made once. */
function theFacade(): Record<string, unknown> {
  facade ??= facadeModule();
  (globalThis as Record<symbol, unknown>)[GLOBAL_KEY] = facade;
  return facade;
}

function isRouted(filename: string | undefined): boolean {
  if (filename === undefined) return false;
  for (const dir of routedDirs) if (filename.startsWith(dir)) return true;
  return false;
}

let cjsInstalled = false;

function installCjs(): void {
  if (cjsInstalled) return;
  cjsInstalled = true;
  const loader = Module as unknown as { _load: (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown };
  const original = loader._load;
  loader._load = function (request, parent, isMain) {
    if (FS_SPECIFIERS.has(request) && isRouted(parent?.filename)) {
      const mod = theFacade();
      return request.endsWith('promises') ? mod['promises'] : mod;
    }
    return original.call(this, request, parent, isMain);
  };
}

/** The ES module hooks: route fs specifiers imported from routed directories to generated modules over the facade. */
const HOOKS = `
let dirs = [];
export async function initialize(data) { dirs = data.dirs; }
const FS = new Set(${JSON.stringify([...FS_SPECIFIERS])});
export async function resolve(specifier, context, next) {
  if (FS.has(specifier) && context.parentURL !== undefined && dirs.some((d) => context.parentURL.startsWith(d))) {
    return { url: 'spoolcheck-fs:' + (specifier.endsWith('promises') ? 'promises' : 'fs'), shortCircuit: true };
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.startsWith('spoolcheck-fs:')) return next(url, context);
  const promises = url === 'spoolcheck-fs:promises';
  const fs = await import('node:fs');
  const names = Object.keys(promises ? fs.promises : fs).filter((n) => /^[A-Za-z_$][\\w$]*$/.test(n) && n !== 'default');
  const source = 'const m = globalThis[Symbol.for("spoolcheck.nodeFs")]' + (promises ? '.promises' : '') + ';\\nexport default m;\\n' +
    names.map((n) => 'export const ' + n + ' = m[' + JSON.stringify(n) + '];').join('\\n');
  return { format: 'module', source, shortCircuit: true };
}
`;

/** Routes the modules under `dirs` (absolute directories) to the facade. */
export function routeDirs(dirs: readonly string[]): void {
  const fresh = dirs.map((d) => (d.endsWith(sep) ? d : d + sep)).filter((d) => !routedDirs.has(d));
  if (fresh.length === 0) return;
  theFacade();
  for (const d of fresh) routedDirs.add(d);
  installCjs();
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { dirs: [...routedDirs].map((d) => pathToFileURL(d).href) } });
}

/** The directory of package `name` in the nearest node_modules at or above `fromDir`, or undefined. */
function inNodeModules(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The directory of package `name` as resolved from `fromDir`, found through its entry point; by
 * hand in node_modules for an ESM-only package (which require cannot resolve) and for a package
 * named like a Node built-in (`util`, which require resolves to the built-in).
 */
function packageDir(name: string, fromDir: string): string {
  const require = createRequire(join(fromDir, 'noop.js'));
  let entry: string | undefined;
  let failure = '';
  try {
    entry = require.resolve(name);
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  }
  if (entry === undefined || !isAbsolute(entry)) {
    const dir = inNodeModules(name, fromDir);
    if (dir === undefined) throw new Error(`cannot find package ${name} from ${fromDir}${failure === '' ? '' : `: ${failure}`}`);
    return dir;
  }
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === name) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json of ${name} above ${entry}`);
  }
}

/** The directories of package `name` and of every package it depends on (its runtime dependencies). */
export function dependencyClosure(name: string, fromDir: string): string[] {
  const seen = new Map<string, string>();
  const visit = (pkg: string, from: string): void => {
    const dir = packageDir(pkg, from);
    if ([...seen.values()].includes(dir)) return;
    seen.set(pkg, dir);
    const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    for (const dep of Object.keys({ ...json.dependencies })) visit(dep, dir);
  };
  visit(name, fromDir);
  return [...seen.values()];
}

/** Routes package `name` (resolved from `fromDir`) and its dependency closure to the facade; returns the directories routed. */
export function routePackage(name: string, fromDir: string): string[] {
  const dirs = dependencyClosure(name, fromDir);
  routeDirs(dirs);
  return dirs;
}
