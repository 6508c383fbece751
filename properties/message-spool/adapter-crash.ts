/**
 * `message-spool/adapter-crash-<profile>`: a mail spool that claims to survive a crash does,
 * judged through its API and its deliveries alone. A random workload (adds, freezes, sends,
 * removes, time passing, with deliveries answering in a generated order) runs on the
 * crash-simulating file system, checked step by step as in `adapter-delivery`; every crash state
 * the profile allows at every crash point (inside calls too) is derived; on each, the spool is
 * opened again by a new process (its recovery), time passes, every message listed frozen is sent,
 * and time passes again. What it delivers and lists must be what the acknowledged calls promised
 * (`model/mail/recovery.ts`): nothing acknowledged lost, nothing removed back, no phantom, no
 * message delivered twice by recovery, no frozen one delivered before it was sent, nothing stuck.
 *
 * The spool is created (its first open) before recording starts: a crash during the very first
 * open is not explored.
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import type { Listed, MailState } from '../../model/mail/mail.ts';
import { judgeMailRecovery, type CrashFate, type ExpectedMail, type MailRecovery, type RecoveredDelivery } from '../../model/mail/recovery.ts';
import { crashVfs } from '../../sim/crash-vfs.ts';
import type { DiskImage } from '../../sim/crash/disk-image.ts';
import { exploreCrashStates } from '../../sim/crash/explore.ts';
import { seededRandom } from '../../sim/crash/prng.ts';
import { PROFILES, type PersistenceProfile } from '../../sim/crash/profiles.ts';
import type { DeliveryOutcome, MessageSpoolAdapter, MessageSpoolHandle } from '../../targets/message-spool-adapter.ts';
import type { Capability } from '../../targets/target.ts';
import { crashViolation } from '../crash-report.ts';
import { START_MS } from '../multispool/test-spoolable.ts';
import { errorText } from '../session-report.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { MAIL_DIR } from './adapter-delivery.ts';
import { Deliveries, MailSession, mailCrashStepArb, mailWorld, outcomesArb, passRetryDelay, type MailStep, type StepEffect } from './adapter-session.ts';

/** Longest random workload. */
export const MAX_MAIL_CRASH_STEPS = 7;
/** Crash states enumerated exhaustively per crash point before sampling. */
const MAIL_MAX_SUBSETS = 32;
/** Crash states sampled at a crash point with more than {@link MAIL_MAX_SUBSETS}. */
const MAIL_SAMPLES = 8;
/** How long after the crash the spool is opened again, in ms. */
const RESTART_AFTER_MS = 1_000;

/** What a message may do after a crash after `acked` was acknowledged, with `inFlight` running. */
function expectations(acked: MailState, inFlight: StepEffect | undefined, all: MailState): ExpectedMail[] {
  const fateOf = (id: string): CrashFate => {
    const e = acked.get(id);
    if (inFlight?.call?.id === id && (inFlight.call.kind === 'add' || inFlight.call.kind === 'remove')) return 'maybe';
    if (inFlight?.delivered.includes(id) === true) return 'maybe';
    if (e === undefined) return 'never';
    switch (e.fate) {
      case 'waiting':
      case 'retrying':
      case 'given-up':
        return 'kept';
      case 'held':
        return inFlight?.call?.id === id ? 'kept' : 'held';
      case 'delivered':
        return 'maybe';
      case 'removed':
        return 'removed';
    }
  };
  return [...all.values()].map((e) => ({ id: e.id, mail: e.mail, fate: fateOf(e.id) }));
}

/** Reopens the spool on a crash image as a new process and drains it in two phases. */
async function recover(adapter: MessageSpoolAdapter, image: DiskImage, nowMs: number): Promise<MailRecovery> {
  const clock = manualClock(nowMs + RESTART_AFTER_MS);
  const deliveries = new Deliveries([]);
  const { world, activity } = mailWorld(crashVfs({ image, clock }), MAIL_DIR, clock, 2, deliveries);
  const settle = (): Promise<void> => activity.settle();
  const errors: string[] = [];
  const got: RecoveredDelivery[] = [];
  const collect = (phase: 1 | 2): void => {
    for (const d of deliveries.take()) got.push({ id: d.id, mail: d.mail, phase });
  };
  let handle: MessageSpoolHandle;
  try {
    handle = await adapter.open(world);
  } catch (err) {
    return { deliveries: [], left: [], errors: [`recovery failed: open threw: ${errorText(err)}`] };
  }
  let left: readonly Listed[] = [];
  try {
    await settle();
    for (let i = 0; i < 2; i++) await passRetryDelay(clock, adapter, activity);
    collect(1);
    for (const l of await handle.status()) {
      if (l.state !== 'frozen') continue;
      try {
        await handle.send(l.id);
      } catch (err) {
        errors.push(`send(${l.id}) of a message listed frozen threw: ${errorText(err)}`);
      }
    }
    await settle();
    for (let i = 0; i < 2; i++) await passRetryDelay(clock, adapter, activity);
    collect(2);
    left = await handle.status();
  } catch (err) {
    errors.push(`recovery failed: status threw: ${errorText(err)}`);
  }
  await handle.close().catch(() => undefined);
  return { deliveries: got, left, errors };
}

/** Runs `steps`, explores every crash state under `profile`, and throws on the first that breaks a guarantee. */
export async function assertMailSurvives(adapter: MessageSpoolAdapter, steps: readonly MailStep[], outcomes: readonly DeliveryOutcome[], profile: PersistenceProfile, seed: number): Promise<void> {
  const clock = manualClock(START_MS);
  const vfs = crashVfs({ clock });
  await vfs.mkdir(MAIL_DIR);
  const session = await MailSession.open(adapter, vfs, MAIL_DIR, clock, outcomes);
  vfs.startRecording();
  const acked: MailState[] = [session.state];
  const effects: StepEffect[] = [];
  const lines: string[] = [];
  for (const s of steps) {
    const logged = session.log.length;
    const effect = await session.run(s);
    if (effect === undefined) continue;
    vfs.mark(`step ${effects.length + 1} returned`);
    acked.push(session.state);
    effects.push(effect);
    lines.push(session.log.slice(logged).map((l) => l.trim()).join('; '));
  }
  const history = vfs.history();
  await session.close();
  const { states } = exploreCrashStates(history, profile, {
    maxSubsetsPerPoint: MAIL_MAX_SUBSETS,
    samplesPerPoint: MAIL_SAMPLES,
    random: seededRandom(seed),
    enumerateMtimes: false,
  });
  for (const state of states) {
    const m = state.point.marksBefore;
    const recovery = await recover(adapter, state.image, clock.now());
    const violations = judgeMailRecovery(expectations(acked[m] as MailState, effects[m], session.state), recovery);
    if (violations.length > 0) {
      const back = [...recovery.deliveries.map((d) => `phase ${d.phase}: deliver(${d.id}, ${JSON.stringify(d.mail.body)})`), ...recovery.left.map((l) => `left listed: ${l.id} ${l.state}`)];
      throw crashViolation('a crash breaks the mail spool guarantees', profile, lines, state, back, violations, states);
    }
  }
}

/** What a spool must claim to survive for crashes of `profile` to be held against it. */
function claimNeeded(profile: PersistenceProfile): Capability {
  return profile.name === 'process-crash' ? 'message-spool-survives-process-crash' : 'message-spool-survives-power-loss';
}

/** The crash property of one profile. */
function crashProperty(profile: PersistenceProfile): PropertyDef {
  return {
    suite: 'message-spool',
    name: `adapter-crash-${profile.name}`,
    requires: ['message-spool', claimNeeded(profile)],
    description: `every crash state (${profile.name}) of random workloads of up to ${MAX_MAIL_CRASH_STEPS} steps: the reopened spool delivers every acknowledged message once sent, nothing removed, nothing twice, nothing never added, no frozen one before it is sent`,
    defaultRuns: 30,
    testRuns: 4,
    // A run checks every crash state of its workload: up to 4.4 s on a slow, busy 2-core machine.
    runTimeoutMs: 60_000,
    build: (ctx) =>
      fc.asyncProperty(fc.array(mailCrashStepArb, { minLength: 1, maxLength: MAX_MAIL_CRASH_STEPS }), outcomesArb, fc.noShrink(fc.integer()), async (steps, outcomes, seed) =>
        assertMailSurvives(adapterOf(ctx, 'messageSpool'), steps, outcomes, profile, seed),
      ) as unknown as fc.IAsyncProperty<never>,
  };
}

/** The adapter crash properties, one per persistence profile. */
export const MAIL_CRASH_PROPERTIES: readonly PropertyDef[] = PROFILES.map(crashProperty);
