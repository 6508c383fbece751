/**
 * The world of the `file` suite: a simulated disk (the crash Vfs, with a fault plan or none)
 * holding `/data/config.json` with a durable initial content, a node:fs facade over it, and the
 * target's file writer loaded with its packages routed to that facade. Every replace runs as
 * one simulated process, so the writer's node:fs calls reach the simulated disk.
 */
import fc from 'fast-check';
import { crashVfs, type CrashVfs } from '../../sim/crash-vfs.ts';
import { faultVfs, type FaultPlan, type FaultVfs } from '../../sim/fault-vfs.ts';
import { inSimulatedProcess } from '../../sim/node-fs/context.ts';
import { FsOverVfs } from '../../sim/node-fs/fs-over-vfs.ts';
import { routeOnce } from '../routed-code.ts';
import type { FileWriter, FileWriterAdapter } from '../../targets/file-writer-adapter.ts';
import { errorText } from '../session-report.ts';

/** The directory and the file every `file` property writes. */
export const FILE_DIR = '/data';
export const FILE_PATH = '/data/config.json';

/** Routes the adapter's packages (once) and loads a fresh writer. */
export function loadWriter(adapter: FileWriterAdapter): Promise<FileWriter> {
  routeOnce(adapter);
  return adapter.load();
}

/** The content of version `n` (0 is the initial one), `length` bytes long: distinct for every n. */
export function versionContent(n: number, length: number): string {
  const head = `{"version":${n},"fill":"`;
  const tail = '"}';
  const room = Math.max(0, length - head.length - tail.length);
  return head + String.fromCharCode(97 + (n % 26)).repeat(room) + tail;
}

/** Content lengths for crash workloads: small ones and a few hundred bytes (a strict crash splits writes into 8-byte pieces, so a page is already 512 of them). */
export const crashLengthArb = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constantFrom(100, 300, 600));

/** Content lengths for fault runs (no crash exploration): small, around a page, and a few pages. */
export const lengthArb = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constantFrom(511, 4096, 4097, 9000));

/** A fresh disk with the initial content durable, and the facade (over `plan`'s faults if given). */
export async function fileWorld(initial: string, plan?: FaultPlan): Promise<{ crash: CrashVfs; disk: FaultVfs | CrashVfs; fs: FsOverVfs }> {
  const crash = crashVfs();
  await crash.mkdir(FILE_DIR);
  const f = await crash.open(FILE_PATH, { write: true, create: true });
  await f.write(0, new TextEncoder().encode(initial));
  await f.fsync();
  await f.close();
  await crash.fsyncDir(FILE_DIR);
  crash.startRecording();
  const disk = plan === undefined ? crash : faultVfs(crash, plan);
  return { crash, disk, fs: new FsOverVfs(disk) };
}

/** One replace as a simulated process: `ok`, or the error in words. */
export async function replaceIn(fs: FsOverVfs, writer: FileWriter, data: string): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    await inSimulatedProcess(fs, () => writer.replace(FILE_PATH, data));
    return { ok: true };
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
}

/** What the file holds on `vfs` now (undefined: absent). */
export async function contentOf(vfs: { open: CrashVfs['open'] }): Promise<string | undefined> {
  let file;
  try {
    file = await vfs.open(FILE_PATH, {});
  } catch {
    return undefined;
  }
  const bytes = await file.read(0, await file.size());
  await file.close();
  return new TextDecoder().decode(bytes);
}
