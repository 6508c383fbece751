/**
 * The message names of the message spool properties: m001, m002, … from a counter; a clash is
 * tried again as m001-1, m001-2, … (never happens on a spool the property owns). Predictable, so
 * a property can say which ids an add will return.
 */
import type { NameGenerator } from '../../impl/multispool/index.ts';

/** The n-th name handed out (from 1). */
export function testName(n: number): string {
  return `m${String(n).padStart(3, '0')}`;
}

/** A name generator that also says what it handed out. */
export interface TestNames extends NameGenerator {
  /** Every name handed out, retries included, in order. */
  readonly handedOut: readonly string[];
  /** How many names were handed out as first attempts (the counter). */
  count(): number;
}

/** A fresh generator, counting from m001. */
export function testNames(): TestNames {
  let seq = 0;
  const handedOut: string[] = [];
  return {
    next(attempt) {
      if (attempt === 0) seq++;
      const name = attempt === 0 ? testName(seq) : `${testName(seq)}-${attempt}`;
      handedOut.push(name);
      return name;
    },
    handedOut,
    count: () => seq,
  };
}
