/**
 * The file-system fault of a fault property, as a value a counterexample shows and shrinks: the
 * disk fills up at a share (in percent) of the bytes the faulted call writes, or the k-th write
 * or fsync fails with EIO. Shared by the file, queue and message spool fault properties, which
 * turn it into a `sim/fault-vfs.ts` plan with {@link planOf}.
 */
import fc from 'fast-check';
import type { FaultPlan } from '../sim/fault-vfs.ts';

/** One fault. */
export type FaultChoice = { readonly diskFullAtPercent: number } | { readonly eioOnWrite: number } | { readonly eioOnFsync: number };

/** Where the disk fills, in percent: mostly during the write, sometimes at its very start or not at all. */
const percentArb = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 99 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 100, 150) });

/** A full disk. */
export const diskFullChoiceArb: fc.Arbitrary<FaultChoice> = percentArb.map((p): FaultChoice => ({ diskFullAtPercent: p }));

/** EIO on one of the first `maxIndex + 1` writes or fsyncs. */
export function ioErrorChoiceArb(maxIndex: number): fc.Arbitrary<FaultChoice> {
  return fc.oneof(fc.nat({ max: maxIndex }).map((k): FaultChoice => ({ eioOnWrite: k })), fc.nat({ max: maxIndex }).map((k): FaultChoice => ({ eioOnFsync: k })));
}

/** Either: a full disk or EIO on one of the first `maxIndex + 1` writes or fsyncs, alike likely. */
export function faultChoiceArb(maxIndex: number): fc.Arbitrary<FaultChoice> {
  return fc.oneof(diskFullChoiceArb, ioErrorChoiceArb(maxIndex));
}

/** The plan of `choice` when the faulted call writes about `bytes` bytes. */
export function planOf(choice: FaultChoice, bytes: number): FaultPlan {
  return 'diskFullAtPercent' in choice ? { diskFullAfterBytes: Math.floor((choice.diskFullAtPercent * bytes) / 100) } : choice;
}
