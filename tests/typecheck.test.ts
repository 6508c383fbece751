/**
 * The type check of the whole project (`tsc --noEmit -p tsconfig.json`, strict) as one test, so
 * that `npm test` runs it beside the other tests instead of before them, and a type error is
 * counted as a failed test with the compiler's messages. vitest.config.ts starts this file first.
 */
import { execFile } from 'node:child_process';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const repo = nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '..');

it('the project type-checks (tsc --noEmit, strict)', { timeout: 240_000 }, async () => {
  const tsc = nodePath.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json'], { cwd: repo, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, output: stdout + stderr });
    });
  });
  expect(output).toBe('');
  expect(code).toBe(0);
});
