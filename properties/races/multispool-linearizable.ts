/**
 * `races/multispool-linearizable` (docs/multispool-protocol.md, 1.6, 5.3): racing multispool clients, some of them
 * killed (kill -9), produce a history that linearizes against the reference model, and every
 * acknowledged entry is delivered exactly once.
 *
 * The race: 2–3 enqueuers (1–2 entries each), 1–2 queue readers (an `iter` with a stop signal,
 * or a few `dequeueAvailable` polls; each takes an entry, loads its data and removes it),
 * 0–2 `tryWithEntry` contenders on named entries (they remove what they win), and sometimes a
 * Monitor process that opens the spool and runs one check, once or twice; sometimes (`together`)
 * an enqueuer enqueues its entries at once on its one handle and a polling reader runs two pollers
 * on its one queue reader (concurrency inside one handle). Each is a racing
 * process (`sim/racing-processes.ts`) on one memfs volume: every Vfs call is an interleaving
 * point of fast-check's scheduler, and up to two processes are killed at an interleaving point
 * fast-check chooses (a count of that process's own points; see that module for why). The clock
 * stands still during the race.
 *
 * Names collide on purpose: every enqueuer proposes n0, n1, n2, ... (`SHARED_NAMES`), so racing
 * reservations are the rule and a removed name is soon reused; the contenders aim at n0..n2.
 * (MS-4, reservation without O_EXCL, must therefore show here too.) Entries are told apart by
 * their metadata label (`e2#1`: enqueuer 2's second entry), which is unique.
 *
 * Checked once everything has run (every check runs; the first that fails heads the report, the
 * others follow it as "Also:"):
 * 1. no live process failed, and none hangs;
 * 2. the history (every operation's call and return, killed ones marked killed, then the final
 *    state of every entry) linearizes against `race-history-model.ts`, exactly (per entry, with
 *    a budget no history of this size can exhaust; `unknown` fails the property);
 * 3. a live `iter` reader never sleeps while an entry is queued (MS-3);
 * 4. exactly once: every enqueue that returned was taken by exactly one reader or contender (or,
 *    when every reader died, by a recovery pass after the race), none twice; an entry a killed
 *    process held checked out counts as taken, and must still be on disk;
 * 5. reported, not lost: with the clock moved past the Monitor's limits, the Monitor reports
 *    every entry a dead process still holds, and nothing that no killed process explains.
 */
import fc from 'fast-check';
import { readWholeFile } from '../../impl/io/files.ts';
import { basename, type Vfs } from '../../impl/io/vfs.ts';
import { Monitor, Multispool, SpoolError, type NameGenerator, type QueueReader } from '../../impl/multispool/index.ts';
import { checkLinearizable, describeHistory, describeResult, historyRecorder, isCompleted, type Operation } from '../../sim/linearizability/index.ts';
import { interleavingSeedArb, racingVolume, seededScheduler, type VolumeRacer } from '../../sim/racing-processes.ts';
import { START_MS, TEST_SPOOLABLE, type TestMeta, type TestQueue } from '../multispool/test-spoolable.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { killedReach } from './kill-reach.ts';
import { formatRaceInput, formatRaceOutput, RACE_QUEUE, raceModel, type RaceCall, type RaceInput, type RaceOutput } from './race-history-model.ts';
import { raceViolation } from './race-violation.ts';

type Spool = Multispool<TestQueue, TestMeta, string>;
type RaceOp = Operation<RaceInput, RaceOutput>;

/** The spool directory of the race. */
const DIR = '/spool';
/** Checker budget (steps): per-entry parts of these histories need a few dozen; `unknown` fails the property. */
export const RACE_CHECK_MAX_STEPS = 2_000_000;
/** The Monitor's default limit for checkouts and `.tmp` files, plus one: anything left over is then reported. */
const PAST_LIMITS_MS = 600_001;

/**
 * The names every enqueuer proposes: n0, n1, n2, ... for attempt 0, 1, 2, ... (a pure function of
 * the attempt, as processes sharing one naming scheme would), so reservations collide.
 */
export const SHARED_NAMES: NameGenerator = { next: (attempt) => `n${attempt}` };

/** A queue reader of the race. */
export interface ReaderPlan {
  /** `iter` (dequeue and wait, until stopped) or `dequeueAvailable` (`polls` attempts, never waits). */
  readonly via: 'iter' | 'dequeueAvailable';
  readonly polls: number;
}

/** One race, as fast-check generates it. */
export interface LinearizableScenario {
  /** Entries per enqueuer. */
  readonly enqueuers: readonly number[];
  readonly readers: readonly ReaderPlan[];
  /** One `tryWithEntry` contender per name. */
  readonly contenders: readonly string[];
  /** Monitor runs (0: no Monitor process). */
  readonly monitorRuns: number;
  /** Kills: process number `who` (modulo the number of processes) dies at its interleaving point `at`. */
  readonly kills: readonly { readonly who: number; readonly at: number }[];
  /**
   * Concurrency inside one handle: each enqueuer enqueues its entries at once on its one spool
   * handle, and each `dequeueAvailable` reader runs two pollers on its one queue reader. Those
   * processes are then not killed (a kill aimed at one is dropped).
   */
  readonly together: boolean;
}

/** The scenarios: small enough for exact checking, large enough for every kind of collision. */
export const linearizableScenarioArb: fc.Arbitrary<LinearizableScenario> = fc.record({
  enqueuers: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 2, maxLength: 3 }),
  readers: fc.array(fc.record({ via: fc.constantFrom<'iter' | 'dequeueAvailable'>('iter', 'dequeueAvailable'), polls: fc.integer({ min: 1, max: 3 }) }), {
    minLength: 1,
    maxLength: 2,
  }),
  contenders: fc.array(fc.constantFrom('n0', 'n1', 'n2'), { maxLength: 2 }),
  monitorRuns: fc.integer({ min: 0, max: 2 }),
  kills: fc.array(fc.record({ who: fc.nat({ max: 7 }), at: fc.nat({ max: 120 }) }), { maxLength: 2 }),
  together: fc.boolean(),
});

/** An error as an output: a SpoolError's kind, or the message. */
function errorOutput(err: unknown): RaceOutput {
  if (err instanceof SpoolError) return { kind: 'error', error: err.kind };
  return { kind: 'error', error: err instanceof Error ? err.message : String(err) };
}

/** The entry an operation that returned acted on. */
function subjectOf(call: RaceCall, output: RaceOutput): string | undefined {
  if (output.kind === 'entry' || output.kind === 'taken') return output.name;
  if (call.kind === 'tryCheckout' || call.kind === 'remove' || call.kind === 'final') return call.name;
  return undefined;
}

/** What is on disk after the race, as far as the racing model looks (staged and data files may be half-written: only their names count). */
interface RaceDisk {
  readonly registry: ReadonlySet<string>;
  /** Names in `.tmp` and `.data`. */
  readonly staged: ReadonlySet<string>;
  readonly queued: ReadonlyMap<string, TestMeta>;
  readonly checkedOut: ReadonlyMap<string, TestMeta>;
}

/** Metadata that does not decode: it shows as this label, so any check that looks at it fails. */
const UNDECODABLE: TestMeta = { label: '(undecodable metadata)', rev: -1 };

/** Reads the race's spool directory (never through the implementation). */
async function readRaceDisk(vfs: Vfs): Promise<RaceDisk> {
  const metadataIn = async (dir: string): Promise<Map<string, TestMeta>> => {
    const out = new Map<string, TestMeta>();
    for (const name of (await vfs.readdir(dir)).sort()) {
      if (name === '.checkout') continue;
      try {
        out.set(name, TEST_SPOOLABLE.metadata.decode(await readWholeFile(vfs, `${dir}/${name}`)));
      } catch {
        out.set(name, UNDECODABLE);
      }
    }
    return out;
  };
  return {
    registry: new Set(await vfs.readdir(`${DIR}/.registry`)),
    staged: new Set([...(await vfs.readdir(`${DIR}/.tmp`)), ...(await vfs.readdir(`${DIR}/.data`))]),
    queued: await metadataIn(`${DIR}/${RACE_QUEUE}`),
    checkedOut: await metadataIn(`${DIR}/${RACE_QUEUE}/.checkout`),
  };
}

/** What one racing process records: its operations' calls and returns. */
interface ProcessOps {
  call(c: RaceCall): number;
  answer(id: number, out: RaceOutput): void;
  /** Answers every operation still in flight with `err` (the process failed). */
  failAll(err: unknown): void;
}

/** Runs one race; throws a RaceViolation at the first thing that breaks. */
export async function runLinearizableRace(s: fc.Scheduler, sc: LinearizableScenario, ctx: RunContext): Promise<void> {
  const world = racingVolume(s, { startMs: START_MS });
  const quirks = builtinOf(ctx).multispool;
  const options = { clock: world.clock, quirks };
  await Multispool.create(world.inspect, DIR, TEST_SPOOLABLE, options);

  const roles = [
    ...sc.enqueuers.map((_, i) => `enqueuer${i + 1}`),
    ...sc.readers.map((r, i) => `reader${i + 1}-${r.via}`),
    ...sc.contenders.map((name, i) => `contender${i + 1}-${name}`),
    ...(sc.monitorRuns > 0 ? ['monitor'] : []),
  ];
  const killAt = new Map<string, number>();
  // A process with concurrent operations is never killed: how far a killed operation got is read
  // off its process's timeline (kill-reach.ts), which cannot tell two operations of one process apart.
  const concurrent = (role: string): boolean => sc.together && (role.startsWith('enqueuer') || role.endsWith('-dequeueAvailable'));
  for (const k of sc.kills) {
    const who = roles[k.who % roles.length] as string;
    if (concurrent(who)) continue;
    killAt.set(who, Math.min(killAt.get(who) ?? Number.POSITIVE_INFINITY, k.at));
  }
  const racers = new Map<string, VolumeRacer>();
  for (const name of roles) {
    const at = killAt.get(name);
    racers.set(name, world.spawn(name, at === undefined ? {} : { killAt: at }));
  }
  const racer = (name: string): VolumeRacer => racers.get(name) as VolumeRacer;
  const spoolOf = (r: VolumeRacer): Spool => Multispool.loadUnsafe(r.vfs, DIR, TEST_SPOOLABLE, options);

  const rec = historyRecorder<RaceCall, RaceOutput>();
  /** Where each operation's events start in its process's timeline. */
  const startOf = new Map<number, { racer: VolumeRacer; index: number }>();
  const opsOf = (r: VolumeRacer): ProcessOps => {
    const pending = new Set<number>();
    return {
      call(c) {
        const id = rec.invoke(r.name, c);
        startOf.set(id, { racer: r, index: r.process.timeline().length });
        pending.add(id);
        return id;
      },
      answer(id, out) {
        if (pending.delete(id)) rec.respond(id, out);
      },
      failAll(err) {
        for (const id of pending) rec.respond(id, errorOutput(err));
        pending.clear();
      },
    };
  };
  const failures: string[] = [];
  const finished = new Set<string>();
  /** Runs a process's body; a failure is recorded (its open operations answered with the error), never thrown. */
  const start = (r: VolumeRacer, body: (ops: ProcessOps) => Promise<void>): void => {
    const ops = opsOf(r);
    body(ops).then(
      () => finished.add(r.name),
      (err: unknown) => {
        ops.failAll(err);
        finished.add(r.name);
        failures.push(`${r.name} failed: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
  };

  const stop = new AbortController();
  const readers: QueueReader<TestQueue, TestMeta, string>[] = [];
  const iterating = new Set<string>();
  world.racing = true;

  sc.enqueuers.forEach((count, i) =>
    start(racer(`enqueuer${i + 1}`), async (ops) => {
      const spool = spoolOf(racer(`enqueuer${i + 1}`));
      const enqueueOne = async (j: number): Promise<void> => {
        const metadata: TestMeta = { label: `e${i + 1}#${j}`, rev: j };
        const data = `data of e${i + 1}#${j}`;
        const id = ops.call({ kind: 'enqueue', metadata, data });
        const entry = await spool.enqueue(RACE_QUEUE, metadata, data, { reserve: SHARED_NAMES });
        ops.answer(id, { kind: 'entry', name: entry.name });
      };
      if (sc.together) await Promise.all(Array.from({ length: count }, (_, j) => enqueueOne(j)));
      else for (let j = 0; j < count; j++) await enqueueOne(j);
    }),
  );
  sc.readers.forEach((plan, i) => {
    const r = racer(`reader${i + 1}-${plan.via}`);
    const reader = spoolOf(r).queueReader(RACE_QUEUE);
    readers.push(reader);
    if (plan.via === 'iter') {
      start(r, async (ops) => {
        iterating.add(r.name);
        let take = ops.call({ kind: 'dequeue', via: 'iter' });
        let removing: number | undefined;
        await reader.iter(
          async (contents, dataFile) => {
            if (removing !== undefined) ops.answer(removing, { kind: 'done' });
            const name = basename(dataFile.path);
            const data = await dataFile.load();
            ops.answer(take, { kind: 'taken', name, contents, data });
            removing = ops.call({ kind: 'remove', name });
            take = ops.call({ kind: 'dequeue', via: 'iter' });
            return { action: { kind: 'remove' }, result: undefined };
          },
          { signal: stop.signal },
        );
        iterating.delete(r.name);
        if (removing !== undefined) ops.answer(removing, { kind: 'done' });
        ops.answer(take, { kind: 'nothing' });
      });
    } else {
      start(r, async (ops) => {
        const poll = async (): Promise<void> => {
          for (let p = 0; p < plan.polls; p++) {
            const id = ops.call({ kind: 'dequeue', via: 'dequeueAvailable' });
            const entry = await reader.dequeueAvailable();
            if (entry === undefined) {
              ops.answer(id, { kind: 'nothing' });
              continue;
            }
            const data = await entry.dataFile.load();
            ops.answer(id, { kind: 'taken', name: entry.name, contents: entry.contents, data });
            const removing = ops.call({ kind: 'remove', name: entry.name });
            await entry.remove();
            ops.answer(removing, { kind: 'done' });
          }
        };
        // With `together`, two pollers share this one queue reader.
        await Promise.all(sc.together ? [poll(), poll()] : [poll()]);
      });
    }
  });
  sc.contenders.forEach((name, i) => {
    const r = racer(`contender${i + 1}-${name}`);
    start(r, async (ops) => {
      const spool = spoolOf(r);
      const id = ops.call({ kind: 'tryCheckout', name });
      let removing: number | undefined;
      const won = await spool.tryWithEntry(spool.entry(RACE_QUEUE, name), async (contents, dataFile) => {
        const data = await dataFile.load();
        ops.answer(id, { kind: 'taken', name, contents, data });
        removing = ops.call({ kind: 'remove', name });
        return { action: { kind: 'remove' }, result: undefined };
      });
      if (won.kind === 'notFound') ops.answer(id, { kind: 'notFound' });
      else if (removing !== undefined) ops.answer(removing, { kind: 'done' });
    });
  });
  if (sc.monitorRuns > 0) {
    const r = racer('monitor');
    start(r, async (ops) => {
      for (let k = 0; k < sc.monitorRuns; k++) {
        const id = ops.call({ kind: 'monitor' });
        const monitor = await Monitor.open(r.vfs, DIR, TEST_SPOOLABLE, options);
        await monitor.runOnce();
        ops.answer(id, { kind: 'done' });
      }
    });
  }

  // Everything runs until nothing can move: the enqueuers, contenders, polls and Monitor are
  // done or dead; a live iter reader can only be waiting for a notification.
  await world.settle();
  const inspector = Multispool.loadUnsafe(world.inspect, DIR, TEST_SPOOLABLE, options);
  const queuedWhileWaiting = await inspector.list(RACE_QUEUE);
  const sleepers = [...iterating].filter((name) => racer(name).process.alive);
  stop.abort();
  await world.settle();
  for (const reader of readers) reader.close();
  world.racing = false;
  const dead = world.table.processes().filter((p) => !p.alive);
  for (const p of dead) rec.kill(p.name);

  // The final state of every entry anyone heard of, as operations after the race.
  const disk = await readRaceDisk(world.inspect);
  const raw = rec.operations();
  const resolve = (op: Operation<RaceCall, RaceOutput>): RaceInput => {
    if (isCompleted(op)) return { call: op.input, subject: subjectOf(op.input, op.output as RaceOutput), reach: 'returned' };
    const from = startOf.get(op.id);
    if (from === undefined) return { call: op.input, subject: undefined, reach: 'none' };
    return { call: op.input, ...killedReach(op.input, from.racer.process.timeline().slice(from.index), DIR) };
  };
  const during: RaceOp[] = raw.map((op) => ({ ...op, input: resolve(op) }));
  const names = new Set<string>([...disk.registry, ...disk.staged, ...disk.queued.keys(), ...disk.checkedOut.keys()]);
  for (const op of during) if (op.input.subject !== undefined) names.add(op.input.subject);
  for (const name of [...names].sort()) {
    const id = rec.invoke('inspector', { kind: 'final', name });
    rec.respond(id, { kind: 'final', registered: disk.registry.has(name), queued: disk.queued.get(name) ?? null, checkedOut: disk.checkedOut.get(name) ?? null });
  }
  const history: RaceOp[] = rec.operations().map((op) => ({ ...op, input: resolve(op) }));
  const historyInWords = (): string => `The history, per process:\n${describeHistory(history, formatRaceInput, formatRaceOutput)}`;

  // Every check runs; the first finding heads the report, the others follow it.
  const findings: string[] = [];
  const details: string[] = [];

  // 1. Failures and hangs.
  if (failures.length > 0) findings.push(`A racing process failed: ${failures.join('; ')}.`);
  const hung = world.table.processes().filter((p) => p.alive && !finished.has(p.name));
  if (hung.length > 0) findings.push(`Process(es) ${hung.map((p) => p.name).join(', ')} never finished although nothing else could run.`);

  // 2. Linearizability.
  const model = raceModel(START_MS);
  const verdict = checkLinearizable(history, model, { maxSteps: RACE_CHECK_MAX_STEPS });
  raceCheckStats.checks++;
  raceCheckStats.operations += history.length;
  raceCheckStats.steps += verdict.stepsUsed;
  raceCheckStats.maxSteps = Math.max(raceCheckStats.maxSteps, verdict.stepsUsed);
  if (verdict.kind === 'unknown') raceCheckStats.unknown++;
  if (verdict.kind === 'unknown') findings.push(`The linearizability check ran out of its budget (${RACE_CHECK_MAX_STEPS} steps): unknown, which is not a pass.`);
  if (verdict.kind === 'notLinearizable') {
    findings.push('The history does not linearize against the multispool model: no order of the operations explains every result.');
    details.push(describeResult(verdict, history, formatRaceInput, formatRaceOutput, model));
  }

  // 3. A live iter reader never sleeps with work waiting.
  if (sleepers.length > 0 && queuedWhileWaiting.length > 0) {
    findings.push(
      `The queue reader ${sleepers.join(', ')} sleeps with work waiting: once nothing else could run, ${queuedWhileWaiting.join(', ')} sat in ${RACE_QUEUE} and the reader waited for a notification.`,
    );
  }

  // 4. Exactly once.
  const taken = new Map<string, string[]>();
  const take = (label: string, how: string): void => {
    taken.set(label, [...(taken.get(label) ?? []), how]);
  };
  const held = new Set<string>();
  const notOnce: string[] = [];
  for (const op of during) {
    const { call, subject, reach } = op.input;
    if (call.kind !== 'dequeue' && call.kind !== 'tryCheckout') continue;
    if (isCompleted(op) && op.output?.kind === 'taken') {
      take(op.output.contents.label, `${op.process} took ${op.output.name} (#${op.id})`);
      if (!world.table.isAlive(op.process)) {
        const removal = during.find((o) => o.process === op.process && o.input.call.kind === 'remove' && o.input.subject === subject && o.call > op.call);
        if (removal === undefined || (!isCompleted(removal) && removal.input.reach !== 'removed')) held.add(subject as string);
      }
    } else if (!isCompleted(op) && reach === 'checkedOut' && subject !== undefined) {
      const file = disk.checkedOut.get(subject);
      if (file === undefined) notOnce.push(`${op.process} was killed holding ${subject} checked out (#${op.id}), but ${subject} is not in ${RACE_QUEUE}/.checkout: lost`);
      else {
        take(file.label, `${op.process} was killed holding ${subject} checked out (#${op.id})`);
        held.add(subject);
      }
    }
  }
  const recovered = await inspector.queueReader(RACE_QUEUE).iterAvailable((contents, dataFile) => {
    take(contents.label, `the recovery pass after the race took ${basename(dataFile.path)}`);
    return { action: { kind: 'remove' }, result: contents.label };
  });
  const acknowledged = during.filter((op) => op.input.call.kind === 'enqueue' && isCompleted(op) && op.output?.kind === 'entry');
  for (const op of acknowledged) {
    const call = op.input.call as Extract<RaceCall, { kind: 'enqueue' }>;
    if ((taken.get(call.metadata.label) ?? []).length === 0) {
      notOnce.push(`${call.metadata.label}, enqueued by ${op.process} as ${op.input.subject} (#${op.id}, returned), was never taken by anyone: lost`);
    }
  }
  for (const [label, hows] of taken) if (hows.length > 1) notOnce.push(`${label} was taken ${hows.length} times: ${hows.join('; ')}`);
  if (notOnce.length > 0) {
    findings.push(`Not exactly once: ${notOnce.join('. ')}.${recovered.length > 0 ? ` (The recovery pass after the race took ${recovered.join(', ')}.)` : ''}`);
  }

  // 5. Reported, not lost: the Monitor, past its limits, names every entry a dead process holds, and only what killed operations explain.
  world.clock.advance(PAST_LIMITS_MS);
  const monitor = await Monitor.open(world.inspect, DIR, TEST_SPOOLABLE, options);
  const found = await monitor.runOnce();
  const explained = new Set<string>(held);
  for (const op of during) if (!isCompleted(op) && op.input.reach !== 'none' && op.input.subject !== undefined) explained.add(op.input.subject);
  const unexplained = found.filter((p) => !explained.has(p.file.name));
  const after = await readRaceDisk(world.inspect);
  const onDisk = (name: string): boolean => after.registry.has(name) || after.checkedOut.has(name);
  const unreported = [...held].filter((name) => onDisk(name) && !found.some((p) => p.file.name === name));
  if (unreported.length > 0) findings.push(`The Monitor does not report ${unreported.join(', ')}, held checked out by a dead process: silently stuck.`);
  if (unexplained.length > 0) {
    findings.push(`After the race, the Monitor reports problems no killed process explains: ${unexplained.map((p) => `${p.kind} ${p.file.name}`).join(', ')}.`);
  }

  if (findings.length > 0) {
    const [first, ...rest] = findings;
    throw raceViolation(first as string, world, [...rest.map((f) => `Also: ${f}`), ...details, historyInWords()].join('\n'));
  }
}

/**
 * What the linearizability checks of this property cost so far (in this process): for
 * benchmarks. Reset it by assigning zeros.
 */
export const raceCheckStats = { checks: 0, operations: 0, steps: 0, maxSteps: 0, unknown: 0 };

/** The property: racing clients with kills linearize against the model, and deliver exactly once. */
export const multispoolLinearizable: PropertyDef = {
  suite: 'races',
  requires: ['builtin'],
  name: 'multispool-linearizable',
  description:
    'racing enqueuers (shared names), queue readers (iter, dequeueAvailable), tryWithEntry contenders and a Monitor, some killed: the history linearizes against the model, every acknowledged entry is taken exactly once, leftovers of the dead are reported',
  defaultRuns: 250,
  testRuns: 80,
  build: (ctx) =>
    fc.asyncProperty(interleavingSeedArb, linearizableScenarioArb, async (seed, scenario) => {
      const s = seededScheduler(seed);
      await runLinearizableRace(s, scenario, ctx);
    }) as unknown as fc.IAsyncProperty<never>,
};
