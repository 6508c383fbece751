/**
 * What a file may hold after replaces of its content, by what the writer promises (the contract
 * of `targets/file-writer-adapter.ts`): the versions written so far are the initial content and
 * one per replace, in order; `acknowledged` of them had resolved, and the next one was in flight.
 *
 * - `atomic`: the file holds one version in full (the initial one, an acknowledged one, or the
 *   one in flight), never a prefix, a mix or nothing;
 * - `durable` (with `atomic`): it holds the last acknowledged version or the one in flight, never
 *   an older one.
 */

/** The writes so far. */
export interface Versions {
  /** Version 0 is the initial content; version i the content of the i-th replace. */
  readonly contents: readonly string[];
  /** How many replaces had resolved. */
  readonly acknowledged: number;
  /** True if replace number `acknowledged + 1` had started (and not resolved). */
  readonly inFlight: boolean;
}

/** Quotes content for a message, shortened. */
export function quoteContent(s: string): string {
  return JSON.stringify(s.length > 48 ? `${s.slice(0, 45)}...` : s) + ` (${s.length} bytes)`;
}

/** The versions a content equals (indexes), or what it is of them. */
function whatItIs(contents: readonly string[], got: string): string {
  if (got === '') return 'the file is empty';
  // The newest version it is a prefix of: the one being written, most likely.
  let prefixOf = -1;
  contents.forEach((c, i) => {
    if (got.length < c.length && c.startsWith(got)) prefixOf = i;
  });
  if (prefixOf >= 0) return `the first ${got.length} of ${contents[prefixOf]?.length} bytes of version ${prefixOf}`;
  return 'none of the versions written';
}

/** What is wrong with the file holding `got` (undefined: absent), given `versions` and the promises; undefined if nothing. */
export function judgeContent(versions: Versions, durable: boolean, got: string | undefined): string | undefined {
  const last = versions.acknowledged + (versions.inFlight ? 1 : 0);
  const allowedFrom = durable ? versions.acknowledged : 0;
  if (got === undefined) return `the file is gone (version ${versions.acknowledged} expected${versions.inFlight ? ` or version ${versions.acknowledged + 1}` : ''})`;
  const index = versions.contents.findIndex((c, i) => i <= last && c === got);
  if (index < 0) return `not atomic: the file holds ${quoteContent(got)}: ${whatItIs(versions.contents, got)}`;
  if (index < allowedFrom) return `not durable: the file holds version ${index}, but replace #${versions.acknowledged} (version ${versions.acknowledged}) had resolved`;
  return undefined;
}
