/**
 * Simulated processes: several "processes" (groups of async code in this one Node process) that
 * share one simulated disk, each seeing it through its own view, and each of which can be killed
 * like `kill -9` at any moment.
 *
 * Fault contract, in plain words:
 * - `kill()` injects exactly one fault: from that moment the process does nothing more that
 *   anyone can see. Every call of its views that has not yet returned to it never returns (the
 *   promise stays pending forever), every later call never starts, and its clock's sleeps never
 *   wake. A call the disk had already carried out stays carried out (as a system call the kernel
 *   finished just before the signal): the kill cuts the process off from the world, it does not
 *   undo anything. Open files need no closing: nothing of the dead process runs any more.
 * - The table answers `isAlive` truthfully (a `ProcessProbe` per process), so a lock can tell a
 *   dead owner from a live one; no other process is affected by a kill.
 * - Nothing else is injected: while alive, a view passes every call through unchanged. Power loss
 *   is the crash file system's or the faulty block device's business, not this file's.
 * - Optionally (`spawn(name, {interleave})`) every call has two interleaving points: the process
 *   awaits `interleave` before the call starts and again after it finished, before the process
 *   sees its result. Whoever supplies `interleave` (a scheduler) decides when the process goes on,
 *   and may kill it there: killed at the first point, the call never starts; at the second, the
 *   call was carried out (its `return` or `error` is in the timeline) but the process never sees
 *   the result. Without `interleave` nothing waits.
 * Each process keeps a timeline (call and return of every Vfs, BlockDevice and sleep call, with
 * the table's global sequence number), so a failure can show what each process did and in which
 * global order. A `call` event is recorded when the call really starts (after the first
 * interleaving point), so the timeline says exactly which calls reached the disk.
 */
import type { BlockDevice } from '../impl/io/block-device.ts';
import type { Clock } from '../impl/io/clock.ts';
import type { ProcessProbe } from '../impl/io/processes.ts';
import type { DirWatcher, OpenFlags, Vfs, VfsFile } from '../impl/io/vfs.ts';

/** One line of a process's timeline. */
export interface TimelineEvent {
  /** Global order across the table (every call and return of every process counts). */
  readonly seq: number;
  /** `call`, `return`, `error` (the call failed; `what` says with what) or `killed`. */
  readonly kind: 'call' | 'return' | 'error' | 'killed';
  /** What was called, e.g. `rename /s/a /s/b`. */
  readonly what: string;
}

/** A simulated process. */
export interface SimProcess {
  /** Its name, which is also its owner id (`probe.self`). */
  readonly name: string;
  /** False once killed. */
  readonly alive: boolean;
  /** Kills it (idempotent): see the fault contract. */
  kill(): void;
  /** Its view of a shared file system. */
  vfs(inner: Vfs): Vfs;
  /** Its view of a shared block device. */
  device(inner: BlockDevice): BlockDevice;
  /** Its view of a shared clock (sleeps of a killed process never wake). */
  clock(inner: Clock): Clock;
  /** Its identity and the table's liveness answers. */
  readonly probe: ProcessProbe;
  /** What it did so far. */
  timeline(): readonly TimelineEvent[];
}

/** Options of {@link ProcessTable.spawn}. */
export interface SpawnOptions {
  /**
   * Awaited at each interleaving point of each call of the process's views: with `what` (e.g.
   * `rename /s/a /s/b`) before the call starts, and with `<what> returned` after it finished and
   * before the process sees the result. It may kill the process (see the fault contract).
   * Default: none (calls run straight through).
   */
  readonly interleave?: (what: string) => Promise<void>;
}

/** A table of simulated processes that share a sequence counter and answer liveness. */
export interface ProcessTable {
  /** Starts a process named `name` (names must be unique in the table). */
  spawn(name: string, options?: SpawnOptions): SimProcess;
  /** True if `name` is a live process of this table (unknown names are dead). */
  isAlive(name: string): boolean;
  /** Every process spawned, in spawn order. */
  processes(): readonly SimProcess[];
  /** Every process's timeline, interleaved in global order, one line per event: `#12 p1 call rename a b`. */
  describe(): string[];
}

/** A promise that never settles: what a killed process waits on. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

/** Creates an empty process table. */
export function processTable(): ProcessTable {
  let seq = 0;
  const all = new Map<string, SimProcess>();
  const table: ProcessTable = {
    spawn(name, options = {}) {
      if (all.has(name)) throw new Error(`processTable.spawn: a process named ${name} already exists`);
      const p = simProcess(name, () => seq++, (owner) => table.isAlive(owner), options.interleave);
      all.set(name, p);
      return p;
    },
    isAlive: (name) => all.get(name)?.alive === true,
    processes: () => [...all.values()],
    describe() {
      const lines: { seq: number; text: string }[] = [];
      for (const p of all.values()) for (const e of p.timeline()) lines.push({ seq: e.seq, text: `#${e.seq} ${p.name} ${e.kind} ${e.what}` });
      return lines.sort((a, b) => a.seq - b.seq).map((l) => l.text);
    },
  };
  return table;
}

function simProcess(
  name: string,
  nextSeq: () => number,
  isAlive: (owner: string) => boolean,
  interleave: ((what: string) => Promise<void>) | undefined,
): SimProcess {
  let alive = true;
  const events: TimelineEvent[] = [];
  const record = (kind: TimelineEvent['kind'], what: string): void => {
    events.push({ seq: nextSeq(), kind, what });
  };
  /** Waits at an interleaving point (if any); false if the process is dead afterwards. */
  const pause = async (what: string): Promise<boolean> => {
    if (interleave !== undefined) await interleave(what);
    return alive;
  };
  /** Runs `call` for the process: not at all once dead, and its result never reaches a dead process. */
  const guarded = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    if (!alive) return never<T>();
    if (interleave !== undefined && !(await pause(what))) return never<T>();
    record('call', what);
    let result: T;
    try {
      result = await call();
    } catch (err) {
      if (!alive) return never<T>();
      record('error', `${what}: ${err instanceof Error ? err.message : String(err)}`);
      if (interleave !== undefined && !(await pause(`${what} returned`))) return never<T>();
      throw err;
    }
    if (!alive) return never<T>();
    record('return', what);
    if (interleave !== undefined && !(await pause(`${what} returned`))) return never<T>();
    return result;
  };
  const wrapFile = (file: VfsFile): VfsFile => ({
    path: file.path,
    read: (position, length) => guarded(`read ${file.path} @${position}+${length}`, () => file.read(position, length)),
    write: (position, data) => guarded(`write ${file.path} @${position}+${data.length}`, () => file.write(position, data)),
    size: () => guarded(`size ${file.path}`, () => file.size()),
    fsync: () => guarded(`fsync ${file.path}`, () => file.fsync()),
    close: () => guarded(`close ${file.path}`, () => file.close()),
  });
  const wrapWatcher = (w: DirWatcher): DirWatcher => ({
    drain: () => (alive ? w.drain() : []),
    wait: (signal) => (alive ? w.wait(signal).then((v) => (alive ? v : never<void>())) : never<void>()),
    close: () => w.close(),
  });
  const self: SimProcess = {
    name,
    get alive() {
      return alive;
    },
    kill() {
      if (!alive) return;
      record('killed', 'kill -9');
      alive = false;
    },
    vfs: (inner) => ({
      description: `${inner.description} (process ${name})`,
      mkdir: (path) => guarded(`mkdir ${path}`, () => inner.mkdir(path)),
      rmdir: (path) => guarded(`rmdir ${path}`, () => inner.rmdir(path)),
      open: async (path: string, flags: OpenFlags) => wrapFile(await guarded(`open ${path} ${JSON.stringify(flags)}`, () => inner.open(path, flags))),
      rename: (from, to) => guarded(`rename ${from} ${to}`, () => inner.rename(from, to)),
      unlink: (path) => guarded(`unlink ${path}`, () => inner.unlink(path)),
      readdir: (path) => guarded(`readdir ${path}`, () => inner.readdir(path)),
      stat: (path) => guarded(`stat ${path}`, () => inner.stat(path)),
      utimes: (path, a, m) => guarded(`utimes ${path}`, () => inner.utimes(path, a, m)),
      fsyncDir: (path) => guarded(`fsyncDir ${path}`, () => inner.fsyncDir(path)),
      watch: async (path) => wrapWatcher(await guarded(`watch ${path}`, () => inner.watch(path))),
    }),
    device: (inner) => ({
      description: `${inner.description} (process ${name})`,
      sectorSize: inner.sectorSize,
      sectorCount: inner.sectorCount,
      read: (sector) => guarded(`read sector ${sector}`, () => inner.read(sector)),
      write: (sector, data) => guarded(`write sector ${sector}`, () => inner.write(sector, data)),
      flush: () => guarded('flush', () => inner.flush()),
    }),
    clock: (inner) => ({
      now: () => inner.now(),
      sleep: (ms, signal) => guarded(`sleep ${ms} ms`, () => inner.sleep(ms, signal)),
    }),
    probe: { self: name, isAlive },
    timeline: () => events,
  };
  return self;
}
