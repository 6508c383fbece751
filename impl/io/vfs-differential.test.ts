/**
 * The memfs adapter behaves like the real disk: random sequences of Vfs calls over a small tree
 * give the same results (values or POSIX error codes) on memfs and on a real temporary directory.
 * The properties run on memfs because it is fast; this is what entitles them to.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { memfsVfs } from './memfs-vfs.ts';
import { makeTempDir, nodeVfs } from './node-vfs.ts';
import { VfsError, type OpenFlags, type Vfs } from './vfs.ts';

const PATHS = ['/a', '/b', '/a/x', '/a/y', '/b/x', '/a/x/z', '/f'] as const;
const pathArb = fc.constantFrom(...PATHS);
const flagsArb: fc.Arbitrary<OpenFlags> = fc.record({
  write: fc.boolean(),
  create: fc.boolean(),
  exclusive: fc.boolean(),
  truncate: fc.boolean(),
});

type Call =
  | { readonly op: 'mkdir' | 'rmdir' | 'unlink' | 'readdir' | 'stat' | 'fsyncDir'; readonly path: string }
  | { readonly op: 'rename'; readonly path: string; readonly to: string }
  | { readonly op: 'openWrite'; readonly path: string; readonly flags: OpenFlags; readonly at: number; readonly data: string }
  | { readonly op: 'read'; readonly path: string };

const callArb: fc.Arbitrary<Call> = fc.oneof(
  fc.record({ op: fc.constantFrom('mkdir', 'rmdir', 'unlink', 'readdir', 'stat', 'fsyncDir'), path: pathArb }),
  fc.record({ op: fc.constant('rename'), path: pathArb, to: pathArb }),
  fc.record({ op: fc.constant('openWrite'), path: pathArb, flags: flagsArb, at: fc.nat({ max: 4 }), data: fc.string({ maxLength: 4 }) }),
  fc.record({ op: fc.constant('read'), path: pathArb }),
) as fc.Arbitrary<Call>;

/** Runs one call and describes its outcome without adapter-specific details. */
async function apply(vfs: Vfs, call: Call): Promise<string> {
  try {
    switch (call.op) {
      case 'mkdir':
      case 'rmdir':
      case 'unlink':
      case 'fsyncDir':
        await vfs[call.op](call.path);
        return 'ok';
      case 'readdir':
        return `ok ${(await vfs.readdir(call.path)).sort().join(',')}`;
      case 'stat': {
        const st = await vfs.stat(call.path);
        return `ok ${st.kind} ${st.kind === 'file' ? st.size : ''}`;
      }
      case 'rename':
        await vfs.rename(call.path, call.to);
        return 'ok';
      case 'openWrite': {
        const file = await vfs.open(call.path, call.flags);
        try {
          await file.write(call.at, new TextEncoder().encode(call.data));
          return `ok size ${await file.size()}`;
        } finally {
          await file.close();
        }
      }
      case 'read': {
        const file = await vfs.open(call.path, {});
        try {
          return `ok ${JSON.stringify(new TextDecoder().decode(await file.read(0, 64)))}`;
        } finally {
          await file.close();
        }
      }
    }
  } catch (err) {
    if (!(err instanceof VfsError)) throw err;
    // Linux answers unlink(directory) with EISDIR; POSIX allows EPERM. Both mean the same here.
    return `error ${err.code === 'EPERM' ? 'EISDIR' : err.code}`;
  }
}

describe('memfs adapter against the real disk', () => {
  it('gives the same result for every call of random call sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(callArb, { maxLength: 25 }), async (calls) => {
        const tmp = await makeTempDir('spoolcheck-diff-');
        try {
          const disk = nodeVfs(tmp.path);
          const mem = memfsVfs();
          for (const [i, call] of calls.entries()) {
            const expected = await apply(disk, call);
            const actual = await apply(mem, call);
            if (actual !== expected) {
              throw new Error(`call ${i + 1} ${JSON.stringify(call)}: real disk gave '${expected}', memfs gave '${actual}'`);
            }
          }
        } finally {
          await tmp.cleanup();
        }
      }),
      { seed: 7, numRuns: 150 },
    );
  });
});
