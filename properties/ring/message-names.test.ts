/** The clue matcher a ring error message is held to. */
import { describe, expect, it } from 'vitest';
import { missingClues, namesWord } from './message-names.ts';

describe('what a ring error message must name', () => {
  it('matches a word with a number at its edge only as a whole number', () => {
    expect(namesWord('producer control sector 1: flag byte 0', 'sector 1')).toBe(true);
    expect(namesWord('sector 12 is bad', 'sector 1')).toBe(false);
    expect(namesWord('position 1040', '40')).toBe(false);
    expect(namesWord('position 1040 and 40', '40')).toBe(true);
    expect(namesWord('consumer pop at 8', 'pop')).toBe(true);
  });

  it('asks for every word of one clue, and says what is missing', () => {
    const clues = [['sector 1', '7'], ['sector 2', '255']];
    expect(missingClues('consumer control sector 2: flag byte 255', clues)).toBeUndefined();
    expect(missingClues('producer control sector 1: position 7', clues)).toBeUndefined();
    expect(missingClues('producer control sector 1: position is not a multiple of 4', clues)).toBe(
      'its message "producer control sector 1: position is not a multiple of 4" names none of what it should (one would do): "sector 1" and "7"; "sector 2" and "255"',
    );
    expect(missingClues(undefined, clues)).toMatch(/^its message ""/);
    expect(missingClues(undefined, [])).toBeUndefined();
  });
});
