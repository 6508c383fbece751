import { describe, expect, it } from 'vitest';
import { manualClock } from '../io/clock.ts';
import { memfsVfs } from '../io/memfs-vfs.ts';
import { isSpoolError } from './errors.ts';
import { Multispool } from './multispool.ts';
import { lexicographicTimeOrder } from './names.ts';
import type { MultispoolQuirks } from './quirks.ts';
import { flush, namesFrom, recordingVfs, T_SPOOLABLE, type TMeta } from './test-support.ts';

const T0 = 1_700_000_000_000;
const M0: TMeta = { label: 'new', rev: 0 };

async function setup(quirks: MultispoolQuirks = {}) {
  const clock = manualClock(T0);
  const inner = memfsVfs({ clock });
  const vfs = recordingVfs(inner);
  const spool = await Multispool.create(vfs, '/s', T_SPOOLABLE, { clock, quirks });
  // A second process on the same file system, unrecorded.
  const other = await Multispool.load(inner, '/s', T_SPOOLABLE, { clock });
  vfs.reset();
  return { clock, vfs, spool, other };
}

/** Settles `p` within `ms` of real time, or reports `pending`. */
async function within<T>(p: Promise<T>, ms = 200): Promise<T | 'pending'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('queue reader', () => {
  it('dequeue waits while the queue is empty and wakes up on an enqueue', async () => {
    const { spool, other } = await setup();
    const reader = spool.queueReader('alpha');
    try {
      let settled = false;
      const pending = reader.dequeue().then((r) => ((settled = true), r));
      await flush(10);
      expect(settled).toBe(false);
      await other.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') });
      const r = await within(pending, 5000);
      if (r === 'pending' || r.kind !== 'checkedOut') throw new Error(`expected a checkout, got ${JSON.stringify(r)}`);
      expect(r.entry.name).toBe('n0');
      expect(r.entry.contents).toEqual(M0);
      expect(await spool.listCheckoutsUnsafe('alpha')).toHaveLength(1);
    } finally {
      reader.close();
    }
  });

  it('drains notifications before listing (and lists before draining with listBeforeDrain)', async () => {
    for (const [quirks, order] of [
      [{}, ['drain', 'readdir']],
      [{ listBeforeDrain: true }, ['readdir', 'drain']],
    ] as const) {
      const { spool, vfs } = await setup(quirks);
      await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') });
      vfs.reset();
      const reader = spool.queueReader('alpha');
      const r = await reader.dequeue();
      expect(r.kind).toBe('checkedOut');
      expect(vfs.calls.filter((c) => c.op === 'drain' || (c.op === 'readdir' && c.path === '/s/alpha')).map((c) => c.op)).toEqual(order);
      reader.close();
    }
  });

  it('listBeforeDrain loses an entry enqueued between the listing and the drain (MS-3)', async () => {
    const outcome = async (quirks: MultispoolQuirks): Promise<string> => {
      const { spool, vfs, other } = await setup(quirks);
      let raced = false;
      vfs.after = async (c) => {
        if (!raced && c.op === 'readdir' && c.path === '/s/alpha') {
          raced = true;
          await other.enqueue('alpha', M0, 'd', { reserve: namesFrom('late') });
        }
      };
      const reader = spool.queueReader('alpha');
      const stop = new AbortController();
      // Settling is waited for generously (a loaded CI machine is slow); staying asleep costs the short wait.
      const r = await within(reader.dequeue({ signal: stop.signal }), quirks.listBeforeDrain === true ? 300 : 5000);
      stop.abort();
      reader.close();
      return r === 'pending' ? 'asleep' : r.kind === 'checkedOut' ? r.entry.name : r.kind;
    };
    expect(await outcome({})).toBe('late');
    expect(await outcome({ listBeforeDrain: true })).toBe('asleep');
  });

  it('dequeue returns stopped when the signal aborts, or the reader is closed, while waiting', async () => {
    const { spool } = await setup();
    const reader = spool.queueReader('alpha');
    const already = new AbortController();
    already.abort();
    expect(await reader.dequeue({ signal: already.signal })).toEqual({ kind: 'stopped' });
    const stop = new AbortController();
    const waiting = reader.dequeue({ signal: stop.signal });
    await flush(5);
    stop.abort();
    expect(await within(waiting, 5000)).toEqual({ kind: 'stopped' });
    const waiting2 = reader.dequeue();
    await flush(5);
    reader.close();
    expect(await within(waiting2, 5000)).toEqual({ kind: 'stopped' });
  });

  it('dequeueAvailable takes the first entry it can check out, skipping lost races; undefined when empty', async () => {
    const { spool, vfs, other } = await setup();
    const reader = spool.queueReader('alpha');
    expect(await reader.dequeueAvailable()).toBeUndefined();
    for (const n of ['a', 'b']) await spool.enqueue('alpha', M0, n, { reserve: namesFrom(n) });
    vfs.after = async (c) => {
      if (c.op === 'readdir' && c.path === '/s/alpha') {
        vfs.after = undefined;
        await other.checkout(other.entry('alpha', 'a'));
      }
    };
    const got = await reader.dequeueAvailable();
    expect(got?.name).toBe('b');
    expect(await reader.dequeueAvailable()).toBeUndefined();
    expect(vfs.pathsOf('watch')).toEqual([]);
    reader.close();
  });

  it('iterAvailable handles every queued entry once, in name order, without waiting', async () => {
    const { spool } = await setup();
    for (const n of ['c', 'a', 'b']) await spool.enqueue('alpha', { label: n, rev: 0 }, n, { reserve: namesFrom(n) });
    const reader = spool.queueReader('alpha');
    const seen = await reader.iterAvailable(async (m, data) => ({
      action: m.label === 'b' ? { kind: 'remove' } : { kind: 'save', metadata: { ...m, rev: 1 }, queue: 'beta' },
      result: `${m.label}:${await data.load()}`,
    }));
    expect(seen).toEqual(['a:a', 'b:b', 'c:c']);
    expect(await spool.list('alpha')).toEqual([]);
    expect(await spool.list('beta')).toEqual(['a', 'c']);
    expect(await reader.iterAvailable(() => ({ action: { kind: 'remove' }, result: 0 }))).toEqual([]);
    reader.close();
  });

  it('iter handles entries as they come until stopped', async () => {
    const { spool, other } = await setup();
    const reader = spool.queueReader('alpha');
    const stop = new AbortController();
    const seen: string[] = [];
    const running = reader.iter(
      (m) => {
        seen.push(m.label);
        if (seen.length === 3) stop.abort();
        return { action: { kind: 'remove' }, result: undefined };
      },
      { signal: stop.signal },
    );
    for (const n of ['x', 'y', 'z']) {
      await other.enqueue('alpha', { label: n, rev: 0 }, n, { reserve: namesFrom(n) });
      await flush(3);
    }
    expect(await within(running, 5000)).toBeUndefined();
    expect(seen).toEqual(['x', 'y', 'z']);
    expect(await spool.list('alpha')).toEqual([]);
    reader.close();
  });

  it('strictFifo with lexicographic-time-order names: a racing enqueuer and reader see FIFO order', async () => {
    const { spool, other, clock } = await setup();
    const names = lexicographicTimeOrder(clock);
    const reader = spool.queueReader('alpha', { strictFifo: true });
    const enqueued: string[] = [];
    const dequeued: string[] = [];
    const consumer = (async () => {
      while (dequeued.length < 15) {
        const r = await reader.dequeue();
        if (r.kind !== 'checkedOut') return;
        dequeued.push(r.entry.name);
        await r.entry.remove();
      }
    })();
    for (let i = 0; i < 15; i++) {
      enqueued.push((await other.enqueue('alpha', M0, `${i}`, { reserve: names })).name);
      if (i % 4 === 0) clock.advance(1);
      if (i % 3 === 0) await flush(1);
    }
    expect(await within(consumer, 5000)).toBeUndefined();
    expect(dequeued).toEqual(enqueued);
    expect([...enqueued].sort()).toEqual(enqueued);
    reader.close();
  });

  it('strictFifo ends a pass at the newest name the drain reported', async () => {
    const { spool, vfs, other } = await setup();
    const run = async (strictFifo: boolean): Promise<{ got: string[]; listings: number }> => {
      const tag = strictFifo ? 's' : 'l';
      const reader = spool.queueReader('alpha', { strictFifo });
      // Hold the reader's first wait until a and b are queued, so that one drain reports both.
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let waited = false;
      let raced = false;
      vfs.before = async (c) => {
        if (c.op === 'wait' && !waited) {
          waited = true;
          await gate;
        }
        // On the listing right after that drain, a third entry arrives.
        if (waited && !raced && c.op === 'readdir' && c.path === '/s/alpha') {
          raced = true;
          await other.enqueue('alpha', M0, 'c', { reserve: namesFrom(`${tag}c`) });
        }
      };
      const first = reader.dequeue();
      await flush(5);
      expect(waited).toBe(true);
      for (const n of ['a', 'b']) await other.enqueue('alpha', M0, n, { reserve: namesFrom(`${tag}${n}`) });
      vfs.reset();
      release();
      const got: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = i === 0 ? await first : await reader.dequeue();
        if (r.kind === 'checkedOut') got.push(r.entry.name);
      }
      vfs.before = undefined;
      reader.close();
      return { got, listings: vfs.pathsOf('readdir').filter((p) => p === '/s/alpha').length };
    };
    expect(await run(false)).toEqual({ got: ['la', 'lb', 'lc'], listings: 1 });
    expect(await run(true)).toEqual({ got: ['sa', 'sb', 'sc'], listings: 2 });
  });

  it('a corrupt entry makes dequeue fail with corrupt (the entry stays checked out)', async () => {
    const { spool, vfs } = await setup();
    await spool.enqueue('alpha', M0, 'd', { reserve: namesFrom('n0') });
    const f = await vfs.open('/s/alpha/n0', { write: true, truncate: true });
    await f.write(0, new Uint8Array([1, 2, 3]));
    await f.close();
    const reader = spool.queueReader('alpha');
    await expect(reader.dequeue()).rejects.toSatisfy((e: unknown) => isSpoolError(e, 'corrupt'));
    expect(await vfs.readdir('/s/alpha/.checkout')).toEqual(['n0']);
    reader.close();
  });
});
