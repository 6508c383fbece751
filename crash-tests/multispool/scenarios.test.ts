/**
 * Pinned crash scenarios after docs/multispool-protocol.md's crash table: a workload, a crash right after a named
 * call (kill -9: every completed call durable), and exactly what is left on disk and what the
 * Monitor says about it. Our step order differs from the original's where the original loses or
 * hides data (remove unlinks metadata before data; see docs/multispool-protocol.md); MS-2
 * restores the original's order, and its row is pinned too.
 */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../impl/io/clock.ts';
import { Monitor } from '../../impl/multispool/monitor.ts';
import { Multispool } from '../../impl/multispool/multispool.ts';
import { describeLocation } from '../../impl/multispool/problems.ts';
import type { MultispoolQuirks } from '../../impl/multispool/quirks.ts';
import { START_MS, TEST_SPOOLABLE } from '../../properties/multispool/test-spoolable.ts';
import { crashVfs } from '../../sim/crash-vfs.ts';
import { lookupPath, renderImage } from '../../sim/crash/disk-image.ts';
import { exploreCrashStates } from '../../sim/crash/explore.ts';
import { PROCESS_CRASH, STRICT } from '../../sim/crash/profiles.ts';
import { runWorkload, SPOOL_DIR, type WorkloadOp } from './workload.ts';

/** The spool files left by a kill right after the first call whose label matches, and the Monitor's report. */
async function killAfter(workload: WorkloadOp[], call: RegExp, quirks: MultispoolQuirks = {}): Promise<{ files: string[]; monitor: string[] }> {
  const run = await runWorkload(workload, manualClock(START_MS), quirks);
  const { states } = exploreCrashStates(run.vfs.history(), PROCESS_CRASH, { maxSubsetsPerPoint: 1, samplesPerPoint: 0, random: () => 0, dedupe: false });
  const state = states.find((s) => {
    const m = /^after call #\d+ `(.*)` returned$/.exec(s.point.description);
    return m !== null && call.test(m[1] as string);
  });
  if (state === undefined) throw new Error(`no call matches ${call}`);
  const files = renderImage(state.image, false).filter((l) => l.includes(' = ') && l.startsWith(`${SPOOL_DIR}/`)).map((l) => l.slice(SPOOL_DIR.length + 1));
  // Long after the crash: every age limit has passed.
  const monitor = await Monitor.open(crashVfs({ image: state.image }), SPOOL_DIR, TEST_SPOOLABLE, { clock: manualClock(START_MS + 3_600_000) });
  const problems = await monitor.runOnce();
  return {
    files,
    monitor: problems.map((p) => `${p.kind} ${p.kind === 'duplicated' ? p.locations.map(describeLocation).join('+') : describeLocation(p.location)} ${p.file.name}`),
  };
}

const E0_DATA = '.data/e0 = "hello, world"';
const E0_META = '{\\"label\\":\\"new\\",\\"rev\\":0}';

describe('pinned crash scenarios (kill -9 right after a call)', () => {
  it('enqueue, after reserve: the registry file only; Monitor: orphaned registry file', async () => {
    const r = await killAfter(['enqueue'], /^fsyncDir \/spool\/\.registry$/);
    expect(r.files).toEqual([E0_DATA, '.registry/e0 = ""', '.registry/w1 = ""', `alpha/e0 = "${E0_META}"`]);
    expect(r.monitor).toEqual(['orphaned registry w1']);
  });

  it('enqueue, after the data write (the metadata was staged in .tmp before): Monitor: orphaned registry file, old temp file', async () => {
    const r = await killAfter(['enqueue'], /^fsyncDir \/spool\/\.data$/);
    expect(r.files).toContain('.data/w1 = "body of operation 1"');
    expect(r.files).toContain('.tmp/w1 = "{\\"label\\":\\"op1\\",\\"rev\\":1}"');
    expect(r.monitor).toEqual(['orphaned registry w1', 'tooOld tmp w1']);
  });

  it('enqueue, after the .tmp metadata write: registry, data and temp file; Monitor: orphaned registry file and old temp file', async () => {
    const r = await killAfter(['enqueue'], /^fsync \/spool\/\.tmp\/w1$/);
    expect(r.files).toContain('.tmp/w1 = "{\\"label\\":\\"op1\\",\\"rev\\":1}"');
    expect(r.monitor).toEqual(['orphaned registry w1', 'tooOld tmp w1']);
  });

  it('checkout+remove, after unlinking the checkout file: registry and data; Monitor: orphaned registry file', async () => {
    const r = await killAfter(['checkoutRemove'], /^unlink \/spool\/alpha\/\.checkout\/e0$/);
    expect(r.files).toEqual([E0_DATA, '.registry/e0 = ""']);
    expect(r.monitor).toEqual(['orphaned registry e0']);
  });

  it('checkout+remove with the original order (MS-2), after unlinking the data: an entry without data, which our Monitor reports', async () => {
    const r = await killAfter(['checkoutRemove'], /^unlink \/spool\/\.data\/e0$/, { removeDataFirst: true });
    expect(r.files).toEqual(['.registry/e0 = ""', `alpha/.checkout/e0 = "${E0_META}"`]);
    expect(r.monitor).toEqual(['tooOld checkout:alpha e0', 'missingData checkout:alpha e0']);
  });

  it('between the two halves of checkout.save: the NEW metadata in the OLD queue\'s checkout directory; Monitor: old checkout', async () => {
    const r = await killAfter(['checkoutSaveOther'], /^rename \/spool\/\.tmp\/e0 \/spool\/alpha\/\.checkout\/e0$/);
    expect(r.files).toEqual([E0_DATA, '.registry/e0 = ""', 'alpha/.checkout/e0 = "{\\"label\\":\\"op1\\",\\"rev\\":1}"']);
    expect(r.monitor).toEqual(['tooOld checkout:alpha e0']);
  });
});

describe('after a strict-profile power loss inside a rename', () => {
  it('a leftover .tmp name of the live checkout file is unlinked, not written through, by the next save', async () => {
    const run = await runWorkload(['checkoutSaveSame'], manualClock(START_MS), {});
    const { states } = exploreCrashStates(run.vfs.history(), STRICT, { maxSubsetsPerPoint: 4096, samplesPerPoint: 0, random: () => 0 });
    const aliased = states.find((s) => {
      const tmp = lookupPath(s.image, `${SPOOL_DIR}/.tmp/e0`);
      return tmp !== undefined && tmp === lookupPath(s.image, `${SPOOL_DIR}/alpha/.checkout/e0`);
    });
    if (aliased === undefined) throw new Error('no strict crash state leaves .tmp/e0 and alpha/.checkout/e0 as one file');
    const vfs = crashVfs({ image: aliased.image, clock: manualClock(START_MS) });
    const spool = await Multispool.load(vfs, SPOOL_DIR, TEST_SPOOLABLE, { clock: manualClock(START_MS) });
    const [entry] = await spool.listCheckoutsUnsafe('alpha');
    if (entry === undefined) throw new Error('the checkout is not there');
    entry.update(() => ({ label: 'recovered', rev: 9 }));
    await entry.save('alpha');
    expect(await vfs.readdir(`${SPOOL_DIR}/.tmp`)).toEqual([]);
    expect(await spool.direct.contents(spool.entry('alpha', 'e0'))).toEqual({ label: 'recovered', rev: 9 });
  });
});
