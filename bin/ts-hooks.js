// Module loader hooks for running spoolcheck's own TypeScript sources (a checkout of spoolcheck,
// never the installed package, which runs its compiled dist/). Each .ts file of this package is
// turned into JavaScript by esbuild with the project's compiler settings and nothing else: unlike
// a general loader (tsx keeps every function's name by wrapping each closure in a call, which
// costs 10-15% of a crash exploration), it leaves the code as written. Files outside the package
// (a user's TypeScript target) are left to the next loader (tsx, see cli/load-target.ts).
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const root = new URL('../', import.meta.url).href;

/** The project's compiler settings (esbuild takes those that change the emitted JavaScript). */
const tsconfigRaw = { compilerOptions: JSON.parse(readFileSync(new URL('../tsconfig.json', import.meta.url), 'utf8')).compilerOptions };

/** Node's load hook: this package's .ts files (outside node_modules) as ES modules. */
export async function load(url, context, nextLoad) {
  if (!url.startsWith(root) || !url.endsWith('.ts') || url.includes('/node_modules/')) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const out = await transform(await readFile(file, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20', sourcemap: 'inline', sourcefile: file, tsconfigRaw });
  return { format: 'module', source: out.code, shortCircuit: true };
}
