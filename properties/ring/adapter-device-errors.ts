/**
 * `ring/adapter-device-errors`: a ring stays correct and usable when its device fails now and
 * then. Up to three device calls of a random workload (the n-th read, write or flush from when
 * the ring is made) fail with an I/O error: a read returns nothing, a flush makes
 * nothing durable, a write is ambiguous (it lands all the same, is lost, or lands torn at 8-byte
 * granules; `sim/faulty-block.ts`). Judged as `faulty-session.ts` says: a call fails only where a
 * fault hit it, with the device's error in its message; every acknowledged item is delivered
 * once, in order, byte for byte; a failed push at most once; nothing else. Where the ambiguous
 * write property exercises the write paths, this one reaches every error path of both ends: the
 * failed read of a control sector, of an item, the failed flush before and after publishing, a
 * failed read-back after a failed control write.
 */
import fc from 'fast-check';
import type { BlockDevice } from '../../impl/io/block-device.ts';
import { faultyBlockDevice, type AmbiguousOutcome, type FaultyBlockDevice } from '../../sim/faulty-block.ts';
import { RING_DEVICE, type RingAdapter } from '../../targets/ring-adapter.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { outcomeArb } from './adapter-ambiguous-write.ts';
import { cutStepArb, type RingAdapterStep } from './adapter-session.ts';
import { faultReport, runFaultySession } from './faulty-session.ts';

const TEAR = 8;
/** Longest random workload. */
const MAX_STEPS = 10;
/** Most faults in one run. */
const MAX_FAULTS = 3;

/** The kinds of device call a fault can hit. */
type CallKind = 'read' | 'write' | 'flush';

/**
 * One injected fault: the `nth` (0-based) device call of kind `on`, and what it does if it is a
 * write. Faults are placed by kind, so the rarer flushes are hit as often as reads and writes.
 */
export interface DeviceFault {
  readonly on: CallKind;
  readonly nth: number;
  readonly write: AmbiguousOutcome;
}

/**
 * `device` with the calls `faults` name failing, counted from now (or, with `armed` false, from
 * `arm()`); `hits()` counts the faults that came, `describe()` says which.
 */
export function faultsAt(device: FaultyBlockDevice, faults: readonly DeviceFault[], armed = true): { device: BlockDevice; hits(): number; describe(): string; arm(): void } {
  const calls: Record<CallKind, number> = { read: 0, write: 0, flush: 0 };
  const hit: string[] = [];
  let counting = armed;
  /** Arms the fault of this call, if any, with `arm`; `what` names the call. */
  const next = (on: CallKind, what: string, arm: (fault: DeviceFault) => void): void => {
    if (!counting) return;
    const nth = calls[on]++;
    const fault = faults.find((f) => f.on === on && f.nth === nth);
    if (fault === undefined) return;
    arm(fault);
    hit.push(`${on} #${nth} (${what})`);
  };
  return {
    arm: () => {
      counting = true;
    },
    hits: () => hit.length,
    describe: () => (hit.length === 0 ? 'no fault (none of the calls named came)' : `${hit.length} failed device call(s): ${hit.join(', ')}`),
    device: {
      description: device.description,
      sectorSize: device.sectorSize,
      sectorCount: device.sectorCount,
      read: (s) => {
        next('read', `sector ${s}`, () => device.failNextRead());
        return device.read(s);
      },
      write: (s, d) => {
        next('write', `sector ${s}`, (f) => device.ambiguousNextWrite(f.write));
        return device.write(s, d);
      },
      flush: () => {
        next('flush', 'the device', () => device.failNextFlush());
        return device.flush();
      },
    },
  };
}

/** Runs the workload under `faults`; throws what it breaks. */
async function assertSurvivesDeviceErrors(adapter: RingAdapter, steps: readonly RingAdapterStep[], faults: readonly DeviceFault[]): Promise<void> {
  const faulty = faultyBlockDevice({ ...RING_DEVICE, tearGranularity: TEAR, faultBudget: { ambiguous: faults.length, transient: faults.length } });
  await adapter.create({ device: faulty });
  const injected = faultsAt(faulty, faults);
  const { log, problems } = await runFaultySession(adapter, injected, steps);
  if (problems.length > 0) throw new Error(faultReport('the ring', injected.describe(), log, problems));
}

/** One fault: a kind of call, which of them, and what a write does. */
const faultArb: fc.Arbitrary<DeviceFault> = fc.record({ on: fc.constantFrom<CallKind>('read', 'write', 'flush'), nth: fc.nat({ max: 24 }), write: outcomeArb });

/** One to MAX_FAULTS faults on distinct calls. */
export const faultsArb: fc.Arbitrary<DeviceFault[]> = fc.uniqueArray(faultArb, { minLength: 1, maxLength: MAX_FAULTS, selector: (f) => `${f.on} ${f.nth}` });

export const adapterDeviceErrors: PropertyDef = {
  suite: 'ring',
  name: 'adapter-device-errors',
  requires: ['ring'],
  description: `up to ${MAX_FAULTS} device calls of a random workload fail (a read returns nothing, a flush makes nothing durable, a write lands, is lost or lands torn): only those calls fail, with the device's error, every acknowledged item pops out once, in order, byte for byte, a failed push at most once, nothing else`,
  defaultRuns: 300,
  testRuns: 40,
  build: (ctx) =>
    fc.asyncProperty(
      fc.array(cutStepArb, { minLength: 1, maxLength: MAX_STEPS }),
      faultsArb,
      async (steps, faults) => assertSurvivesDeviceErrors(adapterOf(ctx, 'ring'), steps, faults),
    ) as unknown as fc.IAsyncProperty<never>,
};
