/**
 * A disk image: the file system as a set of inodes (files and directories) reachable from the
 * root inode 0. Both the crash-simulating Vfs's live view and every crash state are disk images;
 * a crash state is the durable image with a subset of the recorded steps applied.
 *
 * Fault contract, in plain words: this module injects no faults. It is the bookkeeping that
 * applies steps to an image, tolerantly: a step that refers to something a crash state lacks
 * (an inode whose creation was lost) still applies to an empty inode of the right kind, exactly
 * as a real disk's inode table outlives a lost directory entry.
 */

/** An inode number; 0 is the root directory. */
export type Inode = number;

/** A regular file. */
export interface FileNode {
  readonly kind: 'file';
  data: Uint8Array;
  mtimeMs: number;
}

/** A directory: entry name to inode. */
export interface DirNode {
  readonly kind: 'dir';
  readonly entries: Map<string, Inode>;
  mtimeMs: number;
}

/** A disk image; `nodes` may hold unreachable inodes (they are ignored by every reader). */
export interface DiskImage {
  readonly nodes: Map<Inode, FileNode | DirNode>;
}

/** The root directory's inode. */
export const ROOT: Inode = 0;

/** An image holding only an empty root directory with mtime `mtimeMs`. */
export function emptyImage(mtimeMs = 0): DiskImage {
  return { nodes: new Map([[ROOT, { kind: 'dir', entries: new Map(), mtimeMs }]]) };
}

/** A deep copy. */
export function cloneImage(image: DiskImage): DiskImage {
  const nodes = new Map<Inode, FileNode | DirNode>();
  for (const [ino, node] of image.nodes) {
    nodes.set(ino, node.kind === 'file' ? { kind: 'file', data: node.data, mtimeMs: node.mtimeMs } : { kind: 'dir', entries: new Map(node.entries), mtimeMs: node.mtimeMs });
  }
  return { nodes };
}

/**
 * One logical change to an image. Entry changes name a directory inode and an entry name;
 * data changes name a file inode. `at` is the clock time, which becomes the changed inode's (or
 * directory's) mtime.
 */
export type ImageStep =
  /** A new entry `name` in `dir` pointing to `inode` (a fresh file or directory, or an existing inode). */
  | { readonly kind: 'link'; readonly dir: Inode; readonly name: string; readonly inode: Inode; readonly at: number }
  /** Entry `name` removed from `dir`. */
  | { readonly kind: 'unlink'; readonly dir: Inode; readonly name: string; readonly at: number }
  /** Entry `fromName` in `fromDir` moved to `toName` in `toDir`, replacing what was there, in one step. */
  | {
      readonly kind: 'rename';
      readonly fromDir: Inode;
      readonly fromName: string;
      readonly toDir: Inode;
      readonly toName: string;
      /** The inode being moved (for profiles that order a file's data before its rename). */
      readonly inode: Inode;
      readonly at: number;
    }
  /** File `inode` cut or grown (with zeros) to `size` bytes. */
  | { readonly kind: 'setSize'; readonly inode: Inode; readonly size: number; readonly at: number }
  /** `data` written into file `inode` at `offset` (growing it with zeros first if needed). */
  | { readonly kind: 'write'; readonly inode: Inode; readonly offset: number; readonly data: Uint8Array; readonly at: number }
  /** The mtime of `inode` set to `mtimeMs` (utimes). */
  | { readonly kind: 'setMtime'; readonly inode: Inode; readonly mtimeMs: number }
  /** A file's contents made durable (no change to the image). */
  | { readonly kind: 'fsync'; readonly inode: Inode }
  /** A directory's entries made durable (no change to the image). */
  | { readonly kind: 'fsyncDir'; readonly dir: Inode };

/** Which inodes are directories: crash states create lost inodes with the right kind. */
export type InodeKinds = ReadonlyMap<Inode, 'file' | 'dir'>;

function dirOf(image: DiskImage, ino: Inode, kinds: InodeKinds): DirNode | undefined {
  let node = image.nodes.get(ino);
  if (node === undefined) {
    if (kinds.get(ino) !== 'dir') return undefined;
    node = { kind: 'dir', entries: new Map(), mtimeMs: 0 };
    image.nodes.set(ino, node);
  }
  return node.kind === 'dir' ? node : undefined;
}

function fileOf(image: DiskImage, ino: Inode, kinds: InodeKinds): FileNode | undefined {
  let node = image.nodes.get(ino);
  if (node === undefined) {
    if (kinds.get(ino) !== 'file') return undefined;
    node = { kind: 'file', data: new Uint8Array(0), mtimeMs: 0 };
    image.nodes.set(ino, node);
  }
  return node.kind === 'file' ? node : undefined;
}

/** Makes sure `ino` exists (as an empty node of its kind) so an entry can point at it. */
function ensure(image: DiskImage, ino: Inode, kinds: InodeKinds, at: number): void {
  if (image.nodes.has(ino)) return;
  const kind = kinds.get(ino);
  if (kind === 'dir') image.nodes.set(ino, { kind: 'dir', entries: new Map(), mtimeMs: at });
  else if (kind === 'file') image.nodes.set(ino, { kind: 'file', data: new Uint8Array(0), mtimeMs: at });
}

function resize(data: Uint8Array, size: number): Uint8Array {
  if (size === data.length) return data;
  const out = new Uint8Array(size);
  out.set(size < data.length ? data.subarray(0, size) : data);
  return out;
}

/** Applies one step to `image` in place. */
export function applyStep(image: DiskImage, step: ImageStep, kinds: InodeKinds): void {
  switch (step.kind) {
    case 'link': {
      const dir = dirOf(image, step.dir, kinds);
      if (dir === undefined) return;
      ensure(image, step.inode, kinds, step.at);
      dir.entries.set(step.name, step.inode);
      dir.mtimeMs = step.at;
      return;
    }
    case 'unlink': {
      const dir = dirOf(image, step.dir, kinds);
      if (dir === undefined) return;
      dir.entries.delete(step.name);
      dir.mtimeMs = step.at;
      return;
    }
    case 'rename': {
      const from = dirOf(image, step.fromDir, kinds);
      const to = dirOf(image, step.toDir, kinds);
      if (from === undefined || to === undefined) return;
      const ino = from.entries.get(step.fromName);
      if (ino === undefined) return;
      from.entries.delete(step.fromName);
      to.entries.set(step.toName, ino);
      from.mtimeMs = step.at;
      to.mtimeMs = step.at;
      return;
    }
    case 'setSize': {
      const file = fileOf(image, step.inode, kinds);
      if (file === undefined) return;
      file.data = resize(file.data, step.size);
      file.mtimeMs = step.at;
      return;
    }
    case 'write': {
      const file = fileOf(image, step.inode, kinds);
      if (file === undefined) return;
      const data = resize(file.data, Math.max(file.data.length, step.offset + step.data.length));
      const copy = data === file.data ? new Uint8Array(data) : data;
      copy.set(step.data, step.offset);
      file.data = copy;
      file.mtimeMs = step.at;
      return;
    }
    case 'setMtime': {
      const node = image.nodes.get(step.inode) ?? (ensure(image, step.inode, kinds, step.mtimeMs), image.nodes.get(step.inode));
      if (node !== undefined) node.mtimeMs = step.mtimeMs;
      return;
    }
    case 'fsync':
    case 'fsyncDir':
      return;
  }
}

/** The inode at absolute `path`, or undefined. */
export function lookupPath(image: DiskImage, path: string): Inode | undefined {
  let ino: Inode = ROOT;
  for (const part of path.split('/').filter((p) => p !== '')) {
    const node = image.nodes.get(ino);
    if (node === undefined || node.kind !== 'dir') return undefined;
    const child = node.entries.get(part);
    if (child === undefined) return undefined;
    ino = child;
  }
  return ino;
}

/** One file or directory of an image, by path, as reports and comparisons see it. */
export interface TreeEntry {
  readonly path: string;
  readonly kind: 'file' | 'dir';
  /** File contents (files only). */
  readonly data?: Uint8Array;
  readonly mtimeMs: number;
}

/** Every reachable file and directory except the root, depth first, entries in code-unit order. */
export function listTree(image: DiskImage): TreeEntry[] {
  const out: TreeEntry[] = [];
  const seen = new Set<Inode>([ROOT]);
  const walk = (ino: Inode, path: string): void => {
    const node = image.nodes.get(ino);
    if (node === undefined || node.kind !== 'dir') return;
    for (const name of [...node.entries.keys()].sort()) {
      const child = node.entries.get(name) as Inode;
      const childNode = image.nodes.get(child);
      if (childNode === undefined) continue;
      const childPath = `${path}/${name}`;
      out.push(childNode.kind === 'file' ? { path: childPath, kind: 'file', data: childNode.data, mtimeMs: childNode.mtimeMs } : { path: childPath, kind: 'dir', mtimeMs: childNode.mtimeMs });
      // A directory reachable twice (impossible through the Vfs) is listed once.
      if (childNode.kind === 'dir' && !seen.has(child)) {
        seen.add(child);
        walk(child, childPath);
      }
    }
  };
  walk(ROOT, '');
  return out;
}

/** A file's contents for reports: the text if it is printable UTF-8, else hex. */
export function renderBytes(data: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(data);
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text)) return JSON.stringify(text);
  return `0x${[...data].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** File contents as a string of code units 0-255, computed once per array (file data is never changed in place). */
const contentKeys = new WeakMap<Uint8Array, string>();
function contentKey(data: Uint8Array): string {
  let key = contentKeys.get(data);
  if (key === undefined) {
    key = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
    contentKeys.set(data, key);
  }
  return key;
}

/**
 * A canonical string for the image: two images have the same key exactly when
 * {@link renderImage} (with the same `withMtimes`) gives the same lines, and it is several times
 * cheaper to build. For deduplicating crash states and keying facts about a disk; not for people.
 */
export function imageKey(image: DiskImage, withMtimes = true): string {
  const parts: string[] = [];
  const seen = new Set<Inode>([ROOT]);
  const walk = (dir: DirNode, path: string): void => {
    for (const name of [...dir.entries.keys()].sort()) {
      const child = dir.entries.get(name) as Inode;
      const node = image.nodes.get(child);
      if (node === undefined) continue;
      const childPath = `${path}/${name}`;
      const time = withMtimes ? `@${node.mtimeMs}` : '';
      if (node.kind === 'file') {
        parts.push(`${childPath}\0${time}\0${node.data.length}\0${contentKey(node.data)}`);
      } else {
        parts.push(`${childPath}/\0${time}`);
        if (!seen.has(child)) {
          seen.add(child);
          walk(node, childPath);
        }
      }
    }
  };
  const root = image.nodes.get(ROOT);
  if (root?.kind === 'dir') walk(root, '');
  return parts.join('\n');
}

/**
 * The image as lines `path/` or `path = contents`, optionally `@mtime` relative to `baseMs`.
 * Equal lists mean equal images (for everything a Vfs reader can observe).
 */
export function renderImage(image: DiskImage, withMtimes = true, baseMs = 0): string[] {
  return listTree(image).map((e) => {
    const time = withMtimes ? ` @${e.mtimeMs - baseMs >= 0 ? '+' : ''}${e.mtimeMs - baseMs}ms` : '';
    return e.kind === 'dir' ? `${e.path}/${time}` : `${e.path} = ${renderBytes(e.data ?? new Uint8Array())}${time}`;
  });
}
