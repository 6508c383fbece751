/**
 * Both built-in adapters pass the same Vfs contract, and memfs volumes shared between several
 * Vfs objects behave as one file system (which the racing-process tests rely on).
 */
import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { manualClock } from './clock.ts';
import { readWholeFile, writeWholeFile } from './files.ts';
import { memfsVfs } from './memfs-vfs.ts';
import { makeTempDir, nodeVfs } from './node-vfs.ts';
import { defineVfsContract } from './vfs-contract.ts';

defineVfsContract('memfs', async () => ({ vfs: memfsVfs(), cleanup: async () => {} }));

defineVfsContract('node-fs', async () => {
  const tmp = await makeTempDir('spoolcheck-vfs-');
  return { vfs: nodeVfs(tmp.path), cleanup: tmp.cleanup };
});

describe('memfs adapter specifics', () => {
  it('two Vfs objects on one volume see each other, notifications included', async () => {
    const volume = new Volume();
    const a = memfsVfs({ volume, description: 'a' });
    const b = memfsVfs({ volume, description: 'b' });
    await a.mkdir('/q');
    const watcher = await b.watch('/q');
    await writeWholeFile(a, '/q/x', new TextEncoder().encode('hi'));
    expect(watcher.drain()).toEqual(['x']);
    expect(new TextDecoder().decode(await readWholeFile(b, '/q/x'))).toBe('hi');
    watcher.close();
    await writeWholeFile(a, '/q/y', new Uint8Array());
    expect(watcher.drain()).toEqual([]);
    expect(b.description).toBe('b');
  });

  it('with a clock, files and their directories take the clock time when they change', async () => {
    const clock = manualClock(1_700_000_000_000);
    const vfs = memfsVfs({ clock });
    await vfs.mkdir('/d');
    clock.advance(5_000);
    await writeWholeFile(vfs, '/d/f', new Uint8Array([1]));
    expect((await vfs.stat('/d/f')).mtimeMs).toBe(1_700_000_005_000);
    expect((await vfs.stat('/d')).mtimeMs).toBe(1_700_000_005_000);
    clock.advance(1_000);
    const f = await vfs.open('/d/f', { write: true });
    await f.write(1, new Uint8Array([2]));
    await f.close();
    expect((await vfs.stat('/d/f')).mtimeMs).toBe(1_700_000_006_000);
    expect((await vfs.stat('/d')).mtimeMs).toBe(1_700_000_005_000);
    clock.advance(1_000);
    await vfs.unlink('/d/f');
    expect((await vfs.stat('/d')).mtimeMs).toBe(1_700_000_007_000);
  });
});
