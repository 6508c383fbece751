/**
 * A BlockDevice whose every call waits for fast-check's scheduler, so that several processes (or
 * several concurrent calls of one process) sharing one device interleave at the granularity of
 * single sector reads, writes and flushes, in an order fast-check chooses, shrinks and replays.
 *
 * Fault contract, in plain words: this wrapper injects NO faults. Every call runs exactly as the
 * wrapped device runs it; only the moments at which it starts, and at which its caller sees the
 * result, are chosen by the scheduler. While `enabled` is false, calls go straight through.
 */
import type fc from 'fast-check';
import type { BlockDevice } from '../impl/io/block-device.ts';

/** A device interleaved by a fast-check scheduler; `enabled` switches the scheduling on and off. */
export interface ScheduledBlockDevice extends BlockDevice {
  enabled: boolean;
}

/** Wraps `inner` so every call is scheduled by `scheduler`, labelled `<label> <call> <sector>`. */
export function scheduledBlockDevice(inner: BlockDevice, scheduler: fc.Scheduler, label: string): ScheduledBlockDevice {
  const gate = async (what: string): Promise<void> => {
    if (self.enabled) await scheduler.schedule(Promise.resolve(), `${label} ${what}`);
  };
  const around = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    await gate(what);
    const result = await call();
    await gate(`${what} returned`);
    return result;
  };
  const self: ScheduledBlockDevice = {
    enabled: true,
    description: `${inner.description} (scheduled: ${label})`,
    sectorSize: inner.sectorSize,
    sectorCount: inner.sectorCount,
    read: (sector) => around(`read ${sector}`, () => inner.read(sector)),
    write: (sector, data) => around(`write ${sector}`, () => inner.write(sector, data)),
    flush: () => around('flush', () => inner.flush()),
  };
  return self;
}
