/**
 * What a ring error's message must name (docs/ring-protocol.md, "Errors": messages name the
 * sector and the bad value). A refusal may have several causes at once (a bad flag AND a bad
 * position) and an implementation reports the first it meets, so what is required is a list of
 * clues, one per cause: the message must name every word of at least one of them.
 *
 * A word is matched as a whole where it begins or ends with a digit: `sector 1` is not named by
 * `sector 12`, nor `40` by `1040`, so a message that lost its number does not pass by chance.
 */

/** One cause of an error, as the words its message must hold (all of them). */
export type Clue = readonly string[];

/** True if `message` holds `word`, not as part of a longer number. */
export function namesWord(message: string, word: string): boolean {
  const digit = /[0-9]/;
  for (let at = message.indexOf(word); at >= 0; at = message.indexOf(word, at + 1)) {
    const before = message[at - 1];
    const after = message[at + word.length];
    const clearBefore = !digit.test(word[0] ?? '') || before === undefined || !digit.test(before);
    const clearAfter = !digit.test(word[word.length - 1] ?? '') || after === undefined || !digit.test(after);
    if (clearBefore && clearAfter) return true;
  }
  return false;
}

/**
 * Undefined if `message` names every word of some clue (or no clue is required); otherwise what
 * it should have named, in words, for a counterexample.
 */
export function missingClues(message: string | undefined, clues: readonly Clue[]): string | undefined {
  if (clues.length === 0) return undefined;
  if (message !== undefined && clues.some((clue) => clue.every((word) => namesWord(message, word)))) return undefined;
  return `its message ${JSON.stringify(message ?? '')} names none of what it should (one would do): ${clues.map((clue) => clue.map((w) => `"${w}"`).join(' and ')).join('; ')}`;
}
