/**
 * Pinned crash scenarios of the message spool: a workload, a kill -9 right after a named call (or
 * right after a named marker), and exactly what the new process finds: where each message is,
 * which guarantees hold or break, what is sent again, what the Monitor reports.
 */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../impl/io/clock.ts';
import { MESSAGE_SPOOLABLE, type MessageSpoolQuirks } from '../../impl/message-spool/index.ts';
import { Monitor } from '../../impl/multispool/index.ts';
import { describeLocation } from '../../impl/multispool/problems.ts';
import { crashVfs } from '../../sim/crash-vfs.ts';
import type { DiskImage } from '../../sim/crash/disk-image.ts';
import { exploreCrashStates, type CrashState } from '../../sim/crash/explore.ts';
import { PROCESS_CRASH } from '../../sim/crash/profiles.ts';
import { crashCheckMessageWorkload, crashContextAt } from './crash-check.ts';
import { readSpoolImage } from './disk.ts';
import { checkRecovery, type RecoveryCheck } from './guarantees.ts';
import { MESSAGE_SPOOL_DIR, runMessageWorkload, type MessageOp } from './workload.ts';

/** Where each message's metadata files are, `id: place, place`. */
function places(image: DiskImage | undefined): string[] {
  if (image === undefined) return [];
  return [...readSpoolImage(image, MESSAGE_SPOOL_DIR).values()].map((m) => `${m.id}: ${m.files.map((f) => `${f.place}=${f.record?.status.kind ?? '?'}`).join(', ')}`);
}

/** The Monitor's problems long after the crash, `kind location name`. */
async function monitorReport(image: DiskImage | undefined): Promise<string[]> {
  if (image === undefined) return [];
  const monitor = await Monitor.open(crashVfs({ image }), MESSAGE_SPOOL_DIR, MESSAGE_SPOOLABLE, { clock: manualClock(Number.MAX_SAFE_INTEGER / 2) });
  return (await monitor.runOnce()).map((p) => `${p.kind} ${p.kind === 'duplicated' ? p.locations.map(describeLocation).join('+') : describeLocation(p.location)} ${p.file.name}`);
}

/**
 * Runs `ops`, kills the process (kill -9: every completed call durable) at the first crash point
 * `pick` accepts, and lets a new process recover.
 */
async function killAt(ops: MessageOp[], pick: (s: CrashState, done: ReadonlySet<string>) => boolean, quirks: MessageSpoolQuirks = {}): Promise<RecoveryCheck & { point: string }> {
  const run = await runMessageWorkload(ops, quirks);
  const expansion = PROCESS_CRASH.expand(run.history);
  const { states } = exploreCrashStates(run.history, PROCESS_CRASH, { maxSubsetsPerPoint: 1, samplesPerPoint: 0, random: () => 0, dedupe: false });
  const state = states.find((s) => pick(s, crashContextAt(expansion, s.point.position).doneBeforeCrash));
  if (state === undefined) throw new Error('no crash point matches');
  const outcome = await checkRecovery(state.image, run, crashContextAt(expansion, state.point.position), quirks);
  return { ...outcome, point: state.point.description };
}

const afterCall = (label: string) => (s: CrashState): boolean => s.point.description.endsWith(`\`${label}\` returned`);

describe('pinned message spool crash scenarios (kill -9)', () => {
  it('between the two halves of a save (freeze of m01): the new record is checked out of active; startup puts it into frozen', async () => {
    const r = await killAt(['freeze'], afterCall('rename /spool/.tmp/m01 /spool/active/.checkout/m01'));
    expect(r.violations).toEqual([]);
    expect(r.recovery[0]).toMatch(/put back from checkouts \[m01\]/);
    expect(places(r.afterStartup)).toEqual(['m00: frozen=frozen', 'm01: frozen=frozen']);
  });

  it('the same crash under MSG-1: m01 is put back into active although it is frozen, and can no longer be changed', async () => {
    const r = await killAt(['freeze'], afterCall('rename /spool/.tmp/m01 /spool/active/.checkout/m01'), { putBackWhereItSat: true });
    expect(places(r.afterStartup)).toEqual(['m00: frozen=frozen', 'm01: active=frozen']);
    expect(r.violations.map((v) => `${v.guarantee} ${v.id ?? ''}`)).toEqual(['right-queue m01', 'usable m01', 'usable m01']);
    expect(r.violations[2]?.message).toBe('remove m01 in p2 answered notFound, not ok');
  });

  it('MSG-1 the other way round (send of frozen m00): a sendNow record put back into frozen; its attempt cannot find it', async () => {
    const r = await killAt(['send'], afterCall('rename /spool/.tmp/m00 /spool/frozen/.checkout/m00'), { putBackWhereItSat: true });
    expect(places(r.afterStartup)).toEqual(['m00: frozen=sendNow', 'm01: active=sendAt']);
    expect(r.violations.map((v) => v.guarantee)).toContain('right-queue');
    expect(r.violations.some((v) => v.guarantee === 'usable' && /not in active/.test(v.message))).toBe(true);
  });

  it('after the sender said done, before the removal landed: the message is sent again (counted, not a violation)', async () => {
    const r = await killAt(['addNow', 'deliverDone'], (_s, done) => done.has('m02'));
    expect(r.violations).toEqual([]);
    expect(r.redelivered).toEqual(['m02']);
    expect(r.recovery[1]).toMatch(/attempts started: \[m02\]/);
    expect(places(r.afterStartup)).toContain('m02: active/.checkout=sendNow');
  });

  it('after the removal of a delivered message unlinked its metadata: gone, not sent again, its leftovers reported', async () => {
    const r = await killAt(['addNow', 'deliverDone'], afterCall('unlink /spool/active/.checkout/m02'));
    expect(r.violations).toEqual([]);
    expect(r.redelivered).toEqual([]);
    expect(places(r.afterStartup)).toEqual(['m00: frozen=frozen', 'm01: active=sendAt', 'm02: ']);
    expect(await monitorReport(r.afterStartup)).toEqual(['orphaned registry m02']);
  });

  it('re-delivery is counted by the crash check of the whole workload, which passes', async () => {
    const result = await crashCheckMessageWorkload(['addNow', 'deliverDone'], PROCESS_CRASH, {}, { maxSubsetsPerPoint: 64, samplesPerPoint: 8, random: () => 0.5 });
    expect(result.failure).toBeUndefined();
    expect(result.redeliveries).toBe(1);
  });

  it('in the middle of add, after the name was reserved: nothing acknowledged is lost; the registry file is reported', async () => {
    const r = await killAt(['addNow'], afterCall('fsyncDir /spool/.registry'));
    expect(r.violations).toEqual([]);
    expect(places(r.afterStartup)).toEqual(['m00: frozen=frozen', 'm01: active=sendAt', 'm02: ']);
    expect(await monitorReport(r.afterStartup)).toEqual(['orphaned registry m02']);
  });

  it('in the middle of add, after the data was written and before the publish: staged record and data reported', async () => {
    const r = await killAt(['addNow'], afterCall('fsyncDir /spool/.data'));
    expect(r.violations).toEqual([]);
    expect(r.recovery[1]).toMatch(/status\(\): m00 frozen, m01 sendAt;/);
    expect(await monitorReport(r.afterStartup)).toEqual(['orphaned registry m02', 'tooOld tmp m02']);
  });

  it('add, right after the publish: the message is there and is sent', async () => {
    const r = await killAt(['addNow'], afterCall('rename /spool/.tmp/m02 /spool/active/m02'));
    expect(r.violations).toEqual([]);
    expect(r.recovery[1]).toMatch(/attempts started: \[m02\]/);
  });
});
