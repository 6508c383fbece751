import { describe, expect, it } from 'vitest';
import { PROPERTIES } from '../cli/suites.ts';
import { runProperty } from '../properties/suite.ts';
import { REAL_TARGET, variantTarget } from './builtin.ts';
import { findVariant } from '../properties/variants.ts';
import { asTarget, capabilitiesOf, missingCapabilities, type Target } from './target.ts';

const bare: Target = { name: 'bare', description: 'a target with no capability' };

describe('targets', () => {
  it('a property whose capability the target lacks is not applicable, and nothing runs', async () => {
    const property = PROPERTIES[0];
    if (property === undefined) throw new Error('no properties registered');
    let built = 0;
    const counting = { ...property, build: (...args: Parameters<typeof property.build>) => (built++, property.build(...args)) };
    const outcome = await runProperty(counting, { seed: 1, numRuns: 5, target: bare }, () => 0);
    expect(outcome.verdict).toBe('not-applicable');
    expect(outcome.missing).toEqual(['builtin']);
    expect(outcome.runs).toBe(0);
    expect(built).toBe(0);
  });

  it('built-in targets carry the variant quirks, the real one none', () => {
    expect(missingCapabilities(REAL_TARGET, ['builtin'])).toEqual([]);
    expect(REAL_TARGET.builtin?.multispool).toEqual({});
    const ms1 = findVariant('MS-1');
    if (ms1 === undefined) throw new Error('MS-1 missing');
    expect(variantTarget(ms1).builtin?.multispool).toEqual({ noDirFsync: true });
    expect(variantTarget(ms1).name).toBe('MS-1');
  });

  it('a queue claims what it survives; power loss implies a kill', () => {
    const open = async () => ({}) as never;
    const withClaims = (survives?: ('process-crash' | 'power-loss')[]): Target => ({ name: 'q', description: '', queue: survives === undefined ? { open } : { open, survives } });
    expect(capabilitiesOf(withClaims())).toEqual(['queue']);
    expect(capabilitiesOf(withClaims(['process-crash']))).toEqual(['queue', 'queue-survives-process-crash']);
    expect(capabilitiesOf(withClaims(['power-loss']))).toEqual(['queue', 'queue-survives-process-crash', 'queue-survives-power-loss']);
    expect(capabilitiesOf(REAL_TARGET)).toEqual(['queue', 'queue-survives-process-crash', 'queue-survives-power-loss', 'queue-reader', 'ring', 'ring-survives-power-loss', 'ring-survives-torn-writes', 'journal', 'journal-survives-power-loss', 'journal-survives-torn-writes', 'message-spool', 'message-spool-survives-process-crash', 'message-spool-survives-power-loss', 'builtin']);
    expect(capabilitiesOf(bare)).toEqual([]);
  });

  it('asTarget refuses what is not a target, saying why', () => {
    expect(() => asTarget(undefined, 'x.ts')).toThrow(/default export must be a target object, got undefined/);
    expect(() => asTarget({ description: '' }, 'x.ts')).toThrow(/non-empty string 'name'/);
    expect(() => asTarget({ name: 'n', description: '', queues: {} }, 'x.ts')).toThrow(/unknown field\(s\) queues/);
    expect(() => asTarget({ name: 'n', description: '', queue: {} }, 'x.ts')).toThrow(/open\(world\)/);
    expect(() => asTarget({ name: 'n', description: '', builtin: {} }, 'x.ts')).toThrow(/reserved/);
    const open = async () => ({}) as never;
    expect(() => asTarget({ name: 'n', description: '', queue: { open, survives: ['power-cut'] } }, 'x.ts')).toThrow(/'queue.survives' must be an array of 'process-crash', 'power-loss', got \["power-cut"\]/);
    expect(() => asTarget({ name: 'n', description: '', queue: { open, survives: 'power-loss' } }, 'x.ts')).toThrow(/'queue.survives' must be an array/);
    expect(() => asTarget({ name: 'n', description: '', queue: { open, reader: 'yes' } }, 'x.ts')).toThrow(/'queue.reader' must be true or false, got "yes"/);
    expect(() => asTarget({ name: 'n', description: '', journal: {} }, 'x.ts')).toThrow(/'journal' must be an object with a start\(world\)/);
    expect(() => asTarget({ name: 'n', description: '', ring: { create: open } }, 'x.ts')).toThrow(/'ring' must be an object with create.*\(missing: producer, consumer\)/);
    expect(() => asTarget({ name: 'n', description: '', ring: { create: open, producer: open, consumer: open, survives: ['fire'] } }, 'x.ts')).toThrow(/'ring.survives' must be an array of 'power-loss', 'torn-writes'/);
    expect(() => asTarget({ name: 'n', description: '', messageSpool: { maxRetryDelayMs: 1 } }, 'x.ts')).toThrow(/'messageSpool' must be an object with an open\(world\)/);
    expect(() => asTarget({ name: 'n', description: '', messageSpool: { open } }, 'x.ts')).toThrow(/'messageSpool.maxRetryDelayMs' must be a non-negative number of ms, got undefined/);
    expect(() => asTarget({ name: 'n', description: '', messageSpool: { open, maxRetryDelayMs: 5, survives: ['reboot'] } }, 'x.ts')).toThrow(/'messageSpool.survives' must be an array of 'process-crash', 'power-loss'/);
    expect(asTarget(bare, 'x.ts')).toBe(bare);
  });
});
