/** The racing model (per-entry linearizability of multispool histories) and the reading of a killed operation's reach. */
import { describe, expect, it } from 'vitest';
import { checkLinearizable, historyRecorder } from '../../sim/linearizability/index.ts';
import type { TimelineEvent } from '../../sim/processes.ts';
import { START_MS, type TestMeta } from '../multispool/test-spoolable.ts';
import { killedReach } from './kill-reach.ts';
import { raceModel, type RaceCall, type RaceInput, type RaceOutput, type Reach } from './race-history-model.ts';

const meta = (label: string): TestMeta => ({ label, rev: 0 });
const enqueue = (label: string): RaceCall => ({ kind: 'enqueue', metadata: meta(label), data: `data of ${label}` });
const taken = (name: string, label: string): RaceOutput => ({ kind: 'taken', name, contents: meta(label), data: `data of ${label}` });
const final = (registered: boolean, queued: string | null, checkedOut: string | null): RaceOutput => ({
  kind: 'final',
  registered,
  queued: queued === null ? null : meta(queued),
  checkedOut: checkedOut === null ? null : meta(checkedOut),
});

/** A tiny history builder: `call` and `ret` in the order written; inputs resolved as the property does. */
function history() {
  const rec = historyRecorder<RaceInput, RaceOutput>();
  const input = (call: RaceCall, subject: string | undefined, reach: Reach = 'returned'): RaceInput => ({ call, subject, reach });
  return {
    call: (process: string, call: RaceCall, subject: string | undefined, reach?: Reach) => rec.invoke(process, input(call, subject, reach)),
    ret: (id: number, out: RaceOutput) => rec.respond(id, out),
    kill: (process: string) => rec.kill(process),
    check: () => checkLinearizable(rec.operations(), raceModel(START_MS), { maxSteps: 100_000 }).kind,
  };
}

describe('the racing multispool model', () => {
  it('accepts enqueue, take, remove and the final state that follows', () => {
    const h = history();
    h.ret(h.call('e1', enqueue('a'), 'n0'), { kind: 'entry', name: 'n0' });
    h.ret(h.call('r1', { kind: 'dequeue', via: 'iter' }, 'n0'), taken('n0', 'a'));
    h.ret(h.call('r1', { kind: 'remove', name: 'n0' }, 'n0'), { kind: 'done' });
    h.ret(h.call('inspector', { kind: 'final', name: 'n0' }, 'n0'), final(false, null, null));
    expect(h.check()).toBe('linearizable');
  });

  it('refutes two acknowledged enqueues of one name with no remove between (MS-4)', () => {
    const h = history();
    const a = h.call('e1', enqueue('a'), 'n0');
    const b = h.call('e2', enqueue('b'), 'n0');
    h.ret(a, { kind: 'entry', name: 'n0' });
    h.ret(b, { kind: 'entry', name: 'n0' });
    expect(h.check()).toBe('notLinearizable');
  });

  it('refutes a take of an entry nobody enqueued, and a take with the wrong contents', () => {
    const h1 = history();
    h1.ret(h1.call('r1', { kind: 'dequeue', via: 'dequeueAvailable' }, 'n3'), taken('n3', 'x'));
    expect(h1.check()).toBe('notLinearizable');
    const h2 = history();
    h2.ret(h2.call('e1', enqueue('a'), 'n0'), { kind: 'entry', name: 'n0' });
    h2.ret(h2.call('r1', { kind: 'dequeue', via: 'iter' }, 'n0'), taken('n0', 'b'));
    expect(h2.check()).toBe('notLinearizable');
  });

  it('refutes two takes of one entry, and a notFound while it sat in the queue throughout', () => {
    const h = history();
    h.ret(h.call('e1', enqueue('a'), 'n0'), { kind: 'entry', name: 'n0' });
    h.ret(h.call('r1', { kind: 'dequeue', via: 'iter' }, 'n0'), taken('n0', 'a'));
    h.ret(h.call('r2', { kind: 'tryCheckout', name: 'n0' }, 'n0'), taken('n0', 'a'));
    expect(h.check()).toBe('notLinearizable');
    const g = history();
    g.ret(g.call('e1', enqueue('a'), 'n0'), { kind: 'entry', name: 'n0' });
    g.ret(g.call('c1', { kind: 'tryCheckout', name: 'n0' }, 'n0'), { kind: 'notFound' });
    g.ret(g.call('inspector', { kind: 'final', name: 'n0' }, 'n0'), final(true, 'a', null));
    expect(g.check()).toBe('notLinearizable');
  });

  it('accepts what the real protocol does between a reservation and its publish (why inputs name their entry)', () => {
    // e1 reserves n0 and is slow to publish; e2 enqueues n1 whole meanwhile (n0 is taken); then a
    // contender finds n0 not yet queued; then e1 publishes. No single point fits a whole-queue model.
    const h = history();
    const a = h.call('e1', enqueue('a'), 'n0');
    h.ret(h.call('e2', enqueue('b'), 'n1'), { kind: 'entry', name: 'n1' });
    h.ret(h.call('c1', { kind: 'tryCheckout', name: 'n0' }, 'n0'), { kind: 'notFound' });
    h.ret(a, { kind: 'entry', name: 'n0' });
    expect(h.check()).toBe('linearizable');
  });

  it('applies exactly the part a killed operation did', () => {
    const h = history();
    h.call('e1', enqueue('a'), 'n0', 'reserved');
    h.kill('e1');
    h.ret(h.call('inspector', { kind: 'final', name: 'n0' }, 'n0'), final(true, null, null));
    expect(h.check()).toBe('linearizable');
    const g = history();
    g.ret(g.call('e1', enqueue('a'), 'n0'), { kind: 'entry', name: 'n0' });
    g.ret(g.call('r1', { kind: 'dequeue', via: 'iter' }, 'n0'), taken('n0', 'a'));
    g.call('r1', { kind: 'remove', name: 'n0' }, 'n0', 'metadataRemoved');
    g.kill('r1');
    g.ret(g.call('inspector', { kind: 'final', name: 'n0' }, 'n0'), final(true, null, null));
    expect(g.check()).toBe('linearizable');
    const f = history();
    f.ret(f.call('e1', enqueue('a'), 'n0'), { kind: 'entry', name: 'n0' });
    f.call('r1', { kind: 'dequeue', via: 'iter' }, 'n0', 'checkedOut');
    f.kill('r1');
    f.ret(f.call('inspector', { kind: 'final', name: 'n0' }, 'n0'), final(true, null, 'a'));
    expect(f.check()).toBe('linearizable');
    // ...but not a final state that no part of the killed operation explains.
    const e = history();
    e.ret(e.call('e1', enqueue('a'), 'n0'), { kind: 'entry', name: 'n0' });
    e.call('r1', { kind: 'dequeue', via: 'iter' }, 'n0', 'checkedOut');
    e.kill('r1');
    e.ret(e.call('inspector', { kind: 'final', name: 'n0' }, 'n0'), final(false, null, null));
    expect(e.check()).toBe('notLinearizable');
  });
});

describe('the reach of a killed operation, from its timeline', () => {
  let seq = 0;
  const events = (...lines: string[]): TimelineEvent[] =>
    lines.map((l) => {
      const [kind, ...what] = l.split(' ');
      return { seq: seq++, kind: kind as TimelineEvent['kind'], what: what.join(' ') };
    });

  it('an enqueue: nothing, reserved, or published', () => {
    const reserve = ['call open /spool/.registry/n0 {"write":true}', 'error open /spool/.registry/n0 {"write":true}: EEXIST', 'call open /spool/.registry/n1 {"write":true}'];
    expect(killedReach(enqueue('a'), events(...reserve), '/spool')).toEqual({ subject: undefined, reach: 'none' });
    const claimed = [...reserve, 'return open /spool/.registry/n1 {"write":true}', 'call close /spool/.registry/n1', 'killed kill -9'];
    expect(killedReach(enqueue('a'), events(...claimed), '/spool')).toEqual({ subject: 'n1', reach: 'reserved' });
    const published = [...claimed.slice(0, -1), 'call rename /spool/.tmp/n1 /spool/alpha/n1', 'return rename /spool/.tmp/n1 /spool/alpha/n1'];
    expect(killedReach(enqueue('a'), events(...published), '/spool')).toEqual({ subject: 'n1', reach: 'published' });
  });

  it('a take: only a successful rename into .checkout counts', () => {
    const lost = events('call rename /spool/alpha/n0 /spool/alpha/.checkout/n0', 'error rename /spool/alpha/n0 /spool/alpha/.checkout/n0: ENOENT');
    expect(killedReach({ kind: 'dequeue', via: 'iter' }, lost, '/spool')).toEqual({ subject: undefined, reach: 'none' });
    const won = events('call rename /spool/alpha/n2 /spool/alpha/.checkout/n2', 'return rename /spool/alpha/n2 /spool/alpha/.checkout/n2');
    expect(killedReach({ kind: 'dequeue', via: 'iter' }, won, '/spool')).toEqual({ subject: 'n2', reach: 'checkedOut' });
    expect(killedReach({ kind: 'tryCheckout', name: 'n2' }, won, '/spool')).toEqual({ subject: 'n2', reach: 'checkedOut' });
    expect(killedReach({ kind: 'tryCheckout', name: 'n1' }, won, '/spool')).toEqual({ subject: 'n1', reach: 'none' });
  });

  it('a remove: the checkout file, then the registry file', () => {
    const call: RaceCall = { kind: 'remove', name: 'n0' };
    expect(killedReach(call, events('call utimes /spool/.registry/n0', 'return utimes /spool/.registry/n0'), '/spool').reach).toBe('none');
    const half = events('call unlink /spool/alpha/.checkout/n0', 'return unlink /spool/alpha/.checkout/n0', 'call unlink /spool/.data/n0');
    expect(killedReach(call, half, '/spool').reach).toBe('metadataRemoved');
    const whole = [...half, ...events('return unlink /spool/.data/n0', 'call unlink /spool/.registry/n0', 'return unlink /spool/.registry/n0')];
    expect(killedReach(call, whole, '/spool').reach).toBe('removed');
  });
});
