/**
 * Device faults for the ring and journal properties: which device calls of a session fail, and a
 * wrapper of the faulty device (`sim/faulty-block.ts`) that arms each fault just before the call
 * it names. A fault names the n-th read, write or flush (counted from when the wrapper is armed);
 * a failing read returns nothing, a failing flush makes nothing durable, a failing write is
 * ambiguous (it lands, is lost, or lands torn at 8-byte granules). The one-ambiguous-write
 * properties use it with a single fault on a write.
 */
import fc from 'fast-check';
import type { BlockDevice } from '../../impl/io/block-device.ts';
import { faultyBlockDevice, granulesPerSector, type AmbiguousOutcome, type FaultyBlockDevice } from '../../sim/faulty-block.ts';
import { RING_DEVICE } from '../../targets/ring-adapter.ts';

/** Bytes per tear granule of the faulty devices these properties use. */
export const TEAR = 8;
/** Most faults in one run of the device-errors properties. */
export const MAX_FAULTS = 3;

/** The outcome of the ambiguous write (a torn one on a sector of the ring's device size). */
export const outcomeArb: fc.Arbitrary<AmbiguousOutcome> = fc.oneof(
  fc.constant<AmbiguousOutcome>({ kind: 'lands' }),
  fc.constant<AmbiguousOutcome>({ kind: 'lost' }),
  fc.array(fc.boolean(), { minLength: granulesPerSector(RING_DEVICE.sectorSize, TEAR), maxLength: granulesPerSector(RING_DEVICE.sectorSize, TEAR) }).map((keep): AmbiguousOutcome => ({ kind: 'torn', keep })),
);

/** The kinds of device call a fault can hit. */
export type CallKind = 'read' | 'write' | 'flush';

/**
 * One injected fault: the `nth` (0-based) device call of kind `on`, and what it does if it is a
 * write. Faults are placed by kind, so the rarer flushes are hit as often as reads and writes.
 */
export interface DeviceFault {
  readonly on: CallKind;
  readonly nth: number;
  readonly write: AmbiguousOutcome;
  /**
   * For a write: the read that many reads after it fails too (0: the very next one). A failed
   * write is followed by a read-back of the sector, and the handle must cope when that fails as
   * well; independent indices would rarely meet there.
   */
  readonly thenRead?: number;
}

/** A faulty device of the ring adapters' geometry, tearing at {@link TEAR} bytes, with a budget for `faults`. */
export function faultyRingDevice(faults: readonly DeviceFault[]): FaultyBlockDevice {
  return faultyBlockDevice({ ...RING_DEVICE, tearGranularity: TEAR, faultBudget: { ambiguous: faults.length, transient: faults.length } });
}

/**
 * `device` with the calls `faults` name failing, counted from now (or, with `armed` false, from
 * `arm()`); `hits()` counts the faults that came, `describe()` says which.
 */
export function faultsAt(device: FaultyBlockDevice, faults: readonly DeviceFault[], armed = true): { device: BlockDevice; hits(): number; describe(): string; arm(): void } {
  const calls: Record<CallKind, number> = { read: 0, write: 0, flush: 0 };
  const hit: string[] = [];
  let counting = armed;
  /** Reads to let pass before the one a write fault's `thenRead` fails (undefined: none pending). */
  let readsUntilFault: number | undefined;
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
        let failing = false;
        next('read', `sector ${s}`, () => {
          device.failNextRead();
          failing = true;
        });
        if (counting && readsUntilFault !== undefined && readsUntilFault-- === 0) {
          readsUntilFault = undefined;
          // A read both faults name fails once.
          if (!failing) {
            device.failNextRead();
            hit.push(`a read after that write (sector ${s})`);
          }
        }
        return device.read(s);
      },
      write: (s, d) => {
        next('write', `sector ${s}`, (f) => {
          device.ambiguousNextWrite(f.write);
          readsUntilFault = f.thenRead;
        });
        return device.write(s, d);
      },
      flush: () => {
        next('flush', 'the device', () => device.failNextFlush());
        return device.flush();
      },
    },
  };
}

/** One fault: a kind of call, which of them, and what a write does. */
const faultArb: fc.Arbitrary<DeviceFault> = fc.record(
  { on: fc.constantFrom<CallKind>('read', 'write', 'flush'), nth: fc.nat({ max: 24 }), write: outcomeArb, thenRead: fc.option(fc.nat({ max: 1 }), { nil: undefined }) },
  { requiredKeys: ['on', 'nth', 'write'] },
);

/** One to MAX_FAULTS faults on distinct calls. */
export const faultsArb: fc.Arbitrary<DeviceFault[]> = fc.uniqueArray(faultArb, { minLength: 1, maxLength: MAX_FAULTS, selector: (f) => `${f.on} ${f.nth}` });

