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

  it('clear errors and no file left behind; no overwrite without --force; the sector size is found; a full ring is waited on, with --timeout', async () => {
    const tmp = await makeTempDir('spoolcheck-ring-cli-');
    try {
      const run = async (...args: string[]) => {
        const c = capture();
        const code = await main(['ring', ...args], c.out, () => 0);
        return { code, err: c.stderr.join('\n'), out: c.stdout.join('\n') };
      };
      const { readdir, writeFile } = await import('node:fs/promises');
      expect(await run('create', tmp.path)).toMatchObject({ code: 2, err: expect.stringMatching(/is a directory/) });
      expect(await run('create', join(tmp.path, 'no', 'such', 'r'))).toMatchObject({ code: 2, err: expect.stringMatching(/its directory .* does not exist/) });
      expect(await run('create', join(tmp.path, 'big'), '--sectors', '99999999999')).toMatchObject({ code: 2, err: expect.stringMatching(/at most \d+ bytes/) });
      expect(await readdir(tmp.path)).toEqual([]);
      const file = join(tmp.path, 'r');
      expect((await run('create', file, '--sectors', '4', '--sector-size', '4096')).code).toBe(0);
      expect(await run('create', file)).toMatchObject({ code: 2, err: expect.stringMatching(/exists; .*--force/) });
      // Read back without --sector-size: found from the control sectors.
      expect((await run('produce', file, 'a'.repeat(1000), 'b'.repeat(1000), 'c'.repeat(3000), '--timeout', '1'))).toMatchObject({ code: 1, err: expect.stringMatching(/the ring is full; waiting[\s\S]*still full after 1 s; published 2 item/) });
      expect((await run('state', file)).out).toMatch(/^running; producer at 2008/);
      expect((await run('create', file, '--force')).code).toBe(0);
      const truncated = join(tmp.path, 't');
      await writeFile(truncated, new Uint8Array(1000));
      expect(await run('state', truncated)).toMatchObject({ code: 2, err: expect.stringMatching(/not a whole number of 512-byte sectors/) });
    } finally {
      await tmp.cleanup();
    }
  });
});
