/**
 * `spoolcheck run --target`: a user's module (here the Maildir example) or a built-in target by
 * name; clear usage errors for a bad one; nothing applicable is not a pass.
 */
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { capture } from './capture-output.ts';


const now = (): number => performance.now();
const FIXED = 'examples/maildir/fixed-target.ts';
const CARELESS = 'examples/maildir/careless-target.ts';

describe('spoolcheck run --target', () => {
  it('runs every applicable suite on a module target and passes the fixed Maildir', async () => {
    const io = capture();
    expect(await main(['run', '--target', FIXED, '--runs', '3'], io, now)).toBe(0);
    expect(io.text()).toContain('checking maildir-fixed');
    expect(io.text()).toMatch(/7 of 7 properties hold, \d+ not applicable to this target/);
    expect(io.text()).toMatch(/^multispool +\(\d+ properties\) +0 +not applicable \(needs builtin\)/m);
    expect(io.text()).toMatch(/^kill +kill-9 +0 +not applicable \(needs builtin\)/m);
  });

  it('catches the careless Maildir, and its replay line (with --target) reproduces the failure', async () => {
    const io = capture();
    expect(await main(['run', '--target', CARELESS, '--suite', 'queue', '--property', 'crash-process-crash'], io, now)).toBe(1);
    const replay = /npx spoolcheck run (.+)$/m.exec(io.text())?.[1];
    expect(replay).toContain(`--target ${CARELESS}`);
    const again = capture();
    expect(await main(['run', ...(replay as string).split(' ')], again, now)).toBe(1);
    const violations = (t: string): string[] => t.split('\n').filter((l) => /^ {2}(lost|broken|corrupted|phantom|duplicate|resurrected):/.test(l));
    expect(violations(again.text())).toEqual(violations(io.text()));
    expect(violations(io.text())).not.toEqual([]);
  });

  it('a built-in target by name is the variant, and replays as one', async () => {
    const io = capture();
    expect(await main(['run', '--target', 'MS-5', '--suite', 'queue', '--property', 'crash-process-crash'], io, now)).toBe(1);
    expect(io.text()).toMatch(/npx spoolcheck run .* --variant MS-5$/m);
  });

  it('refuses a bad target with a clear usage error (exit 2)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--target', 'no/such/file.ts'], /neither a built-in target .* nor a module file/],
      [['--target', 'examples/maildir/adapter.ts'], /has no default export/],
      [['--target', FIXED, '--variant', 'MS-1'], /--variant or --target, not both/],
      [['--variant', 'maildir-fixed'], /unknown variant 'maildir-fixed'/],
    ];
    for (const [args, message] of cases) {
      const io = capture();
      expect(await main(['run', ...args], io, now)).toBe(2);
      expect(io.err.join('\n')).toMatch(message);
    }
  });

  it('exits 2 when no selected property applies: nothing checked is not a pass', async () => {
    const io = capture();
    expect(await main(['run', '--target', FIXED, '--suite', 'ring'], io, now)).toBe(2);
    expect(io.err.join('\n')).toMatch(/no selected property applies to target maildir-fixed .*nothing was checked/);
  });
});
