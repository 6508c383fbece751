/** The journal on an in-memory device, driven by a manual clock. */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../io/clock.ts';
import { memoryBlockDevice } from '../io/memory-block-device.ts';
import type { RingResult } from '../ring/index.ts';
import { Journal, type JournalOptions, type PerformResult } from './index.ts';
import type { JournalQuirks } from './quirks.ts';

const codec = { encode: (s: string) => new TextEncoder().encode(s), decode: (b: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(b) };

/** Lets every pending promise chain run (the journal loop, perform, the ring's device calls). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}

function ok<T>(r: RingResult<T>): T {
  if (r.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.value;
}

function setup(options: Partial<JournalOptions<string>> & { outcomes?: Array<PerformResult | 'throw'>; quirks?: JournalQuirks } = {}) {
  const clock = manualClock(0);
  const device = memoryBlockDevice({ sectorSize: 512, sectorCount: 6 });
  const batches: string[][] = [];
  const outcomes = options.outcomes ?? [];
  const start = (): Promise<RingResult<Journal<string>>> =>
    Journal.start(device, {
      codec,
      clock,
      flushIntervalMs: options.flushIntervalMs ?? 1_000,
      retryIntervalMs: 5_000,
      ...(options.quirks === undefined ? {} : { quirks: options.quirks }),
      perform: async (batch) => {
        batches.push([...batch]);
        const next = outcomes.shift() ?? { kind: 'ok' };
        if (next === 'throw') throw new Error('perform exploded');
        return next;
      },
    });
  return { clock, device, batches, start };
}

describe('journal', () => {
  it('performs pushed ops in order, in one batch, once the flush interval has passed', async () => {
    const { clock, batches, start } = setup();
    const journal = ok(await start());
    const waiters = [ok(await journal.push('a')), ok(await journal.push('b'))];
    clock.advance(500);
    ok(await journal.push('c'));
    await settle();
    expect(batches).toEqual([]);
    clock.advance(500);
    await settle();
    expect(batches).toEqual([['a', 'b', 'c']]);
    await Promise.all(waiters.map((w) => w.sync()));
    await journal.shutdown();
  });

  it('a steady stream of pushes does not postpone the flush (JB-3)', async () => {
    const { clock, batches, start } = setup();
    const journal = ok(await start());
    for (let i = 0; i < 5; i++) {
      ok(await journal.push(`op${i}`));
      clock.advance(300);
      await settle();
    }
    expect(batches.length).toBeGreaterThanOrEqual(1);
    expect(batches.flat().slice(0, 4)).toEqual(['op0', 'op1', 'op2', 'op3']);
    await journal.shutdown();
  });

  it('flush() performs at once', async () => {
    const { batches, start } = setup();
    const journal = ok(await start());
    ok(await journal.push('x')).flush();
    await settle();
    expect(batches).toEqual([['x']]);
    await journal.shutdown();
  });

  it('a batch whose perform returns an error is retried after the retry interval, and blocks later ops', async () => {
    const { clock, batches, start } = setup({ flushIntervalMs: 0, outcomes: [{ kind: 'error', message: 'database down' }] });
    const journal = ok(await start());
    ok(await journal.push('a'));
    await settle();
    expect(batches).toEqual([['a']]);
    ok(await journal.push('b'));
    clock.advance(4_999);
    await settle();
    expect(batches).toEqual([['a']]);
    clock.advance(1);
    await settle();
    expect(batches).toEqual([['a'], ['a', 'b']]);
    await journal.shutdown();
  });

  it('a perform that throws is retried too, and the loop survives (JB-1)', async () => {
    const { clock, batches, start } = setup({ flushIntervalMs: 0, outcomes: ['throw'] });
    const journal = ok(await start());
    const w = ok(await journal.push('a'));
    await settle();
    clock.advance(5_000);
    await settle();
    expect(batches).toEqual([['a'], ['a']]);
    await w.sync();
    await journal.shutdown();
  });

  it('with quirk JB-1 an exception kills the loop: later ops are never performed', async () => {
    const { clock, batches, start } = setup({ flushIntervalMs: 0, outcomes: ['throw'], quirks: { loopDiesOnException: true } });
    const journal = ok(await start());
    ok(await journal.push('a'));
    await settle();
    clock.advance(60_000);
    await settle();
    expect(batches).toEqual([['a']]);
    expect((await journal.push('b')).kind).toBe('error');
    await journal.shutdown();
  });

  it('with quirk JB-2 an error result is not retried until another push comes', async () => {
    const { clock, batches, start } = setup({ flushIntervalMs: 0, outcomes: [{ kind: 'error', message: 'no' }], quirks: { errorResultNotRetried: true } });
    const journal = ok(await start());
    ok(await journal.push('a'));
    await settle();
    clock.advance(60_000);
    await settle();
    expect(batches).toEqual([['a']]);
    await journal.shutdown();
  });

  it('ops pushed before a shutdown (or a crash) are performed by the next start', async () => {
    const { batches, start } = setup({ flushIntervalMs: 10_000 });
    const first = ok(await start());
    ok(await first.push('a'));
    ok(await first.push('b'));
    await first.shutdown();
    expect(batches).toEqual([]);
    const second = ok(await start());
    await settle();
    expect(batches).toEqual([['a', 'b']]);
    await second.shutdown();
  });

  it('a full ring makes push wait for the batch to be performed, then succeed', async () => {
    const { batches, start } = setup({ flushIntervalMs: 60_000 });
    const journal = ok(await start());
    const big = 'x'.repeat(700);
    ok(await journal.push(big));
    ok(await journal.push(big));
    const third = journal.push(big);
    await settle();
    expect(ok(await third)).toBeDefined();
    expect(batches[0]).toEqual([big, big]);
    await journal.shutdown();
  });

  it('shutdown releases a push waiting for room (JB-4)', async () => {
    const clock = manualClock(0);
    const device = memoryBlockDevice({ sectorSize: 512, sectorCount: 5 });
    let release: () => void = () => {};
    const journal = ok(
      await Journal.start(device, {
        codec,
        clock,
        perform: () => new Promise<PerformResult>((r) => (release = () => r({ kind: 'ok' }))),
      }),
    );
    ok(await journal.push('y'.repeat(700)));
    const blocked = journal.push('z'.repeat(700));
    await settle();
    const stopping = journal.shutdown();
    release();
    expect((await blocked).kind).toBe('error');
    await stopping;
  });
});
