/**
 * The world of the `log` suite: a simulated disk (the crash Vfs, with a fault plan or none)
 * holding the durable empty directory `/data`, a node:fs facade over it, and the target's append
 * log loaded with its code routed to that facade. The log is opened, appended to and synced as
 * one simulated process; opening it again after a crash or a fault is a new simulated process on
 * what the disk kept.
 */
import fc from 'fast-check';
import { crashVfs, type CrashVfs } from '../../sim/crash-vfs.ts';
import { faultVfs, type FaultPlan, type FaultVfs } from '../../sim/fault-vfs.ts';
import { inSimulatedProcess } from '../../sim/node-fs/context.ts';
import { FsOverVfs } from '../../sim/node-fs/fs-over-vfs.ts';
import type { Vfs } from '../../impl/io/vfs.ts';
import type { AppendLog, AppendLogAdapter, AppendLogOpener } from '../../targets/append-log-adapter.ts';
import { quoteRecord } from '../../model/log/append-log.ts';
import { routeOnce } from '../routed-code.ts';
import { errorText } from '../session-report.ts';

/** The directory every `log` property keeps its log in. */
export const LOG_DIR = '/data';

/** Record lengths: short ones, and some longer than a page (a kill may cut a write between pages). */
export const recordLengthArb = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 80 }) }, { weight: 1, arbitrary: fc.constantFrom(600, 5000) });

/**
 * Record lengths for crash exploration where writes tear in 8-byte pieces (every piece is a
 * crash point with its own states, so a page would be hundreds of them): short ones and a few
 * hundred bytes.
 */
export const tornRecordLengthArb = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 80 }) }, { weight: 1, arbitrary: fc.constant(200) });

/** Record number `n` (1-based), about `length` bytes long (never less than its number): distinct for every n, and ordered by n as strings. */
export function recordOf(n: number, length: number): string {
  const head = `r${String(n).padStart(4, '0')}`;
  return head + String.fromCharCode(97 + (n % 26)).repeat(Math.max(0, length - head.length));
}

/** Routes the adapter's code (once) and loads it. */
export function loadLog(adapter: AppendLogAdapter): Promise<AppendLogOpener> {
  routeOnce(adapter);
  return adapter.load();
}

/** A fresh disk with `/data` durable, and the facade (over `plan`'s faults if given, disarmed). */
export async function logWorld(plan?: FaultPlan): Promise<{ crash: CrashVfs; disk: FaultVfs | CrashVfs; fs: FsOverVfs }> {
  const crash = crashVfs();
  await crash.mkdir(LOG_DIR);
  await crash.fsyncDir('/');
  crash.startRecording();
  const disk = plan === undefined ? crash : faultVfs(crash, plan, { armed: false });
  return { crash, disk, fs: new FsOverVfs(disk) };
}

/** What one call of the log gave: its value, or the error in words. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Runs `f` as a simulated process on `fs`. */
export async function inProcess<T>(fs: FsOverVfs, f: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await inSimulatedProcess(fs, f) };
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
}

/** Opens the log on `vfs` as a new process, reads its records and closes it: the records, or why it failed. */
export async function recover(opener: AppendLogOpener, vfs: Vfs): Promise<Outcome<string[]>> {
  const fs = new FsOverVfs(vfs);
  return inProcess(fs, async () => {
    const log = await opener.open(LOG_DIR);
    const records = await log.records();
    await log.close();
    return records;
  });
}

/** Opens the log on a crash image, as `recover` does. */
export function recoverImage(opener: AppendLogOpener, image: ReturnType<CrashVfs['liveImage']>): Promise<Outcome<string[]>> {
  return recover(opener, crashVfs({ image }));
}

/** Appends `record` to `log` as the process of `fs`; the outcome and its line for a report. */
export async function appendIn(fs: FsOverVfs, log: AppendLog, record: string): Promise<{ outcome: Outcome<void>; line: string }> {
  const outcome = await inProcess(fs, () => log.append(record));
  return { outcome, line: `append ${quoteRecord(record)} → ${outcome.ok ? 'resolved' : `rejected: ${outcome.error}`}` };
}

/** The records given back, one line each, for a report. */
export function recoveredLines(r: Outcome<string[]>): string[] {
  if (!r.ok) return [`opening the log failed: ${r.error}`];
  return r.value.map((x) => quoteRecord(x));
}
