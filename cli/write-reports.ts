/** The report files a run or a merge writes besides its output: JUnit XML and replay files. */
import { writeFile } from 'node:fs/promises';
import type { Output } from './output.ts';
import type { RunRecord } from './run-report.ts';
import { junitXml } from './junit.ts';
import { writeReplayFiles, type ReplayTargetChoice } from './replay-file.ts';

/** Writes the reports `options` asks for (JUnit, replay files) from the record. */
export async function writeReports(record: RunRecord, options: { readonly junit?: string; readonly replayDir?: string }, chosen: ReplayTargetChoice | undefined, out: Output): Promise<void> {
  if (options.junit !== undefined) {
    await writeFile(options.junit, junitXml(record));
    out.stderr(`spoolcheck: JUnit report written to ${options.junit}`);
  }
  if (options.replayDir !== undefined && chosen !== undefined) {
    const files = await writeReplayFiles(options.replayDir, record, chosen);
    out.stderr(`spoolcheck: ${files.length} replay file(s) written to ${options.replayDir}${files.length === 0 ? '' : ` (run one with: npx spoolcheck replay ${files[0]})`}`);
  }
}
