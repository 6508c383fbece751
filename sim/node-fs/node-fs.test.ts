/**
 * The node:fs facade against Node's node:fs: the same calls on a real temporary directory and on
 * the simulated disk (at the same absolute paths) give the same results and the same errors
 * (code, errno, syscall, path, dest and message); plus what only the simulation has: short
 * writes on a full disk, ENOSYS for what it does not simulate, and real node:fs outside a
 * simulated process.
 */
import * as realFs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashVfs } from '../crash-vfs.ts';
import { faultVfs } from '../fault-vfs.ts';
import { inSimulatedProcess } from './context.ts';
import { FsOverVfs, runAsync } from './fs-over-vfs.ts';
import { facadeModule } from './node-fs-module.ts';

type FsLike = typeof realFs;
const facade = facadeModule() as unknown as FsLike;

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spoolcheck-nodefs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A simulated disk holding the same directory path as the real one. */
async function simulated(): Promise<FsOverVfs> {
  const fs = new FsOverVfs(crashVfs());
  await runAsync(fs.mkdir(dir, { recursive: true }));
  return fs;
}

/** What a call gave: its value, or the error's node:fs fields. */
async function outcome(f: () => Promise<unknown>): Promise<unknown> {
  try {
    return { value: await f() };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { dest?: string };
    return { code: e.code, errno: e.errno, syscall: e.syscall, path: e.path, dest: e.dest, message: e.message };
  }
}

/** Runs `script` on real node:fs in `sub` and on the facade in the same path of a simulated disk; both results. */
async function both(sub: string, script: (fs: FsLike, base: string) => Promise<unknown[]>): Promise<[unknown[], unknown[]]> {
  const base = join(dir, sub);
  realFs.mkdirSync(base);
  const real = await script(realFs, base);
  const sim = await simulated();
  await runAsync(sim.mkdir(base));
  const got = await inSimulatedProcess(sim, () => script(facade, base));
  return [real, got];
}

describe('the node:fs facade agrees with node:fs', () => {
  it('errors: same code, errno, syscall, path, dest and message', async () => {
    const [real, sim] = await both('errors', async (fs, base) => {
      const p = fs.promises;
      const f = join(base, 'f');
      await p.writeFile(f, 'x');
      await p.mkdir(join(base, 'd'));
      await p.writeFile(join(base, 'd', 'inner'), 'y');
      return [
        await outcome(() => p.open(join(base, 'missing'), 'r')),
        await outcome(() => p.open(f, 'wx')),
        await outcome(() => p.rename(join(base, 'missing'), join(base, 'to'))),
        await outcome(() => p.mkdir(join(base, 'd'))),
        await outcome(() => p.rmdir(join(base, 'd'))),
        await outcome(() => p.stat(join(base, 'nothing'))),
        await outcome(() => p.readdir(f)),
        await outcome(() => p.mkdir(join(base, 'no', 'such'))),
        await outcome(() => promisify(fs.unlink)(join(base, 'missing'))),
      ];
    });
    // Every call failed, on both, with Node's message.
    expect(real.every((o) => typeof (o as { message?: unknown }).message === 'string')).toBe(true);
    expect(sim).toEqual(real);
  });

  it('descriptors: positions, append, positional reads and writes, promisify forms', async () => {
    const [real, sim] = await both('fds', async (fs, base) => {
      const f = join(base, 'f');
      const out: unknown[] = [];
      await fs.promises.writeFile(f, 'hello');
      const fd = await promisify(fs.open)(f, 'a');
      out.push(await promisify(fs.write)(fd, 'X'));
      await promisify(fs.close)(fd);
      out.push(await fs.promises.readFile(f, 'utf8'));
      const rw = await promisify(fs.open)(f, 'r+');
      out.push((await promisify(fs.write)(rw, Buffer.from('EE'), 0, 2, 1)).bytesWritten);
      const buf = Buffer.alloc(3);
      out.push((await promisify(fs.read)(rw, buf, 0, 3, 2)).bytesRead, buf.toString());
      out.push((await promisify(fs.read)(rw, Buffer.alloc(4), 0, 4, null)).bytesRead);
      await promisify(fs.fsync)(rw);
      await promisify(fs.close)(rw);
      out.push(await fs.promises.readFile(f, 'utf8'));
      await fs.promises.appendFile(f, '!');
      out.push((await fs.promises.stat(f)).size, (await fs.promises.stat(f)).isFile(), (await fs.promises.stat(base)).isDirectory());
      const h = await fs.promises.open(join(base, 'g'), 'w');
      out.push((await h.write('abc')).bytesWritten);
      await h.sync();
      await h.close();
      out.push(await fs.promises.readFile(join(base, 'g'), 'utf8'));
      out.push(await promisify(fs.exists)(join(base, 'g')), await promisify(fs.exists)(join(base, 'none')));
      return out;
    });
    expect(sim).toEqual(real);
  });

  it('directories: recursive mkdir, readdir with types, rm, and fsync of an opened directory', async () => {
    const [real, sim] = await both('dirs', async (fs, base) => {
      const p = fs.promises;
      const out: unknown[] = [];
      out.push((await p.mkdir(join(base, 'a', 'b', 'c'), { recursive: true })) === join(base, 'a'));
      out.push(await p.mkdir(join(base, 'a', 'b'), { recursive: true }));
      await p.writeFile(join(base, 'a', 'file'), '1');
      out.push((await p.readdir(join(base, 'a'), { withFileTypes: true })).map((d) => [d.name, d.isDirectory(), d.isFile()]));
      const dfd = await promisify(fs.open)(join(base, 'a'), 'r');
      await promisify(fs.fsync)(dfd);
      await promisify(fs.close)(dfd);
      await p.rm(join(base, 'a'), { recursive: true });
      out.push(await p.readdir(base));
      await p.rm(join(base, 'gone'), { force: true });
      out.push(await p.realpath(base));
      return out;
    });
    expect(sim).toEqual(real);
  });

  it('synchronous calls: the same results and errors, mixed with asynchronous ones on one descriptor', async () => {
    const [real, sim] = await both('sync', async (fs, base) => {
      const out: unknown[] = [];
      const f = join(base, 'f');
      fs.writeFileSync(f, 'hello');
      fs.appendFileSync(f, ' world');
      out.push(fs.readFileSync(f, 'utf8'), fs.existsSync(f), fs.existsSync(join(base, 'none')));
      const fd = fs.openSync(f, 'r+');
      out.push(fs.writeSync(fd, 'J', 0), fs.writeSync(fd, Buffer.from('!!'), 0, 2, 11));
      const buf = Buffer.alloc(5);
      out.push(fs.readSync(fd, buf, 0, 5, 0), buf.toString());
      fs.fsyncSync(fd);
      out.push((await promisify(fs.read)(fd, Buffer.alloc(3), 0, 3, 6)).buffer.toString());
      fs.closeSync(fd);
      out.push(fs.statSync(f).size, fs.fstatSync(fs.openSync(f, 'r')).isFile());
      out.push(fs.mkdirSync(join(base, 'a', 'b'), { recursive: true }) === join(base, 'a'));
      fs.renameSync(f, join(base, 'a', 'g'));
      out.push(fs.readdirSync(join(base, 'a')), fs.readdirSync(join(base, 'a'), { withFileTypes: true }).map((d) => [d.name, d.isFile()]));
      for (const bad of [() => fs.readFileSync(join(base, 'missing')), () => fs.mkdirSync(join(base, 'a')), () => fs.rmdirSync(join(base, 'a'))]) {
        try {
          bad();
          out.push('no error');
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          out.push([e.code, e.errno, e.syscall, e.path, e.message]);
        }
      }
      fs.rmSync(join(base, 'a'), { recursive: true });
      out.push(fs.readdirSync(base), fs.realpathSync(base) === base, fs.realpathSync.native(base) === base);
      return out;
    });
    expect(sim).toEqual(real);
  });

  it('streams: a write stream in chunks then closed, a read stream in small pieces, a missing file', async () => {
    const [real, sim] = await both('streams', async (fs, base) => {
      const out: unknown[] = [];
      const f = join(base, 'lines');
      await new Promise<void>((resolve, reject) => {
        const w = fs.createWriteStream(f, { mode: 0o644 });
        w.on('error', reject);
        for (let i = 0; i < 50; i++) w.write(`line ${i}\n`);
        w.close((err) => (err ? reject(err) : resolve()));
      });
      out.push(await fs.promises.readFile(f, 'utf8'));
      const pieces: string[] = [];
      for await (const chunk of fs.createReadStream(f, { encoding: 'utf8', highWaterMark: 16, start: 3 })) pieces.push(chunk as string);
      out.push(pieces.length, pieces.join(''));
      out.push(
        await new Promise((resolve) => {
          fs.createReadStream(join(base, 'missing')).on('error', (e: NodeJS.ErrnoException) => resolve([e.code, e.syscall, e.path]));
        }),
      );
      return out;
    });
    expect((real[0] as string).split('\n')).toHaveLength(51);
    expect(sim).toEqual(real);
  });
});

describe('the node:fs facade: what only the simulation has', () => {
  it('a full disk is a short write, then ENOSPC; writeFile loops and fails', async () => {
    const fs = new FsOverVfs(faultVfs(crashVfs(), { diskFullAfterBytes: 4 }));
    const out = await inSimulatedProcess(fs, async () => {
      const fd = await promisify(facade.open)('/f', 'w');
      const first = await promisify(facade.write)(fd, Buffer.from('abcdef'), 0, 6, 0);
      const second = await outcome(() => promisify(facade.write)(fd, Buffer.from('ef'), 0, 2, 4));
      await promisify(facade.close)(fd);
      const whole = await outcome(() => facade.promises.writeFile('/g', 'xyz'));
      return { first: first.bytesWritten, second, whole, f: await facade.promises.readFile('/f', 'utf8') };
    });
    expect(out.first).toBe(4);
    expect(out.second).toMatchObject({ code: 'ENOSPC', syscall: 'write', path: '/f' });
    expect(out.whole).toMatchObject({ code: 'ENOSPC' });
    expect(out.f).toBe('abcd');
  });

  it('a synchronous call on a disk without a synchronous face (a racing process) fails with ENOSYS saying so', async () => {
    const { memfsVfs } = await import('../../impl/io/memfs-vfs.ts');
    const fs = new FsOverVfs(memfsVfs());
    const got = await inSimulatedProcess(fs, async () => outcome(async () => facade.writeFileSync('/x', 'y')));
    expect(got).toMatchObject({ code: 'ENOSYS', message: expect.stringMatching(/has no synchronous face/) });
  });

  it('a full disk is a short write for writeSync too, and ENOSPC for writeFileSync', async () => {
    const fs = new FsOverVfs(faultVfs(crashVfs(), { diskFullAfterBytes: 4 }));
    const out = await inSimulatedProcess(fs, async () => {
      const fd = facade.openSync('/f', 'w');
      const first = facade.writeSync(fd, Buffer.from('abcdef'));
      facade.closeSync(fd);
      return { first, whole: await outcome(async () => facade.writeFileSync('/g', 'xyz')), f: facade.readFileSync('/f', 'utf8') };
    });
    expect(out).toMatchObject({ first: 4, whole: { code: 'ENOSPC', syscall: 'write' }, f: 'abcd' });
  });

  it('what it does not simulate fails with ENOSYS inside a simulated process, and runs for real outside one', async () => {
    const fs = new FsOverVfs(crashVfs());
    const inside = await inSimulatedProcess(fs, async () => [
      await outcome(async () => facade.linkSync('/x', '/y')),
      await outcome(() => facade.promises.link('/a', '/b')),
      await outcome(async () => {
        await facade.promises.writeFile('/t', 'abc');
        const h = await facade.promises.open('/t', 'r+');
        await h.truncate(1);
      }),
    ]);
    for (const o of inside) expect(o).toMatchObject({ code: 'ENOSYS', message: expect.stringMatching(/does not simulate/) });
    const outsidePath = join(dir, 'outside');
    facade.writeFileSync(outsidePath, 'real');
    expect(realFs.readFileSync(outsidePath, 'utf8')).toBe('real');
  });
});

describe('the node:fs facade under racing processes', () => {
  it('two simulated processes run an unmodified package at once, each on its own scheduled view', async () => {
    const { racingVolume, seededScheduler } = await import('../racing-processes.ts');
    const { routePackage } = await import('./route.ts');
    routePackage('write-file-atomic', new URL('../..', import.meta.url).pathname);
    const writeFileAtomic = ((await import('write-file-atomic' as string)) as { default: (p: string, d: string) => Promise<void> }).default;
    for (let seed = 1; seed <= 10; seed++) {
      const world = racingVolume(seededScheduler(seed));
      await world.inspect.mkdir('/d');
      const a = new FsOverVfs(world.spawn('a').vfs);
      const b = new FsOverVfs(world.spawn('b').vfs);
      world.racing = true;
      const runs = [inSimulatedProcess(a, () => writeFileAtomic('/d/f', 'from a')), inSimulatedProcess(b, () => writeFileAtomic('/d/f', 'from b'))];
      await world.settle();
      await Promise.all(runs);
      world.racing = false;
      const f = await world.inspect.open('/d/f', {});
      const content = new TextDecoder().decode(await f.read(0, await f.size()));
      expect(['from a', 'from b']).toContain(content);
      expect((await world.inspect.readdir('/d')).sort()).toEqual(['f']);
      // Both processes' calls went through their own scheduled views (write-file-atomic queues
      // writes of one file inside its module, which both share: one process's writes follow the other's).
      const report = world.report();
      expect(report).toMatch(/ a call rename \/d\/f\.\d+ \/d\/f/);
      expect(report).toMatch(/ b call rename \/d\/f\.\d+ \/d\/f/);
    }
  });
});
