/**
 * The races suite at the test budget: the real multispool (and ring) survive every explored
 * interleaving; the new race properties are each broken by a catalogued variant, their failure
 * reports carry the timelines and the interleaving, and the replay path reproduces the failure.
 */
import { describe, expect, it } from 'vitest';
import { runProperty, type PropertyDef } from '../suite.ts';
import { findVariant } from '../variants.ts';
import { ringHandlesLinearizable } from './ring-handles-linearizable.ts';
import { fifoOneEnqueuer } from './fifo-races.ts';
import { RACES_PROPERTIES } from './multispool-races.ts';
import { multispoolLinearizable } from './multispool-linearizable.ts';
import { REAL_TARGET, variantTarget } from '../../targets/builtin.ts';

const now = (): number => performance.now();

describe('races suite, real implementation', () => {
  it.each(RACES_PROPERTIES.map((p) => [p.name, p] as const))('%s holds', async (_name, property) => {
    const outcome = await runProperty(property, { seed: 42, numRuns: property.testRuns, target: REAL_TARGET }, now);
    expect(outcome.counterexample ?? '').toBe('');
    expect(outcome.verdict).toBe('holds');
  });
});

describe('races suite, buggy variants', () => {
  const cases: [string, PropertyDef, RegExp][] = [
    ['MS-4', multispoolLinearizable, /enqueue|lost|linearize|same name/],
    ['MS-3', fifoOneEnqueuer, /sleeps with work waiting/],
    ['SEQ-3', fifoOneEnqueuer, /Not FIFO/],
    ['RB-1', ringHandlesLinearizable, /do not linearize against the ring model[\s\S]*the model answers \{"kind":"suspended"\} here, but \{"kind":"ok"\} was recorded/],
    ['RB-2', ringHandlesLinearizable, /do not linearize against the ring model|a call threw/],
    ['RB-3', ringHandlesLinearizable, /do not linearize against the ring model|a call threw/],
  ];
  it.each(cases)('%s breaks %s, with timelines, interleaving and an exact replay', async (id, property, what) => {
    const variant = findVariant(id);
    if (variant === undefined) throw new Error(`no variant ${id}`);
    const outcome = await runProperty(property, { seed: 42, numRuns: property.defaultRuns, target: variantTarget(variant) }, now);
    expect(outcome.verdict).toBe('fails');
    const text = outcome.counterexample ?? '';
    expect(text).toMatch(what);
    expect(text).toMatch(/Per-process timelines, in global order/);
    expect(text).toMatch(/Interleaving chosen by the scheduler \(\d+ points/);
    expect(text).not.toMatch(/did NOT fail again/);
    const replay = await runProperty(property, { seed: outcome.seed, numRuns: 1, path: outcome.path as string, target: variantTarget(variant) }, now);
    const essentials = (t: string | undefined): string[] => (t ?? '').split('\n').filter((l) => !l.startsWith('Shrunk'));
    expect(essentials(replay.counterexample)).toEqual(essentials(text));
  });
});
