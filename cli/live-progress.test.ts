/**
 * Live progress: drawn in place on a terminal (one line per running property, the ended ones
 * printed above), never when the output is not a terminal or with --json.
 */
import { describe, expect, it } from 'vitest';
import { LiveProgress } from './live-progress.ts';
import { main } from './main.ts';
import type { Output } from './output.ts';

describe('LiveProgress', () => {
  it('draws a line per running property, redraws in place, and prints ended ones above', () => {
    let t = 0;
    const written: string[] = [];
    const live = new LiveProgress({ write: (s) => written.push(s), columns: 200 }, () => t);
    live.run('a/p', 100, 0);
    t = 1000;
    live.run('a/p', 100, 50);
    live.run('b/q', 10, 0);
    t = 1200;
    live.line('  ok   a/p: 100 runs', 'a/p');
    live.run('b/q', 10, undefined);
    live.close();
    const text = written.join('');
    expect(text).toContain('  ... a/p: 50 of 100 runs, 50/s, ~1 s left\n');
    // The block (one line drawn: b/q came within the redraw interval) is cleared, cursor up over
    // it and clear to the end, before the ended line is printed.
    expect(text).toMatch(/\x1b\[1F\x1b\[J {2}ok {3}a\/p: 100 runs\n {2}\.\.\. b\/q: 0 of 10 runs/);
    expect(text.endsWith('\x1b[1F\x1b[J')).toBe(true);
    expect(LiveProgress.describe({ name: 'b/q', budget: 10, done: 3, shrinking: true }, 4000)).toBe('  ... b/q: failed, shrinking (4 s)');
  });

  it('is not used when the output is no terminal, or with --json on a terminal', async () => {
    const now = (): number => performance.now();
    for (const [terminal, json] of [[false, false], [true, true]] as const) {
      const drawn: string[] = [];
      const lines: string[] = [];
      const out: Output = { stdout: (t) => lines.push(t), stderr: (t) => lines.push(t), ...(terminal ? { terminal: { write: (s: string) => drawn.push(s), columns: 80 } } : {}) };
      expect(await main(['run', '--suite', 'multispool', '--property', 'name-format', '--runs', '20', ...(json ? ['--json'] : [])], out, now)).toBe(0);
      expect(drawn).toEqual([]);
      expect(lines.join('\n')).not.toMatch(/\x1b\[/);
    }
    const drawn: string[] = [];
    const out: Output = { stdout: () => undefined, stderr: () => undefined, terminal: { write: (s) => drawn.push(s), columns: 80 } };
    expect(await main(['run', '--suite', 'multispool', '--property', 'name-format', '--runs', '20'], out, now)).toBe(0);
    expect(drawn.join('')).toMatch(/ {2}\.\.\. multispool\/name-format: \d+ of 20 runs/);
  });
});
