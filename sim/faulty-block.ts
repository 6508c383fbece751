/**
 * The faulty block device: an in-memory {@link BlockDevice} with a volatile write cache in front of
 * a durable image, which a test can crash, tear, misdirect and wear out, each fault on request.
 *
 * Fault contract, in plain words. While the device runs, nothing goes wrong by itself: a completed
 * write is seen by every later read (it waits in the volatile cache), and `flush` makes every
 * completed write durable, in write order. Every fault below is injected explicitly by the test,
 * and the injected ones only within the fault budget (default: none).
 * What can go wrong:
 *  - A crash, `crash(plan)`. Every write completed since the last flush may land in any ORDER, and
 *    each one is applied whole, dropped, or TORN: at the tear granularity (8 or 512 bytes, an
 *    option; the last granule of a sector may be shorter), each granule of the sector holds either
 *    the new bytes or the bytes that were there before (the durable bytes, or those of another
 *    pending write that landed earlier in the chosen order). A sector-atomic device never tears.
 *    Several pending writes to one sector are separate writes, each with its own fate.
 *  - A misdirected write, `misdirectNextWrite(to)` (counted against `faultBudget.misdirected`):
 *    the next write is acknowledged but lands at sector `to`; its own sector keeps its old bytes.
 *    Reads, flushes and crashes then treat it as a write to `to`.
 *  - An ambiguous write, `ambiguousNextWrite(outcome)` (counted against `faultBudget.ambiguous`):
 *    the next write fails with a BlockDeviceError `io`, yet it `lands` (as a completed write, in
 *    the volatile cache like any other), is `lost`, or lands `torn` (the granules `keep` marks
 *    hold the new bytes, the others what the sector held). What a write error means on a real
 *    disk or a network block device: the caller cannot tell which.
 *  - A latent sector error, `failSector(s, mode)` (counted against `faultBudget.latentErrors`, once
 *    per sector): from then on every read of `s` fails with a BlockDeviceError `io` (`'error'`) or
 *    returns zeros (`'zeros'`). Writes to `s` are still accepted and land in the image, but no read
 *    shows them. The error is on the medium: it survives a crash and `restart`.
 *  - A transient error, `failNextRead()` or `failNextFlush()` (counted against
 *    `faultBudget.transient`): the next read fails with a BlockDeviceError `io` and returns
 *    nothing (the sector is unharmed; the read after it works); the next flush fails with `io`
 *    and makes nothing durable (its writes stay pending: a later flush makes them durable, a
 *    crash may land any of them, as for any pending write). What a timeout or a controller reset
 *    does to one request.
 * What never happens: a write that completed before the last completed flush is lost or changed by
 * a crash; a tear that is not granule-aligned, or a torn sector holding bytes that were never
 * written there; bit rot (a read returning bytes other than the latest write's, zeros excepted for
 * a failed sector); a write (other than an armed ambiguous one), a flush or a read of a healthy sector
 * failing (other than an armed transient error); a fault nobody asked
 * for or beyond the budget. Faults are an overlay on a pristine image: `durableImage()` and the
 * image `crash` returns hold the real bytes, whatever the latent sector errors hide.
 * A crash during a flush is the same as a crash just before it (the flush itself is instantaneous,
 * and before it any subset of its writes may already have landed, in any order).
 *
 * After `crash`, the device is dead: reads, writes and flushes fail with `closed`, as the handles
 * of a machine that lost power. `crash` may be called again with another plan, to get another
 * crash image of the same moment; `restart(image)` gives the device a test reopens.
 */
import fc from 'fast-check';
import { BlockDeviceError, checkSectorArgs, requirePositiveInteger, type BlockDevice } from '../impl/io/block-device.ts';

/** Bytes per tear granule: 8 (a word-sized tear) or 512 (a legacy-sector-sized tear). */
export type TearGranularity = 8 | 512;

/** How many of each injected fault a test allows (each default 0: no such fault can be injected). */
export interface FaultBudget {
  /** Misdirected writes, `misdirectNextWrite` calls. */
  readonly misdirected?: number;
  /** Sectors with a latent sector error, `failSector` on a sector not yet failed. */
  readonly latentErrors?: number;
  /** Ambiguous writes, `ambiguousNextWrite` calls. */
  readonly ambiguous?: number;
  /** Transient errors, `failNextRead` and `failNextFlush` calls. */
  readonly transient?: number;
}

/** What an ambiguous write does besides failing. */
export type AmbiguousOutcome = { readonly kind: 'lands' } | { readonly kind: 'lost' } | { readonly kind: 'torn'; readonly keep: readonly boolean[] };

/** Geometry, crash behaviour and fault budget of {@link faultyBlockDevice}. */
export interface FaultyBlockDeviceOptions {
  /** Bytes per sector: a positive integer. */
  readonly sectorSize: number;
  /** Number of sectors: a positive integer. */
  readonly sectorCount: number;
  /** Bytes per granule of a torn write. Default 512. */
  readonly tearGranularity?: TearGranularity;
  /** True for a device that never tears inside a sector: a `torn` crash fate is refused. Default false. */
  readonly sectorAtomic?: boolean;
  /** The initial durable image, `sectorCount * sectorSize` bytes (copied). Default: zeros. */
  readonly image?: Uint8Array;
  /** Injected faults allowed over the device's life, restarts included. Default: none. */
  readonly faultBudget?: FaultBudget;
  /** Shown in reports. Default: `faulty:<sectorCount>x<sectorSize>` and the tear mode. */
  readonly description?: string;
}

/** What a crash does to one pending write. */
export type PendingFate =
  /** The write never reached the medium. */
  | { readonly kind: 'dropped' }
  /** The whole sector landed. */
  | { readonly kind: 'applied' }
  /** Granule `i` of the sector landed when `keep[i]` is true; the others keep the bytes before it. */
  | { readonly kind: 'torn'; readonly keep: readonly boolean[] };

/** A crash, as a value fast-check can generate and shrink (see {@link crashPlanArb}). */
export interface CrashPlan {
  /** The pending writes (indices into `pendingWrites()`) in the order they reach the medium: a permutation. */
  readonly order: readonly number[];
  /** The fate of each pending write, by index: one per pending write. */
  readonly fates: readonly PendingFate[];
}

/** What reads of a sector with a latent sector error do. */
export type LatentErrorMode =
  /** Fail with a BlockDeviceError `io`. */
  | 'error'
  /** Return a sector of zeros. */
  | 'zeros';

/** The faulty device: a BlockDevice plus the crash and fault controls. */
export interface FaultyBlockDevice extends BlockDevice {
  /** Bytes per tear granule (from the options). */
  readonly tearGranularity: TearGranularity;
  /** Whether the device never tears inside a sector (from the options). */
  readonly sectorAtomic: boolean;
  /** The sector each write since the last flush lands at, in write order (repeats included). */
  pendingWrites(): number[];
  /**
   * Pulls the plug: returns the durable image (a copy of the whole device) after the pending
   * writes land as `plan` says, and kills the device. Throws an Error for a plan that does not
   * fit the pending writes or the device (wrong length, not a permutation, a tear on a
   * sector-atomic device, a `keep` of the wrong length).
   */
  crash(plan: CrashPlan): Uint8Array;
  /** A fresh device with the same options, `image` as its durable image, the remaining budget and the latent sector errors. */
  restart(image: Uint8Array): FaultyBlockDevice;
  /** Makes the next write land at `toSector`; throws an Error when the budget is spent or a misdirection is already armed. */
  misdirectNextWrite(toSector: number): void;
  /** Makes the next write fail with `io` and do `outcome`; throws an Error when the budget is spent or one is already armed. */
  ambiguousNextWrite(outcome: AmbiguousOutcome): void;
  /** Makes the next read fail with `io` (no effect); throws an Error when the budget is spent or one is already armed. */
  failNextRead(): void;
  /** Makes the next flush fail with `io` and make nothing durable; throws an Error when the budget is spent or one is already armed. */
  failNextFlush(): void;
  /** Gives `sector` a latent sector error; throws an Error when the budget is spent (changing the mode of a failed sector is free). */
  failSector(sector: number, mode: LatentErrorMode): void;
  /** A copy of the durable image: what a crash that drops every pending write leaves. */
  durableImage(): Uint8Array;
  /** A copy of the image reads see, pending writes included (latent sector errors not applied). */
  liveImage(): Uint8Array;
}

/** The number of tear granules in a sector (the length of a torn fate's `keep`). */
export function granulesPerSector(sectorSize: number, tearGranularity: TearGranularity): number {
  return Math.ceil(sectorSize / tearGranularity);
}

/** What survives a restart besides the image: the unspent budget and the failed sectors. */
interface MediumState {
  misdirectedLeft: number;
  latentErrorsLeft: number;
  ambiguousLeft: number;
  transientLeft: number;
  readonly failed: Map<number, LatentErrorMode>;
}

/** One write since the last flush: where it lands and its bytes. */
interface PendingWrite {
  readonly sector: number;
  readonly data: Uint8Array;
}

/** A budget entry: a non-negative integer or Infinity; undefined means 0. */
function budgetOf(what: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (!(value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 0))) {
    throw new Error(`faultyBlockDevice: faultBudget.${what} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/** Creates a faulty device (zero-filled unless `options.image` is given); throws an Error for bad options. */
export function faultyBlockDevice(options: FaultyBlockDeviceOptions): FaultyBlockDevice {
  const medium: MediumState = {
    misdirectedLeft: budgetOf('misdirected', options.faultBudget?.misdirected),
    latentErrorsLeft: budgetOf('latentErrors', options.faultBudget?.latentErrors),
    ambiguousLeft: budgetOf('ambiguous', options.faultBudget?.ambiguous),
    transientLeft: budgetOf('transient', options.faultBudget?.transient),
    failed: new Map(),
  };
  return build(options, options.image, medium);
}

/** The device over `image` (copied; zeros when undefined) with `medium` (owned by the new device). */
function build(options: FaultyBlockDeviceOptions, image: Uint8Array | undefined, medium: MediumState): FaultyBlockDevice {
  const { sectorSize, sectorCount } = options;
  requirePositiveInteger('faultyBlockDevice', 'sectorSize', sectorSize);
  requirePositiveInteger('faultyBlockDevice', 'sectorCount', sectorCount);
  const tearGranularity = options.tearGranularity ?? 512;
  if (tearGranularity !== 8 && tearGranularity !== 512) {
    throw new Error(`faultyBlockDevice: tearGranularity must be 8 or 512, got ${String(tearGranularity)}`);
  }
  const sectorAtomic = options.sectorAtomic ?? false;
  const size = sectorSize * sectorCount;
  if (image !== undefined && image.length !== size) {
    throw new Error(`faultyBlockDevice: the image has ${image.length} bytes, the device has ${size} (${sectorCount} x ${sectorSize})`);
  }
  const geometry = { sectorSize, sectorCount };
  const granules = granulesPerSector(sectorSize, tearGranularity);

  const durable = image === undefined ? new Uint8Array(size) : image.slice();
  let pending: PendingWrite[] = [];
  /** The latest pending bytes of each sector: what reads see before the durable image. */
  const latest = new Map<number, Uint8Array>();
  let misdirectTo: number | undefined;
  let ambiguous: AmbiguousOutcome | undefined;
  let readFails = false;
  let flushFails = false;
  let crashed = false;

  const alive = (operation: string, sector?: number): void => {
    if (crashed) throw new BlockDeviceError('closed', operation, sector, 'the device crashed; restart it to read its image');
  };
  const controllable = (control: string): void => {
    if (crashed) throw new Error(`faultyBlockDevice: ${control} after a crash; inject faults on the restarted device`);
  };
  /** Checks that control `control` may arm a transient error (`armed`: one is already armed) and spends it from the budget. */
  const spendTransient = (control: string, armed: boolean, what: string): void => {
    controllable(control);
    if (armed) throw new Error(`${control}: ${what} is already armed`);
    if (medium.transientLeft <= 0) throw new Error(`${control}: the fault budget allows no more transient errors`);
    medium.transientLeft -= 1;
  };
  const place = (target: Uint8Array, write: PendingWrite): void => target.set(write.data, write.sector * sectorSize);

  /** Throws an Error unless `plan` fits the pending writes and this device. */
  const checkPlan = (plan: CrashPlan): void => {
    const n = pending.length;
    if (plan.fates.length !== n) throw new Error(`crash: the plan has ${plan.fates.length} fates for ${n} pending writes`);
    const seen = new Set<number>();
    for (const index of plan.order) {
      if (!Number.isInteger(index) || index < 0 || index >= n || seen.has(index)) {
        throw new Error(`crash: the order [${plan.order.join(', ')}] is not a permutation of the ${n} pending writes`);
      }
      seen.add(index);
    }
    if (seen.size !== n) throw new Error(`crash: the order [${plan.order.join(', ')}] is not a permutation of the ${n} pending writes`);
    plan.fates.forEach((fate, index) => {
      if (fate.kind === 'torn') {
        if (sectorAtomic) throw new Error(`crash: pending write ${index} is torn, but this device is sector-atomic (it never tears inside a sector)`);
        if (fate.keep.length !== granules) {
          throw new Error(`crash: pending write ${index} is torn with ${fate.keep.length} granule flags, a sector has ${granules} granules of ${tearGranularity} bytes`);
        }
      } else if (fate.kind !== 'applied' && fate.kind !== 'dropped') {
        throw new Error(`crash: pending write ${index} has an unknown fate ${JSON.stringify(fate)}`);
      }
    });
  };

  return {
    description: options.description ?? `faulty:${sectorCount}x${sectorSize} ${sectorAtomic ? 'sector-atomic' : `tear=${tearGranularity}B`}`,
    sectorSize,
    sectorCount,
    tearGranularity,
    sectorAtomic,
    read: async (sector) => {
      alive('read', sector);
      checkSectorArgs(geometry, 'read', sector);
      if (readFails) {
        readFails = false;
        throw new BlockDeviceError('io', 'read', sector, 'transient read error (injected)');
      }
      const mode = medium.failed.get(sector);
      if (mode === 'error') throw new BlockDeviceError('io', 'read', sector, 'latent sector error (injected)');
      if (mode === 'zeros') return new Uint8Array(sectorSize);
      const cached = latest.get(sector);
      return cached !== undefined ? cached.slice() : durable.slice(sector * sectorSize, (sector + 1) * sectorSize);
    },
    write: async (sector, data) => {
      alive('write', sector);
      checkSectorArgs(geometry, 'write', sector, data);
      const write = { sector: misdirectTo ?? sector, data: data.slice() };
      misdirectTo = undefined;
      const outcome = ambiguous;
      ambiguous = undefined;
      if (outcome?.kind === 'torn') {
        const before = latest.get(write.sector) ?? durable.slice(write.sector * sectorSize, (write.sector + 1) * sectorSize);
        const mixed = before.slice();
        outcome.keep.forEach((landed, g) => {
          if (landed) mixed.set(write.data.subarray(g * tearGranularity, Math.min((g + 1) * tearGranularity, sectorSize)), g * tearGranularity);
        });
        pending.push({ sector: write.sector, data: mixed });
        latest.set(write.sector, mixed);
      } else if (outcome?.kind !== 'lost') {
        pending.push(write);
        latest.set(write.sector, write.data);
      }
      if (outcome !== undefined) throw new BlockDeviceError('io', 'write', sector, `ambiguous write (injected): it failed, and it ${outcome.kind === 'lands' ? 'landed all the same' : outcome.kind === 'lost' ? 'was lost' : 'landed in part'}`);
    },
    flush: async () => {
      alive('flush');
      if (flushFails) {
        flushFails = false;
        throw new BlockDeviceError('io', 'flush', undefined, 'transient flush error (injected): nothing was made durable');
      }
      for (const write of pending) place(durable, write);
      pending = [];
      latest.clear();
    },
    pendingWrites: () => pending.map((w) => w.sector),
    crash: (plan) => {
      checkPlan(plan);
      crashed = true;
      const result = durable.slice();
      for (const index of plan.order) {
        const write = pending[index] as PendingWrite;
        const fate = plan.fates[index] as PendingFate;
        if (fate.kind === 'applied') {
          place(result, write);
        } else if (fate.kind === 'torn') {
          const base = write.sector * sectorSize;
          fate.keep.forEach((landed, g) => {
            if (landed) result.set(write.data.subarray(g * tearGranularity, Math.min((g + 1) * tearGranularity, sectorSize)), base + g * tearGranularity);
          });
        }
      }
      return result;
    },
    restart: (next) =>
      build(options, next, {
        misdirectedLeft: medium.misdirectedLeft,
        latentErrorsLeft: medium.latentErrorsLeft,
        ambiguousLeft: medium.ambiguousLeft,
        transientLeft: medium.transientLeft,
        failed: new Map(medium.failed),
      }),
    ambiguousNextWrite: (outcome) => {
      controllable('ambiguousNextWrite');
      if (ambiguous !== undefined) throw new Error('ambiguousNextWrite: an ambiguous write is already armed');
      if (medium.ambiguousLeft <= 0) throw new Error('ambiguousNextWrite: the fault budget allows no more ambiguous writes');
      if (outcome.kind === 'torn' && outcome.keep.length !== granules) throw new Error(`ambiguousNextWrite: ${outcome.keep.length} granule flags, a sector has ${granules}`);
      medium.ambiguousLeft -= 1;
      ambiguous = outcome;
    },
    failNextRead: () => {
      spendTransient('failNextRead', readFails, 'a read error');
      readFails = true;
    },
    failNextFlush: () => {
      spendTransient('failNextFlush', flushFails, 'a flush error');
      flushFails = true;
    },
    misdirectNextWrite: (toSector) => {
      controllable('misdirectNextWrite');
      checkSectorArgs(geometry, 'misdirectNextWrite', toSector);
      if (misdirectTo !== undefined) throw new Error(`misdirectNextWrite: a misdirection to sector ${misdirectTo} is already armed`);
      if (medium.misdirectedLeft <= 0) throw new Error('misdirectNextWrite: the fault budget allows no more misdirected writes');
      medium.misdirectedLeft -= 1;
      misdirectTo = toSector;
    },
    failSector: (sector, mode) => {
      controllable('failSector');
      checkSectorArgs(geometry, 'failSector', sector);
      if (mode !== 'error' && mode !== 'zeros') throw new Error(`failSector: mode must be 'error' or 'zeros', got ${String(mode)}`);
      if (!medium.failed.has(sector)) {
        if (medium.latentErrorsLeft <= 0) throw new Error('failSector: the fault budget allows no more latent sector errors');
        medium.latentErrorsLeft -= 1;
      }
      medium.failed.set(sector, mode);
    },
    durableImage: () => durable.slice(),
    liveImage: () => {
      const live = durable.slice();
      for (const write of pending) place(live, write);
      return live;
    },
  };
}

/** What {@link crashPlanArb} needs to know of the device (a FaultyBlockDevice or its options will do). */
export interface CrashPlanArbOptions {
  /** Bytes per sector. */
  readonly sectorSize: number;
  /** Bytes per tear granule. Default 512. */
  readonly tearGranularity?: TearGranularity;
  /** No torn fates when true. Default false. */
  readonly sectorAtomic?: boolean;
}

/**
 * Every valid crash plan for `pendingCount` pending writes. Shrinks towards the calm crash: every
 * write applied, in write order (so a shrunk counterexample shows only the faults it needs).
 */
export function crashPlanArb(pendingCount: number, options: CrashPlanArbOptions): fc.Arbitrary<CrashPlan> {
  if (!Number.isInteger(pendingCount) || pendingCount < 0) {
    throw new Error(`crashPlanArb: pendingCount must be a non-negative integer, got ${String(pendingCount)}`);
  }
  const granules = granulesPerSector(options.sectorSize, options.tearGranularity ?? 512);
  const applied: fc.Arbitrary<PendingFate> = fc.constant({ kind: 'applied' });
  const dropped: fc.Arbitrary<PendingFate> = fc.constant({ kind: 'dropped' });
  const torn: fc.Arbitrary<PendingFate> = fc
    .array(fc.boolean(), { minLength: granules, maxLength: granules })
    .map((keep): PendingFate => ({ kind: 'torn', keep }));
  const fate: fc.Arbitrary<PendingFate> =
    options.sectorAtomic === true
      ? fc.oneof({ withCrossShrink: true }, applied, dropped)
      : fc.oneof({ withCrossShrink: true }, { arbitrary: applied, weight: 2 }, { arbitrary: dropped, weight: 2 }, { arbitrary: torn, weight: 1 });
  // The order as a Lehmer code: choice i picks among the writes not yet placed; all zeros is write order.
  const lehmer = fc.tuple(...Array.from({ length: pendingCount }, (_, i) => fc.nat(pendingCount - 1 - i)));
  const order = lehmer.map((choices) => {
    const remaining = Array.from({ length: pendingCount }, (_, i) => i);
    return choices.map((choice) => remaining.splice(choice, 1)[0] as number);
  });
  return fc.record({ order, fates: fc.array(fate, { minLength: pendingCount, maxLength: pendingCount }) });
}
