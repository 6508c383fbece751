/**
 * Crash states of small pinned histories under each profile: exactly the states the profile's
 * documented rules allow, no more, no fewer.
 */
import { describe, expect, it } from 'vitest';
import { writeWholeFile } from '../../impl/io/files.ts';
import { crashVfs } from '../crash-vfs.ts';
import { renderImage } from './disk-image.ts';
import { exploreCrashStates } from './explore.ts';
import { EXT4_ORDERED, PROCESS_CRASH, STRICT, type PersistenceProfile } from './profiles.ts';

const OPTIONS = { maxSubsetsPerPoint: 10_000, samplesPerPoint: 0, random: () => 0 };

/** Distinct final images (ignoring mtimes and markers) of a history under a profile. */
function images(history: ReturnType<ReturnType<typeof crashVfs>['history']>, profile: PersistenceProfile): string[] {
  const out = new Set(exploreCrashStates(history, profile, OPTIONS).states.map((s) => renderImage(s.image, false).join(' | ')));
  return [...out].sort();
}

async function publishHistory(withFsyncs: boolean) {
  const vfs = crashVfs();
  await vfs.mkdir('/tmp');
  await vfs.mkdir('/q');
  vfs.startRecording();
  await writeWholeFile(vfs, '/tmp/n', new TextEncoder().encode('0123456789'), { fsync: withFsyncs });
  await vfs.rename('/tmp/n', '/q/n');
  if (withFsyncs) {
    await vfs.fsyncDir('/q');
    await vfs.fsyncDir('/tmp');
  }
  return vfs.history();
}

describe('crash states', () => {
  it('process-crash: only prefixes of the calls, a 10-byte write is never cut, nor its size grown without it', async () => {
    expect(images(await publishHistory(false), PROCESS_CRASH)).toEqual([
      '/q/ | /q/n = "0123456789" | /tmp/',
      '/q/ | /tmp/',
      '/q/ | /tmp/ | /tmp/n = ""',
      '/q/ | /tmp/ | /tmp/n = "0123456789"',
      // A kill cannot cut a write of less than a page, and the file grows with its data: never
      // the grown size with zeros in it.
    ]);
  });

  it('ext4-ordered: the rename is atomic and carries the file data before it', async () => {
    const states = images(await publishHistory(false), EXT4_ORDERED);
    expect(states).toContain('/q/ | /q/n = "0123456789" | /tmp/');
    expect(states.filter((s) => s.includes('/q/n ='))).toEqual(['/q/ | /q/n = "0123456789" | /tmp/']);
    expect(states.some((s) => s.includes('/q/n') && s.includes('/tmp/n'))).toBe(false);
    // Before the rename, the data may be torn in 8-byte pieces.
    expect(states).toContain('/q/ | /tmp/ | /tmp/n = 0x00000000000000003839');
  });

  it('strict: without fsyncs the rename may leave both names, and the data may be torn', async () => {
    const states = images(await publishHistory(false), STRICT);
    expect(states).toContain('/q/ | /q/n = "0123456789" | /tmp/ | /tmp/n = "0123456789"');
    expect(states).toContain('/q/ | /q/n = 0x00000000000000003839 | /tmp/');
    // Neither name: impossible, the link of the new name lands before the unlink of the old one.
    expect(states.some((s) => s === '/q/ | /tmp/')).toBe(true); // before the create landed
    const afterAll = exploreCrashStates(await publishHistory(false), STRICT, OPTIONS).states.filter((s) => s.point.position > 0);
    expect(afterAll.length).toBeGreaterThan(10);
  });

  it('strict with fsyncs: once the directory fsyncs returned, only the published state remains', async () => {
    const history = await publishHistory(true);
    const { states } = exploreCrashStates(history, STRICT, { ...OPTIONS, dedupe: false });
    const end = Math.max(...states.map((s) => s.point.position));
    const last = states.filter((s) => s.point.position === end);
    expect(last[0]?.point.description).toBe('after call #6 `fsyncDir /tmp` returned');
    expect(last.map((s) => renderImage(s.image, false).join(' | '))).toEqual(['/q/ | /q/n = "0123456789" | /tmp/']);
  });

  it('describes crash points inside a call', async () => {
    const { states } = exploreCrashStates(await publishHistory(false), STRICT, OPTIONS);
    expect(states.map((s) => s.point.description)).toContain('inside call #3 `rename /tmp/n /q/n`, after 1 of its 2 micro-steps');
  });
});
