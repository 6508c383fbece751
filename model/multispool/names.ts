/**
 * Entry names: which names are valid, and where candidate names come from.
 */

/**
 * A valid entry name is a single, visible path component: non-empty, without `/` or NUL, and not
 * starting with `.` (so it can never be `.`, `..`, `.checkout`, `.registry`, ...).
 */
export function isValidName(name: string): boolean {
  return name.length > 0 && !name.includes('/') && !name.includes('\0') && !name.startsWith('.');
}

/**
 * Yields candidate names: `reserve` asks `next(0)`, and after each clash `next(1)`, `next(2)`, ...
 * Structurally the same as the implementation's `NameGenerator`; for the model `next` must be a
 * pure function of `attempt` (the same attempt always gives the same name).
 */
export interface NameSource {
  next(attempt: number): string;
}
