/**
 * The package as a user gets it: `npm pack` (which builds dist/), the tarball installed into a
 * fresh project, then the installed `spoolcheck` command run on targets written in JavaScript
 * and in TypeScript, the library imported, and a TypeScript consumer type-checked against the
 * shipped declarations. Needs the npm registry or npm's cache for the dependencies (npm ci fills it).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '..');
let project = '';

/** Runs a command in the test project; resolves with its exit code and output, never rejects on a non-zero exit. */
async function inProject(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd: project, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
  }
}

const JS_TARGET = `import { REAL_TARGET } from 'spoolcheck';
/** spoolcheck's own multispool, entered the way a user's queue is: as a queue adapter. */
export default { name: 'installed-js', description: 'the multispool queue, from the installed package', queue: REAL_TARGET.queue };
`;

const TS_TARGET = `import { REAL_TARGET, type Target, type QueueAdapter } from 'spoolcheck';
const queue: QueueAdapter | undefined = REAL_TARGET.queue;
if (queue === undefined) throw new Error('no queue');
const target: Target = { name: 'installed-ts', description: 'the same, written in TypeScript', queue };
export default target;
`;

describe('the packed package, installed in a fresh project', () => {
  beforeAll(async () => {
    project = await mkdtemp(nodePath.join(tmpdir(), 'spoolcheck-pack-'));
    await run('npm', ['pack', '--pack-destination', project, '--silent'], { cwd: repo, maxBuffer: 16 * 1024 * 1024 });
    const tarball = (await readdir(project)).find((f) => f.endsWith('.tgz'));
    if (tarball === undefined) throw new Error('npm pack made no tarball');
    await writeFile(nodePath.join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
    await run('npm', ['install', `./${tarball}`, '--prefer-offline', '--no-audit', '--no-fund', '--silent'], { cwd: project, maxBuffer: 16 * 1024 * 1024 });
    await writeFile(nodePath.join(project, 'target.mjs'), JS_TARGET);
    await writeFile(nodePath.join(project, 'target.ts'), TS_TARGET);
  }, 240_000);

  afterAll(async () => {
    if (project !== '') await rm(project, { recursive: true, force: true });
  });

  it('ships the build, not the sources', async () => {
    const files = await readdir(nodePath.join(project, 'node_modules', 'spoolcheck'));
    expect(files).toEqual(expect.arrayContaining(['dist', 'bin', 'package.json', 'README.md']));
    expect(files).not.toContain('cli');
    expect(await readdir(nodePath.join(project, 'node_modules', 'spoolcheck', 'dist'))).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'vitest.js']));
  });

  it('npx spoolcheck run --target checks a JavaScript target', async () => {
    const r = await inProject('npx', ['spoolcheck', 'run', '--target', 'target.mjs', '--runs', '3']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/8 of 8 properties hold, \d+ not applicable to this target/);
    expect(r.code).toBe(0);
  }, 120_000);

  it('npx spoolcheck run --target checks a TypeScript target', async () => {
    const r = await inProject('npx', ['spoolcheck', 'run', '--target', 'target.ts', '--suite', 'queue', '--runs', '3']);
    expect(r.stdout).toContain('checking installed-ts');
    expect(r.stdout).toMatch(/8 of 8 properties hold/);
    expect(r.code).toBe(0);
  }, 120_000);

  it('a bad target is a usage error (exit 2)', async () => {
    const r = await inProject('npx', ['spoolcheck', 'run', '--target', 'missing.mjs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/neither a built-in target .* nor a module file/);
  }, 120_000);

  it('the library imports and runs a suite', async () => {
    const script = `import { runSuites, PROPERTIES } from 'spoolcheck';
import target from './target.mjs';
const report = await runSuites(target, { properties: PROPERTIES.filter((p) => p.suite === 'queue'), runs: 2 });
console.log(JSON.stringify({ verdict: report.verdict, ran: report.outcomes.length }));`;
    await writeFile(nodePath.join(project, 'use.mjs'), script);
    const r = await inProject('node', ['use.mjs']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ verdict: 'holds', ran: 8 });
  }, 120_000);

  it('spoolcheck/vitest turns properties into tests; a failing one carries its replay line', async () => {
    const install = await inProject('npm', ['install', 'vitest@4', '--prefer-offline', '--no-audit', '--no-fund', '--silent']);
    expect(install.code).toBe(0);
    const careless = `import { REAL_TARGET } from 'spoolcheck';
const queue = REAL_TARGET.queue;
// A queue that hands out the same id twice: our queue, renaming every id to 'same'.
export default {
  name: 'same-id',
  description: 'a queue that gives every item the same id',
  queue: { open: async (world) => { const h = await queue.open(world); return { ...h, enqueue: async (d) => (await h.enqueue(d), 'same') }; } },
};
`;
    await writeFile(nodePath.join(project, 'same-id.mjs'), careless);
    await writeFile(nodePath.join(project, 'queue.test.mjs'), `import { checkTarget } from 'spoolcheck/vitest';
import target from './same-id.mjs';
checkTarget(target, { module: 'same-id.mjs', suites: ['queue', 'kill'], runs: 20 });
`);
    const r = await inProject('npx', ['vitest', 'run', 'queue.test.mjs']);
    const text = r.stdout + r.stderr;
    expect(r.code).toBe(1);
    expect(text).toMatch(/queue\/sequential/);
    expect(text).toMatch(/kill\/kill-9 \(not applicable: needs builtin\)|1 skipped/);
    expect(text).toMatch(/npx spoolcheck run --suite queue --property sequential --seed -?\d+ --path [\d:]+ --target same-id.mjs/);
  }, 180_000);

  it('a TypeScript consumer type-checks against the shipped declarations', async () => {
    const tsc = nodePath.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    const types = nodePath.join(repo, 'node_modules', '@types');
    const r = await inProject('node', [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--typeRoots', types, 'target.ts']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);
});
