/**
 * The crash-simulating Vfs: an in-memory file system that behaves like Linux for every call
 * (same error codes as the real-disk adapter: it passes the same Vfs contract) and records every
 * mutating call as logical steps, so that `sim/crash/explore.ts` can enumerate the disk states a
 * power loss (or a kill -9) may leave.
 *
 * Fault contract, in plain words: while running, NOTHING fails and nothing is lost; every call
 * sees every earlier call's effect, like a real machine before the plug is pulled. Faults exist
 * only in the crash states derived afterwards from the recorded history, under a persistence
 * profile (`sim/crash/profiles.ts`) that says which recorded steps may be missing. What is
 * recorded: creating a file or directory (a link), unlink, rmdir, rename (one logical step;
 * profiles may split it), a write (preceded by a size growth when it extends the file), a
 * truncation, utimes, and fsync/fsyncDir as durability barriers (and, for replayed traces, hard
 * links and truncation to a length, outside the Vfs interface). Reads are not recorded.
 * Modification times come from the injected clock (0 without one). It has a synchronous face
 * (`sync-face.ts`): every call completes at once on the in-memory image. Two names of one file (which
 * a crash image or a replayed link can hold) behave as on Linux: writing through one changes the other, and a
 * rename of one onto the other does nothing.
 */
import type { Clock } from '../impl/io/clock.ts';
import { VfsError, type DirWatcher, type OpenFlags, type Vfs, type VfsFile, type VfsStat } from '../impl/io/vfs.ts';
import { notifyingRegistry } from '../impl/io/watch-registry.ts';
import { applyStep, cloneImage, emptyImage, ROOT, type DirNode, type DiskImage, type ImageStep, type Inode } from './crash/disk-image.ts';
import type { CallRecord, History, MarkRecord } from './crash/history.ts';
import { asyncFace, asyncFile, withSyncFace, type SyncVfs } from './sync-face.ts';

/** Options of {@link crashVfs}. */
export interface CrashVfsOptions {
  /** Stamps modification times. Default: every time is 0. */
  readonly clock?: Clock;
  readonly description?: string;
  /** Start from this image (copied) instead of an empty disk: how a crash state is reopened. */
  readonly image?: DiskImage;
}

/** The crash-simulating Vfs, with its recorder. */
export interface CrashVfs extends Vfs {
  /** Forgets the history so far and declares the current image durable: the baseline of the next history. */
  startRecording(): void;
  /** Records a workload marker at the current point of the history. */
  mark(label: string): void;
  /** The history since `startRecording` (or since creation). */
  history(): History;
  /** A copy of the live image (what every call currently sees). */
  liveImage(): DiskImage;
  /** Sets the size of the file at `path` (growing with zeros or cutting): what ftruncate does, for replaying a traced program (the Vfs has no such call). */
  setSize(path: string, size: number): void;
  /** The id of the last call recorded (0 before any): to tie recorded calls to what made them. */
  lastCallId(): number;
  /** Makes `to` a second name of the file at `from` (a hard link), for replaying a traced program (the Vfs has no such call). */
  link(from: string, to: string): void;
}

/** Paths split into components, kept: an exploration resolves the same few dozen paths millions of times. */
const componentCache = new Map<string, readonly string[]>();

function components(path: string): readonly string[] {
  let parts = componentCache.get(path);
  if (parts === undefined) {
    parts = path.split('/').filter((p) => p !== '');
    if (componentCache.size >= 10_000) componentCache.clear();
    componentCache.set(path, parts);
  }
  return parts;
}

/** The path of every directory reachable in `image` ('/' for the root). */
function directoryPaths(image: DiskImage): Map<Inode, string> {
  const paths = new Map<Inode, string>([[ROOT, '/']]);
  const walk = (ino: Inode, path: string): void => {
    const node = image.nodes.get(ino);
    if (node?.kind !== 'dir') return;
    for (const [name, child] of node.entries) {
      if (image.nodes.get(child)?.kind !== 'dir' || paths.has(child)) continue;
      const childPath = `${path}/${name}`;
      paths.set(child, childPath);
      walk(child, childPath);
    }
  };
  walk(ROOT, '');
  return paths;
}

/** Creates an empty crash-simulating Vfs (just `/`). */
export function crashVfs(options: CrashVfsOptions = {}): CrashVfs {
  const clock = options.clock;
  const now = (): number => (clock === undefined ? 0 : clock.now());
  const image = options.image === undefined ? emptyImage(now()) : cloneImage(options.image);
  const kinds = new Map<Inode, 'file' | 'dir'>();
  for (const [ino, node] of image.nodes) kinds.set(ino, node.kind);
  let nextInode = Math.max(...image.nodes.keys()) + 1;
  let baseline = cloneImage(image);
  let records: (CallRecord | MarkRecord)[] = [];
  let callCount = 0;
  const registry = notifyingRegistry();
  /** Each directory's path, for watch notifications: built when the first one is sent (a reopened crash state seldom has a watcher). */
  let pathOf: Map<Inode, string> | undefined;

  const fail = (code: ConstructorParameters<typeof VfsError>[0], syscall: string, path: string): never => {
    throw new VfsError(code, syscall, path);
  };

  /** The directory that holds `path`'s last component, and that name (ancestors must be directories). */
  const parentOf = (syscall: string, path: string): { dir: Inode; node: DirNode; name: string } => {
    const parts = components(path);
    let ino = ROOT;
    for (let i = 0; i < parts.length - 1; i++) {
      const node = image.nodes.get(ino) as DirNode;
      const child = node.entries.get(parts[i] as string);
      if (child === undefined) return fail('ENOENT', syscall, path);
      if (image.nodes.get(child)?.kind !== 'dir') return fail('ENOTDIR', syscall, path);
      ino = child;
    }
    const name = parts[parts.length - 1];
    if (name === undefined) return fail('EBUSY', syscall, path);
    return { dir: ino, node: image.nodes.get(ino) as DirNode, name };
  };
  /** The inode at `path`, or undefined when only the last component is missing. */
  const lookup = (syscall: string, path: string): Inode | undefined => {
    if (components(path).length === 0) return ROOT;
    const { node, name } = parentOf(syscall, path);
    return node.entries.get(name);
  };
  const existing = (syscall: string, path: string): Inode => lookup(syscall, path) ?? fail('ENOENT', syscall, path);

  /** Applies and records one call's steps; notifies watchers of entry changes. */
  const commit = (label: string, steps: ImageStep[]): void => {
    for (const step of steps) applyStep(image, step, kinds);
    records.push({ kind: 'call', id: ++callCount, label, steps });
    for (const step of steps) {
      if (step.kind === 'link' || step.kind === 'unlink') registry.notify(dirPath(step.dir), step.name);
      if (step.kind === 'rename') {
        registry.notify(dirPath(step.fromDir), step.fromName);
        registry.notify(dirPath(step.toDir), step.toName);
      }
    }
  };
  const dirPath = (ino: Inode): string => {
    pathOf ??= directoryPaths(image);
    return pathOf.get(ino) ?? '';
  };
  const newInode = (kind: 'file' | 'dir', path: string): Inode => {
    const ino = nextInode++;
    kinds.set(ino, kind);
    if (kind === 'dir') pathOf?.set(ino, path);
    return ino;
  };

  const openFile = (path: string, flags: OpenFlags): VfsFile => {
    const { dir, name } = parentOf('open', path);
    let ino = lookup('open', path);
    if (ino !== undefined && flags.create === true && flags.exclusive === true) fail('EEXIST', 'open', path);
    if (ino !== undefined && image.nodes.get(ino)?.kind === 'dir') fail('EISDIR', 'open', path);
    if (ino === undefined) {
      if (flags.create !== true) return fail('ENOENT', 'open', path);
      ino = newInode('file', path);
      const steps: ImageStep[] = [{ kind: 'link', dir, name, inode: ino, at: now() }];
      commit(`create ${path}`, steps);
    } else if (flags.truncate === true && fileNode(ino).data.length > 0) {
      commit(`truncate ${path}`, [{ kind: 'setSize', inode: ino, size: 0, at: now() }]);
    }
    const inode = ino;
    let open = true;
    const check = (syscall: string): void => {
      if (!open) fail('EBADF', syscall, path);
    };
    return asyncFile(path, {
      read: (position, length) => {
        check('read');
        return fileNode(inode).data.slice(position, position + length);
      },
      write: (position, data) => {
        check('write');
        if (flags.write !== true) fail('EBADF', 'write', path);
        if (data.length === 0) return;
        const at = now();
        const size = fileNode(inode).data.length;
        const steps: ImageStep[] = [];
        if (position + data.length > size) steps.push({ kind: 'setSize', inode, size: position + data.length, at });
        steps.push({ kind: 'write', inode, offset: position, data: data.slice(), at });
        commit(`write ${path} [${position}, ${position + data.length})`, steps);
      },
      size: () => {
        check('size');
        return fileNode(inode).data.length;
      },
      fsync: () => {
        check('fsync');
        commit(`fsync ${path}`, [{ kind: 'fsync', inode }]);
      },
      close: () => {
        open = false;
      },
    });
  };
  const fileNode = (ino: Inode): { data: Uint8Array } => {
    const node = image.nodes.get(ino);
    return node?.kind === 'file' ? node : { data: new Uint8Array(0) };
  };

  const sync: SyncVfs = {
    mkdir: (path) => {
      const { dir, node, name } = parentOf('mkdir', path);
      if (node.entries.has(name)) fail('EEXIST', 'mkdir', path);
      commit(`mkdir ${path}`, [{ kind: 'link', dir, name, inode: newInode('dir', path), at: now() }]);
    },
    rmdir: (path) => {
      const { dir, node, name } = parentOf('rmdir', path);
      const ino = node.entries.get(name) ?? fail('ENOENT', 'rmdir', path);
      const target = image.nodes.get(ino);
      if (target?.kind !== 'dir') return fail('ENOTDIR', 'rmdir', path);
      if (target.entries.size > 0) fail('ENOTEMPTY', 'rmdir', path);
      commit(`rmdir ${path}`, [{ kind: 'unlink', dir, name, at: now() }]);
    },
    open: (path, flags) => openFile(path, flags),
    rename: (from, to) => {
      const src = parentOf('rename', from);
      const dst = parentOf('rename', to);
      const ino = src.node.entries.get(src.name) ?? fail('ENOENT', 'rename', from);
      const fromIsDir = image.nodes.get(ino)?.kind === 'dir';
      if (to.startsWith(`${from}/`)) fail('EINVAL', 'rename', from);
      if (from === to) return;
      const target = dst.node.entries.get(dst.name);
      // POSIX: when both names are links to the same file, rename does nothing (both stay). Only a
      // crash image can hold such links (a strict-profile rename cut between link and unlink).
      if (target === ino) return;
      if (target !== undefined) {
        const targetNode = image.nodes.get(target);
        if (fromIsDir && targetNode?.kind !== 'dir') fail('ENOTDIR', 'rename', from);
        if (!fromIsDir && targetNode?.kind === 'dir') fail('EISDIR', 'rename', from);
        if (targetNode?.kind === 'dir' && targetNode.entries.size > 0) fail('ENOTEMPTY', 'rename', from);
      }
      if (fromIsDir) pathOf?.set(ino, to);
      commit(`rename ${from} ${to}`, [{ kind: 'rename', fromDir: src.dir, fromName: src.name, toDir: dst.dir, toName: dst.name, inode: ino, at: now() }]);
    },
    unlink: (path) => {
      const { dir, node, name } = parentOf('unlink', path);
      const ino = node.entries.get(name) ?? fail('ENOENT', 'unlink', path);
      if (image.nodes.get(ino)?.kind === 'dir') fail('EISDIR', 'unlink', path);
      commit(`unlink ${path}`, [{ kind: 'unlink', dir, name, at: now() }]);
    },
    readdir: (path) => {
      const node = image.nodes.get(existing('readdir', path));
      if (node?.kind !== 'dir') return fail('ENOTDIR', 'readdir', path);
      return [...node.entries.keys()];
    },
    stat: (path): VfsStat => {
      const node = image.nodes.get(existing('stat', path));
      if (node === undefined) return fail('ENOENT', 'stat', path);
      return { kind: node.kind === 'dir' ? 'directory' : 'file', size: node.kind === 'file' ? node.data.length : 0, mtimeMs: node.mtimeMs };
    },
    utimes: (path, _atimeMs, mtimeMs) => {
      const ino = existing('utimes', path);
      commit(`utimes ${path}`, [{ kind: 'setMtime', inode: ino, mtimeMs: Math.round(mtimeMs) }]);
    },
    fsyncDir: (path) => {
      const ino = existing('fsyncDir', path);
      if (image.nodes.get(ino)?.kind !== 'dir') fail('ENOTDIR', 'fsyncDir', path);
      commit(`fsyncDir ${path}`, [{ kind: 'fsyncDir', dir: ino }]);
    },
  };

  const self: CrashVfs = {
    description: options.description ?? 'crash-vfs',
    ...asyncFace(sync),
    watch: async (path): Promise<DirWatcher> => {
      const ino = existing('watch', path);
      if (image.nodes.get(ino)?.kind !== 'dir') fail('ENOTDIR', 'watch', path);
      return registry.watch(path === '/' ? '/' : path);
    },
    startRecording: () => {
      baseline = cloneImage(image);
      records = [];
      callCount = 0;
    },
    mark: (label) => {
      records.push({ kind: 'mark', label });
    },
    history: () => ({ baseline, kinds: new Map(kinds), records: [...records] }),
    liveImage: () => cloneImage(image),
    setSize: (path, size) => {
      const ino = existing('truncate', path);
      if (image.nodes.get(ino)?.kind !== 'file') fail('EISDIR', 'truncate', path);
      if (fileNode(ino).data.length !== size) commit(`truncate ${path} to ${size}`, [{ kind: 'setSize', inode: ino, size, at: now() }]);
    },
    lastCallId: () => callCount,
    link: (from, to) => {
      const ino = existing('link', from);
      if (image.nodes.get(ino)?.kind !== 'file') fail('EPERM', 'link', from);
      const { dir, node, name } = parentOf('link', to);
      if (node.entries.has(name)) fail('EEXIST', 'link', to);
      commit(`link ${from} ${to}`, [{ kind: 'link', dir, name, inode: ino, at: now() }]);
    },
  };
  return withSyncFace(self, sync);
}
