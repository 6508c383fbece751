/**
 * Opens the real message spool as a new simulated process (sim/processes.ts) each time, on one
 * Vfs and one manual clock, with the properties' names and the target's quirks: what a property
 * that restarts the spool needs. The sender answers `tryLater` unless told otherwise.
 */
import type { ManualClock } from '../../impl/io/clock.ts';
import type { Vfs } from '../../impl/io/vfs.ts';
import { MessageSpool, type MessageSpoolOptions, type MessageSpoolQuirks } from '../../impl/message-spool/index.ts';
import { processTable } from '../../sim/processes.ts';
import type { TestNames } from './test-names.ts';

/** Opens the spool in `dir` as a new process named by the caller. */
export type SpoolOpener = (processName: string) => Promise<MessageSpool>;

/** An opener of the spool in `dir` on `vfs`; `hooks` replace the default sender and presend. */
export function spoolOpener(
  vfs: Vfs,
  dir: string,
  clock: ManualClock,
  names: TestNames,
  quirks: MessageSpoolQuirks,
  hooks: Partial<Pick<MessageSpoolOptions, 'sender' | 'presend'>> = {},
): SpoolOpener {
  const table = processTable();
  return (processName) => {
    const process = table.spawn(processName);
    return MessageSpool.open(process.vfs(vfs), dir, {
      clock: process.clock(clock),
      processes: process.probe,
      names,
      quirks,
      sender: hooks.sender ?? { send: async () => 'tryLater' },
      ...(hooks.presend === undefined ? {} : { presend: hooks.presend }),
    });
  };
}
