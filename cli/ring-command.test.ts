/** The file-backed ring demo: create, produce, consume, suspend, and clear errors. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../impl/io/node-vfs.ts';
import { main } from './main.ts';

function capture(): { out: { stdout: (t: string) => void; stderr: (t: string) => void }; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { out: { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) }, stdout, stderr };
}

describe('spoolcheck ring', () => {
  it('two "processes" share a ring file: items come out in order, once', async () => {
    const tmp = await makeTempDir('spoolcheck-ring-cli-');
    try {
      const file = join(tmp.path, 'demo.ring');
      const run = async (...args: string[]) => {
        const c = capture();
        const code = await main(['ring', ...args], c.out, () => 0);
        return { code, ...c };
      };
      expect((await run('create', file, '--sectors', '6')).code).toBe(0);
      expect((await run('produce', file, 'one', 'two')).stdout).toEqual(['published 2 item(s); producer at 16']);
      expect((await run('consume', file)).stdout).toEqual(['one', 'two']);
      expect((await run('consume', file)).stdout).toEqual([]);
      expect((await run('suspend', file)).code).toBe(0);
      const suspended = await run('produce', file, 'three');
      expect(suspended.code).toBe(2);
      expect(suspended.stderr.join('\n')).toMatch(/suspended/);
      expect((await run('state', file)).stdout[0]).toMatch(/^suspended; producer at 16, consumer at 16/);
      const bad = await run('consume', join(tmp.path, 'missing.ring'));
      expect(bad.code).toBe(2);
      expect(bad.stderr.join('\n')).toMatch(/missing\.ring/);
      expect((await run('frobnicate', file)).code).toBe(2);
    } finally {
      await tmp.cleanup();
    }
  });
});
