/**
 * The central multispool properties: for every generated command sequence, the real multispool
 * returns what the model predicts and leaves on disk the state the model predicts, after every
 * command — on memfs (many runs, fast) and on a real temporary directory through node:fs (fewer
 * runs: it proves the same holds against a real kernel).
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { memfsVfs } from '../../impl/io/memfs-vfs.ts';
import { makeTempDir, nodeVfs } from '../../impl/io/node-vfs.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import type { MultispoolQuirks } from '../../impl/multispool/quirks.ts';
import { commandsArb } from './commands.ts';
import { runSideBySide } from './side-by-side.ts';
import { START_MS } from './test-spoolable.ts';
import { reversedReaddirVfs } from './unordered-vfs.ts';

/** Longest generated command sequence. */
const MAX_COMMANDS = 40;

/** Model and implementation agree after every command, on memfs. */
export const modelVsImplMemfs: PropertyDef = {
  suite: 'multispool',
  requires: ['builtin'],
  name: 'model-vs-impl-memfs',
  description: 'on memfs, every result and the whole spool directory match the model after every operation',
  defaultRuns: 1000,
  testRuns: 150,
  build: (ctx: RunContext) =>
    fc.asyncProperty(commandsArb(MAX_COMMANDS), async (commands) => {
      const clock = manualClock(START_MS);
      // memfs lists directories sorted; reversed, so that only the spool's own sorting can order a listing.
      const vfs = reversedReaddirVfs(memfsVfs({ clock }));
      await vfs.mkdir('/var');
      await runSideBySide(commands, { vfs, dir: '/var/spool', clock, ...quirksOf(ctx) });
    }) as unknown as fc.IAsyncProperty<never>,
};

/** Model and implementation agree after every command, on a real temporary directory. */
export const modelVsImplDisk: PropertyDef = {
  suite: 'multispool',
  requires: ['builtin'],
  name: 'model-vs-impl-disk',
  description: 'on a real temporary directory (node:fs), every result and the spool directory match the model',
  defaultRuns: 60,
  testRuns: 15,
  build: (ctx: RunContext) =>
    fc.asyncProperty(commandsArb(MAX_COMMANDS), async (commands) => {
      const tmp = await makeTempDir('spoolcheck-');
      try {
        const clock = manualClock(START_MS);
        await runSideBySide(commands, { vfs: nodeVfs(tmp.path), dir: '/spool', clock, ...quirksOf(ctx) });
      } finally {
        await tmp.cleanup();
      }
    }) as unknown as fc.IAsyncProperty<never>,
};

/** The variant's multispool quirks, as an option bag. */
export function quirksOf(ctx: RunContext): { quirks: MultispoolQuirks } {
  return { quirks: builtinOf(ctx).multispool };
}
