import { describe, expect, it } from 'vitest';
import { isValidName } from './names.ts';
import { err, ok } from './result.ts';

describe('isValidName', () => {
  it('accepts single visible path components', () => {
    for (const name of ['a', 'n0', '000000001_000000002_000000', 'Grüße', 'a.b', 'a..']) expect(isValidName(name)).toBe(true);
  });

  it('rejects empty names, slashes, NUL and a leading dot', () => {
    for (const name of ['', 'a/b', '/', 'a\0b', '.', '..', '.checkout', '.x']) expect(isValidName(name)).toBe(false);
  });
});

describe('Result helpers', () => {
  it('build ok and error results', () => {
    expect(ok(3)).toEqual({ kind: 'ok', value: 3 });
    expect(err('released')).toEqual({ kind: 'error', error: 'released' });
  });
});
