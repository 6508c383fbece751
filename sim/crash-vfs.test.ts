/** The crash-simulating Vfs passes the Vfs contract and records what it did. */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../impl/io/clock.ts';
import { writeWholeFile } from '../impl/io/files.ts';
import { defineVfsContract } from '../impl/io/vfs-contract.ts';
import { renderImage } from './crash/disk-image.ts';
import { crashVfs } from './crash-vfs.ts';

defineVfsContract('crash-vfs', async () => ({ vfs: crashVfs(), cleanup: async () => {} }));

describe('crash-vfs recording', () => {
  it('records mutating calls as logical steps, markers in place, and nothing for reads', async () => {
    const clock = manualClock(1_000);
    const vfs = crashVfs({ clock });
    await vfs.mkdir('/d');
    vfs.startRecording();
    await writeWholeFile(vfs, '/d/f', new TextEncoder().encode('abc'));
    vfs.mark('written');
    await vfs.readdir('/d');
    await vfs.rename('/d/f', '/d/g');
    const h = vfs.history();
    expect(renderImage(h.baseline)).toEqual(['/d/ @+1000ms']);
    expect(h.records.map((r) => (r.kind === 'mark' ? `mark ${r.label}` : `${r.id} ${r.label} ${r.steps.map((s) => s.kind).join('+')}`))).toEqual([
      '1 create /d/f link',
      '2 write /d/f [0, 3) setSize+write',
      '3 fsync /d/f fsync',
      'mark written',
      '4 rename /d/f /d/g rename',
    ]);
    expect(renderImage(vfs.liveImage(), false)).toEqual(['/d/', '/d/g = "abc"']);
  });

  it('two names of one file (as a cut rename leaves them) behave as on Linux: shared writes, rename onto each other does nothing', async () => {
    const vfs = crashVfs();
    await vfs.mkdir('/d');
    await writeWholeFile(vfs, '/d/a', new TextEncoder().encode('old'));
    const image = vfs.liveImage();
    const dir = [...image.nodes.values()].find((n) => n.kind === 'dir' && n.entries.has('a'));
    if (dir?.kind !== 'dir') throw new Error('no /d in the image');
    dir.entries.set('b', dir.entries.get('a') as number);
    const linked = crashVfs({ image });
    await linked.rename('/d/a', '/d/b');
    expect((await linked.readdir('/d')).sort()).toEqual(['a', 'b']);
    await writeWholeFile(linked, '/d/a', new TextEncoder().encode('new'));
    expect(renderImage(linked.liveImage(), false)).toEqual(['/d/', '/d/a = "new"', '/d/b = "new"']);
  });

  it('reopens a given image with the same contents, and new inodes do not collide', async () => {
    const vfs = crashVfs();
    await vfs.mkdir('/d');
    await writeWholeFile(vfs, '/d/f', new TextEncoder().encode('x'));
    const copy = crashVfs({ image: vfs.liveImage() });
    expect(await copy.readdir('/d')).toEqual(['f']);
    await writeWholeFile(copy, '/d/g', new TextEncoder().encode('y'));
    expect(renderImage(copy.liveImage(), false)).toEqual(['/d/', '/d/f = "x"', '/d/g = "y"']);
    expect(renderImage(vfs.liveImage(), false)).toEqual(['/d/', '/d/f = "x"']);
  });
});
