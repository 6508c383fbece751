/**
 * `file/disk-full` and `file/io-error`: a file writer that promises atomic replace keeps it when
 * the disk fills up during the write or an I/O error strikes (`sim/fault-vfs.ts`), with no crash
 * at all. The file starts with a durable initial content; one replace runs under the fault; then:
 * a replace that resolved must have written its content in full, and whatever it did, the file
 * must hold the old content or the new one in full (`model/file/replace.ts`).
 */
import fc from 'fast-check';
import { judgeContent, quoteContent } from '../../model/file/replace.ts';
import { describePlan } from '../../sim/fault-vfs.ts';
import { diskFullChoiceArb, ioErrorChoiceArb, planOf, type FaultChoice } from '../fault-choice.ts';
import type { FileWriterAdapter } from '../../targets/file-writer-adapter.ts';
import { ROUTING_HINT } from '../routed-code.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { contentOf, FILE_PATH, fileWorld, lengthArb, loadWriter, replaceIn, versionContent } from './file-world.ts';

/** Runs one replace under `plan` and throws if the outcome breaks atomic replace. */
export async function assertReplaceUnderFault(adapter: FileWriterAdapter, initialLength: number, length: number, choice: FaultChoice): Promise<void> {
  const contents = [versionContent(0, initialLength), versionContent(1, length)];
  const plan = planOf(choice, (contents[1] as string).length);
  const { crash, disk, fs } = await fileWorld(contents[0] as string, plan);
  const writer = await loadWriter(adapter);
  const r = await replaceIn(fs, writer, contents[1] as string);
  const got = await contentOf(crash);
  const injected = 'injected' in disk ? disk.injected() : [];
  if (injected.length === 0 && (!r.ok || got !== contents[1])) {
    throw new Error(`with no fault injected (${describePlan(plan)} was never reached), the replace ${r.ok ? `resolved but the file holds ${got === undefined ? 'nothing' : quoteContent(got)}` : `failed: ${r.error}`} (${ROUTING_HINT})`);
  }
  const violation = r.ok ? judgeContent({ contents, acknowledged: 1, inFlight: false }, true, got) : judgeContent({ contents, acknowledged: 0, inFlight: true }, false, got);
  if (violation === undefined) return;
  throw new Error(
    [
      `under ${describePlan(plan)}, the atomic replace breaks`,
      `replace of ${FILE_PATH}: ${quoteContent(contents[0] as string)} by ${quoteContent(contents[1] as string)} → ${r.ok ? 'resolved (reported success)' : `rejected: ${r.error}`}`,
      `faults injected: ${injected.length === 0 ? 'none' : injected.join('; ')}`,
      `the file now: ${got === undefined ? 'absent' : quoteContent(got)}`,
      `violated: ${r.ok ? 'a replace that resolved must have written its content in full: ' : ''}${violation}`,
    ].join('\n'),
  );
}

/** A file fault property: one replace under a fault drawn from `choices`. */
function replaceUnderFault(name: string, description: string, choices: fc.Arbitrary<FaultChoice>): PropertyDef {
  return {
    suite: 'file',
    name,
    requires: ['file-writer', 'file-writer-atomic'],
    description,
    defaultRuns: 100,
    testRuns: 20,
    build: (ctx) =>
      fc.asyncProperty(lengthArb, lengthArb, choices, async (initial, length, choice) => assertReplaceUnderFault(adapterOf(ctx, 'fileWriter'), initial, length, choice)) as unknown as fc.IAsyncProperty<never>,
  };
}

export const diskFull = replaceUnderFault(
  'disk-full',
  'one replace while the disk fills up (ENOSPC after a generated share of the bytes of the new content; the write that crosses lands in part, as a short write): resolved means the new content in full, and the file holds the old or the new content in full',
  diskFullChoiceArb,
);

export const ioError = replaceUnderFault('io-error', 'one replace with EIO on one of its writes or fsyncs: resolved means the new content in full, and the file holds the old or the new content in full', ioErrorChoiceArb(3));
