import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from './fsck.ts';
import { eventify, initialAlertState, type AlertEvent, type AlertState } from './monitor.ts';

const tooOld = (name: string, mtimeMs = 0): Problem => ({ kind: 'tooOld', file: { name, mtimeMs }, location: { kind: 'tmp' } });

/** Runs successive checks (one problem list each, at times 1, 2, ...); returns the events per check. */
function run(checks: Problem[][], alertAfterCycles = 2): { events: AlertEvent[][]; state: AlertState } {
  let state = initialAlertState;
  const events: AlertEvent[][] = [];
  checks.forEach((problems, i) => {
    const out = eventify(state, problems, i + 1, alertAfterCycles);
    state = out.state;
    events.push(out.events);
  });
  return { events, state };
}

describe('eventify', () => {
  it('a problem seen 3 checks in a row with alertAfterCycles 2 starts on the 3rd', () => {
    const a = tooOld('a');
    const { events, state } = run([[a], [a], [a], [a]]);
    expect(events).toEqual([[], [], [{ kind: 'start', at: 3, problem: a }], []]);
    expect([...state.counts.values()]).toEqual([{ problem: a, count: 4 }]);
  });

  it('a public problem that disappears ends; one that was not public ends silently', () => {
    const a = tooOld('a');
    const b = tooOld('b');
    const { events, state } = run([[a], [a, b], [a, b], []]);
    expect(events[2]).toEqual([{ kind: 'start', at: 3, problem: a }]);
    expect(events[3]).toEqual([{ kind: 'end', at: 4, problem: a }]);
    expect(state.counts.size).toBe(0);
    expect(state.alerting.size).toBe(0);
  });

  it('a gap resets the count', () => {
    const a = tooOld('a');
    expect(run([[a], [a], [], [a], [a]]).events.flat()).toEqual([]);
  });

  it('a touched file (new mtime) is a new problem: the old alert ends, the new count restarts', () => {
    const old = tooOld('a', 0);
    const touched = tooOld('a', 5);
    const { events } = run([[old], [old], [old], [touched], [touched], [touched]]);
    expect(events).toEqual([
      [],
      [],
      [{ kind: 'start', at: 3, problem: old }],
      [{ kind: 'end', at: 4, problem: old }],
      [],
      [{ kind: 'start', at: 6, problem: touched }],
    ]);
  });

  it('ends come first (in the old order), then starts (in the order of this check)', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => tooOld(n)) as [Problem, Problem, Problem, Problem];
    const { events } = run([[b, a], [b, a, d, c], [d, c, a, b]], 0);
    expect(events[0]).toEqual([
      { kind: 'start', at: 1, problem: b },
      { kind: 'start', at: 1, problem: a },
    ]);
    expect(events[1]).toEqual([
      { kind: 'start', at: 2, problem: d },
      { kind: 'start', at: 2, problem: c },
    ]);
    const last = eventify(run([[b, a, c]], 0).state, [d], 9, 0);
    expect(last.events).toEqual([
      { kind: 'end', at: 9, problem: b },
      { kind: 'end', at: 9, problem: a },
      { kind: 'end', at: 9, problem: c },
      { kind: 'start', at: 9, problem: d },
    ]);
    expect(events[2]).toEqual([]);
  });

  it('a problem listed twice in one check counts once', () => {
    const a = tooOld('a');
    const { events } = run([[a, a], [a, a]], 1);
    expect(events).toEqual([[], [{ kind: 'start', at: 2, problem: a }]]);
  });
});

describe('property: alerts follow consecutive sightings', () => {
  it('a problem is alerting exactly when seen in each of the last alertAfterCycles+1 checks; its events alternate start/end', () => {
    const checksArb = fc.array(fc.subarray(['a', 'b', 'c']), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(checksArb, fc.nat({ max: 3 }), (checks, after) => {
        let state = initialAlertState;
        const history: string[][] = [];
        const last = new Map<string, 'start' | 'end'>();
        checks.forEach((names, i) => {
          const out = eventify(state, names.map((n) => tooOld(n)), i, after);
          state = out.state;
          history.push(names);
          for (const e of out.events) {
            expect(last.get(e.problem.file.name) ?? 'end').not.toBe(e.kind);
            last.set(e.problem.file.name, e.kind);
          }
          for (const name of ['a', 'b', 'c']) {
            const recent = history.slice(-(after + 1));
            const expected = recent.length === after + 1 && recent.every((h) => h.includes(name));
            expect(state.alerting.has(JSON.stringify([name, 'tooOld', ['tmp'], 0]))).toBe(expected);
            expect((last.get(name) ?? 'end') === 'start').toBe(expected);
          }
        });
      }),
      { numRuns: 100 },
    );
  });
});
