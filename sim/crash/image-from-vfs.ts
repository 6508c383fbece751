/**
 * Reads a directory tree from any Vfs into a {@link DiskImage}: how a real directory, left behind
 * by a process killed with SIGKILL, is checked with the same code as a simulated crash state.
 *
 * Fault contract, in plain words: none; a faithful copy of what the Vfs lists (files, their bytes
 * and mtimes, directories), special files (FIFOs, sockets) left out.
 */
import { readWholeFile } from '../../impl/io/files.ts';
import { join, type Vfs } from '../../impl/io/vfs.ts';
import { emptyImage, ROOT, type DirNode, type DiskImage, type Inode } from './disk-image.ts';

/** Copies everything below `root` of `vfs` into a new image (the image's `/` is `root`). */
export async function imageFromVfs(vfs: Vfs, root = '/'): Promise<DiskImage> {
  const image = emptyImage((await vfs.stat(root)).mtimeMs);
  let next: Inode = ROOT + 1;
  const copyDir = async (path: string, into: DirNode): Promise<void> => {
    for (const name of (await vfs.readdir(path)).sort()) {
      const child = join(path, name);
      const st = await vfs.stat(child);
      // Special files (a FIFO, a socket) hold no data a crash could lose: not copied.
      if (st.kind === 'other') continue;
      const ino = next++;
      into.entries.set(name, ino);
      if (st.kind === 'directory') {
        const dir: DirNode = { kind: 'dir', entries: new Map(), mtimeMs: st.mtimeMs };
        image.nodes.set(ino, dir);
        await copyDir(child, dir);
      } else {
        image.nodes.set(ino, { kind: 'file', data: await readWholeFile(vfs, child), mtimeMs: st.mtimeMs });
      }
    }
  };
  await copyDir(root, image.nodes.get(ROOT) as DirNode);
  return image;
}
