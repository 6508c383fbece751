/**
 * Examples of the message spool on memfs under a manual clock: delivery and retries, the
 * operations and their errors, killAndFlush, the concurrency limit, startup recovery and the lock.
 */
import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { manualClock, type ManualClock } from '../io/clock.ts';
import { memfsVfs } from '../io/memfs-vfs.ts';
import type { ProcessProbe } from '../io/processes.ts';
import type { Vfs } from '../io/vfs.ts';
import type { MessageEvent } from './events.ts';
import type { Delivery, PresendDecision, SendOutcome } from './hooks.ts';
import { MessageSpool, type MessageSpoolOptions } from './message-spool.ts';
import { isMessageSpoolError } from './errors.ts';

const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
};

/** A sender whose every call waits until the test answers it. */
function heldSender(): { sender: MessageSpoolOptions['sender']; calls: { delivery: Delivery; answer(o: SendOutcome | Error): void }[] } {
  const calls: { delivery: Delivery; answer(o: SendOutcome | Error): void }[] = [];
  return {
    calls,
    sender: {
      send: (delivery) =>
        new Promise<SendOutcome>((resolve, reject) => {
          calls.push({ delivery, answer: (o) => (o instanceof Error ? reject(o) : resolve(o)) });
        }),
    },
  };
}

let counter = 0;
const names = { next: (attempt: number) => `m${String(++counter).padStart(4, '0')}${attempt === 0 ? '' : `-${attempt}`}` };

interface World {
  vfs: Vfs;
  clock: ManualClock;
  events: MessageEvent[];
  probe: ProcessProbe & { alive: Set<string> };
}

function world(): World {
  const alive = new Set<string>(['p1']);
  const clock = manualClock(1_000_000);
  return {
    vfs: memfsVfs({ volume: new Volume(), clock }),
    clock,
    events: [],
    probe: { self: 'p1', isAlive: (o) => alive.has(o), alive },
  };
}

async function open(w: World, options: Partial<MessageSpoolOptions> & Pick<MessageSpoolOptions, 'sender'>, self = 'p1'): Promise<MessageSpool> {
  w.probe.alive.add(self);
  const spool = await MessageSpool.open(w.vfs, '/spool', {
    clock: w.clock,
    names,
    processes: { self, isAlive: (o) => w.probe.alive.has(o) },
    retryIntervals: [1_000, 5_000],
    ...options,
  });
  spool.subscribe((e) => w.events.push(e));
  return spool;
}

const envelope = (body: string) => ({ sender: 'a@x', recipients: ['b@y', 'c@z'], body });

describe('message spool', () => {
  it('delivers an added message and deletes it', async () => {
    const w = world();
    const s = heldSender();
    const spool = await open(w, { sender: s.sender });
    const [id] = await spool.add([envelope('hello')], { parentId: 'orig' });
    await settle();
    expect(spool.running()).toEqual([id]);
    expect(spool.status()[0]?.status).toEqual({ kind: 'sending' });
    expect(await spool.countFromDisk()).toBe(1); // checked out, still counted
    expect(s.calls[0]?.delivery.body).toBe('hello');
    s.calls[0]?.answer('done');
    await settle();
    expect(spool.status()).toEqual([]);
    expect(await spool.countFromDisk()).toBe(0);
    expect(w.events.map((e) => e.kind)).toEqual(['spooled', 'delivered']);
    await spool.close();
  });

  it('retries at the intended times, then freezes when the intervals are used up', async () => {
    const w = world();
    const s = heldSender();
    const spool = await open(w, { sender: s.sender });
    const [id] = await spool.add([envelope('x')], { parentId: 'orig' });
    await settle();
    s.calls[0]?.answer('tryLater');
    await settle();
    expect(spool.status()[0]?.status).toEqual({ kind: 'sendAt', at: 1_001_000 });
    w.clock.advance(999);
    await settle();
    expect(s.calls).toHaveLength(1);
    w.clock.advance(1);
    await settle();
    expect(s.calls).toHaveLength(2);
    s.calls[1]?.answer(new Error('connection refused'));
    await settle();
    w.clock.advance(5_000);
    await settle();
    s.calls[2]?.answer('tryLater');
    await settle();
    expect(spool.status()[0]).toMatchObject({ id, status: { kind: 'frozen' }, attempts: 3, retryIntervals: [] });
    expect(w.events.map((e) => (e.kind === 'delayed' ? `delayed ${e.until}` : e.kind))).toEqual(['spooled', 'delayed 1001000', 'delayed 1006000', 'frozen']);
    await spool.close();
  });

  it('freeze, send with prepended intervals, remove and recover', async () => {
    const w = world();
    const s = heldSender();
    const spool = await open(w, { sender: s.sender });
    const [a, b] = await spool.add([envelope('a'), envelope('b')], { parentId: 'p', initialStatus: 'frozen' });
    expect(await spool.freeze([a as string, 'nope'])).toEqual([
      { id: a, result: 'ok' },
      { id: 'nope', result: 'notFound' },
    ]);
    expect(await spool.remove([b as string])).toEqual([{ id: b, result: 'ok' }]);
    expect(spool.status().map((r) => r.id)).toEqual([a]);
    expect(await spool.recover({ ids: [b as string], from: 'removed' })).toEqual([{ id: b, result: 'ok' }]);
    expect(await spool.send({ ids: [a as string] }, { retryIntervals: [7] })).toEqual([{ id: a, result: 'ok' }]);
    expect(spool.status().find((r) => r.id === a)).toMatchObject({ status: { kind: 'sending' }, retryIntervals: [7, 1_000, 5_000] });
    expect(await spool.remove([a as string])).toEqual([{ id: a, result: 'notFrozen' }]);
    expect(await spool.freeze([a as string])).toEqual([{ id: a, result: 'busy' }]);
    await settle();
    s.calls[0]?.answer('failPermanently');
    await settle();
    expect(spool.status().find((r) => r.id === a)).toMatchObject({ status: { kind: 'frozen' }, remainingRecipients: [], failedRecipients: ['b@y', 'c@z'] });
    await spool.send({ frozenOnly: true });
    expect(spool.status().find((r) => r.id === a)).toMatchObject({ remainingRecipients: ['b@y', 'c@z'], failedRecipients: [] });
    expect(w.events.map((e) => `${e.kind} ${e.id}`)).toEqual([
      `spooled ${a}`,
      `spooled ${b}`,
      `removed ${b}`,
      `recovered ${b}`,
      `unfrozen ${a}`,
      `frozen ${a}`,
      `unfrozen ${a}`,
      `unfrozen ${b}`,
    ]);
    await spool.killAndFlush({ timeoutMs: 0 });
  });

  it('presend decides: freeze, remove, later', async () => {
    const w = world();
    const s = heldSender();
    const decisions: PresendDecision[] = [{ kind: 'freeze' }, { kind: 'remove' }, { kind: 'sendAt', at: 1_000_500 }];
    const spool = await open(w, { sender: s.sender, presend: () => decisions.shift() ?? { kind: 'sendNow' } });
    const [a, b, c] = await spool.add([envelope('a'), envelope('b'), envelope('c')], { parentId: 'p' });
    await settle();
    expect(s.calls).toHaveLength(0);
    expect(spool.status().map((r) => `${r.id} ${r.status.kind}`)).toEqual([`${a} frozen`, `${c} sendAt`]);
    expect(w.events.filter((e) => e.id === b).map((e) => e.kind)).toEqual(['spooled', 'removed']);
    w.clock.advance(500);
    await settle();
    expect(s.calls.map((x) => x.delivery.record.id)).toEqual([c]);
    await spool.killAndFlush({ timeoutMs: 0 });
  });

  it('quarantine keeps messages out of memory until recovered', async () => {
    const w = world();
    const spool = await open(w, { sender: heldSender().sender });
    const [q] = await spool.quarantine('virus', [envelope('bad')], { parentId: 'p' });
    expect(spool.status()).toEqual([]);
    expect(await spool.countFromDisk()).toBe(0);
    expect(await spool.recover({ ids: [q as string, 'zz'], from: 'quarantine' })).toEqual([
      { id: q, result: 'ok' },
      { id: 'zz', result: 'notFound' },
    ]);
    expect(spool.status()[0]?.status).toEqual({ kind: 'frozen' });
    expect(w.events.map((e) => e.kind)).toEqual(['quarantined', 'recovered']);
    await spool.close();
  });

  it('setMaxConcurrentJobs limits only deliveries started after it', async () => {
    const w = world();
    const s = heldSender();
    const spool = await open(w, { sender: s.sender });
    await spool.add([envelope('1'), envelope('2'), envelope('3'), envelope('4')], { parentId: 'p' });
    await settle();
    expect(spool.running()).toHaveLength(4);
    spool.setMaxConcurrentJobs(1);
    expect(() => spool.setMaxConcurrentJobs(0)).toThrow(/integer >= 1/);
    await spool.add([envelope('5'), envelope('6')], { parentId: 'p' });
    await settle();
    expect(spool.running()).toHaveLength(4);
    for (const c of s.calls.splice(0)) c.answer('done');
    await settle();
    expect(spool.running()).toHaveLength(1);
    await spool.killAndFlush({ timeoutMs: 0 });
  });

  it('killAndFlush waits for running deliveries, or times out; later operations are refused', async () => {
    const w = world();
    const s = heldSender();
    const spool = await open(w, { sender: s.sender });
    await spool.add([envelope('1')], { parentId: 'p' });
    await settle();
    let outcome: string | undefined;
    void spool.killAndFlush({ timeoutMs: 10_000 }).then((o) => (outcome = o));
    await settle();
    expect(outcome).toBeUndefined();
    s.calls[0]?.answer('done');
    await settle();
    expect(outcome).toBe('finished');
    await expect(spool.freeze([])).rejects.toSatisfy((e: unknown) => isMessageSpoolError(e, 'killed'));
    const w2 = world();
    const s2 = heldSender();
    const other = await open(w2, { sender: s2.sender });
    await other.add([envelope('1')], { parentId: 'p' });
    await settle();
    const timed = other.killAndFlush({ timeoutMs: 10_000 });
    w2.clock.advance(10_000);
    expect(await timed).toBe('timeout');
  });

  it('a second live process is locked out; a dead one is taken over and its checkouts are sent again', async () => {
    const w = world();
    const s = heldSender();
    const first = await open(w, { sender: s.sender }, 'p1');
    const [id] = await first.add([envelope('x')], { parentId: 'p' });
    await settle();
    expect(first.running()).toEqual([id]);
    await expect(open(w, { sender: heldSender().sender }, 'p2')).rejects.toSatisfy((e: unknown) => isMessageSpoolError(e, 'locked') && /live process p1/.test(String(e)));
    w.probe.alive.delete('p1'); // kill -9 of p1 (its pending delivery never finishes)
    const s2 = heldSender();
    const second = await open(w, { sender: s2.sender }, 'p2');
    expect(second.startup.putBack).toEqual([id]);
    await settle();
    expect(s2.calls.map((c) => c.delivery.record.id)).toEqual([id]);
    s2.calls[0]?.answer('done');
    await settle();
    await second.close();
    const third = await open(w, { sender: heldSender().sender }, 'p3');
    expect(third.status()).toEqual([]);
    await third.close();
  });

  it('a failing presend hook counts as try later without a sender call', async () => {
    const w = world();
    const s = heldSender();
    let fail = true;
    const spool = await open(w, {
      sender: s.sender,
      presend: () => {
        if (fail) throw new Error('hook crashed');
        return { kind: 'sendNow' };
      },
    });
    const [id] = await spool.add([envelope('x')], { parentId: 'p' });
    await settle();
    expect(s.calls).toHaveLength(0);
    expect(spool.status()[0]).toMatchObject({ id, status: { kind: 'sendAt', at: 1_001_000 }, attempts: 0, retryIntervals: [5_000] });
    fail = false;
    w.clock.advance(1_000);
    await settle();
    expect(s.calls).toHaveLength(1);
    await spool.killAndFlush({ timeoutMs: 0 });
  });

  it('startup reports a queue file it cannot read and leaves it alone', async () => {
    const w = world();
    const first = await open(w, { sender: heldSender().sender, presend: () => ({ kind: 'freeze' }) });
    const [good, bad] = await first.add([envelope('a'), envelope('b')], { parentId: 'p', initialStatus: 'frozen' });
    await first.close();
    const path = `/spool/frozen/${String(bad)}`;
    const file = await w.vfs.open(path, { write: true, truncate: true });
    await file.write(0, new TextEncoder().encode('{"id": "not a record"}'));
    await file.close();
    const second = await open(w, { sender: heldSender().sender }, 'p2');
    expect(second.status().map((r) => r.id)).toEqual([good]);
    expect(second.startup.unreadable.map((u) => `${u.queue}/${String(u.name)} ${u.error.kind}`)).toEqual([`frozen/${String(bad)} corrupt`]);
    expect(await w.vfs.readdir('/spool/frozen')).toContain(bad);
    await second.close();
  });
});

