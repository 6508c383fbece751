/**
 * `file/atomic-replace-<profile>`: a file writer that promises atomic replace keeps it across a
 * crash at any moment. The file starts with a durable initial content; one to three replaces
 * with distinct contents (of a few bytes to a few pages) run one after the other on the
 * crash-simulating disk; every crash state the profile allows at every crash point (inside the
 * writer's calls too) is derived, and the file must hold one version in full
 * (`model/file/replace.ts`); for a writer that also promises durability, never one older than the
 * last acknowledged.
 */
import fc from 'fast-check';
import { judgeContent, quoteContent } from '../../model/file/replace.ts';
import { crashVfs } from '../../sim/crash-vfs.ts';
import { exploreCrashStates } from '../../sim/crash/explore.ts';
import { seededRandom } from '../../sim/crash/prng.ts';
import { PROFILES, type PersistenceProfile } from '../../sim/crash/profiles.ts';
import type { FileWriterAdapter } from '../../targets/file-writer-adapter.ts';
import { crashViolation } from '../crash-report.ts';
import { ROUTING_HINT } from '../routed-code.ts';
import { adapterOf, type PropertyDef } from '../suite.ts';
import { contentOf, crashLengthArb, FILE_PATH, fileWorld, loadWriter, replaceIn, versionContent } from './file-world.ts';

/** Crash states enumerated exhaustively per crash point before sampling, and samples beyond. */
const MAX_SUBSETS = 64;
const SAMPLES = 16;

/** Runs the replaces, explores the crash states under `profile`, throws on the first that breaks the promise. */
export async function assertAtomicReplace(adapter: FileWriterAdapter, initialLength: number, lengths: readonly number[], profile: PersistenceProfile, seed: number): Promise<void> {
  const contents = [versionContent(0, initialLength), ...lengths.map((l, i) => versionContent(i + 1, l))];
  const { crash, fs } = await fileWorld(contents[0] as string);
  const writer = await loadWriter(adapter);
  const lines: string[] = [];
  for (let i = 1; i < contents.length; i++) {
    const r = await replaceIn(fs, writer, contents[i] as string);
    lines.push(`replace with version ${i} (${(contents[i] as string).length} bytes) → ${r.ok ? 'resolved' : `rejected: ${r.error}`}`);
    if (!r.ok) throw new Error(`replace #${i} failed on a disk without faults: ${r.error} (${ROUTING_HINT})`);
    crash.mark(`replace #${i} resolved`);
  }
  const durable = adapter.promises.includes('durable');
  const { states } = exploreCrashStates(crash.history(), profile, { maxSubsetsPerPoint: MAX_SUBSETS, samplesPerPoint: SAMPLES, random: seededRandom(seed), enumerateMtimes: false });
  for (const state of states) {
    const m = state.point.marksBefore;
    const got = await contentOf(crashVfs({ image: state.image }));
    const violation = judgeContent({ contents, acknowledged: m, inFlight: m < lengths.length }, durable, got);
    if (violation !== undefined) {
      throw crashViolation(`a crash breaks the ${durable ? 'durable ' : ''}atomic replace`, profile, lines, state, [got === undefined ? `${FILE_PATH}: absent` : `${FILE_PATH}: ${quoteContent(got)}`], [violation], states, 'the file after the crash:');
    }
  }
}

function atomicReplace(profile: PersistenceProfile): PropertyDef {
  return {
    suite: 'file',
    name: `atomic-replace-${profile.name}`,
    requires: ['file-writer', 'file-writer-atomic'],
    description: `every crash state (${profile.name}) of one to three replaces of a file's content: the file holds one version in full (and, for a durable writer, none older than the last acknowledged)`,
    defaultRuns: 60,
    testRuns: 8,
    build: (ctx) =>
      fc.asyncProperty(crashLengthArb, fc.array(crashLengthArb, { minLength: 1, maxLength: 3 }), fc.noShrink(fc.integer()), async (initial, lengths, seed) =>
        assertAtomicReplace(adapterOf(ctx, 'fileWriter'), initial, lengths, profile, seed),
      ) as unknown as fc.IAsyncProperty<never>,
  };
}

/** The atomic replace properties, one per persistence profile. */
export const ATOMIC_REPLACE_PROPERTIES: readonly PropertyDef[] = PROFILES.map(atomicReplace);
