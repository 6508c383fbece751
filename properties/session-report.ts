/**
 * How the adapter properties report a failed session: what went wrong, then every step so far
 * with what the implementation answered, so that a counterexample reads as a session. Shared by
 * the queue, ring and race properties that check a target through its adapter.
 */

/** The text of a thrown value: its message when it is an Error. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The message of a failed session: `message`, then every line of `log`. */
export function sessionError(message: string, log: readonly string[]): string {
  return [message, 'session:', ...(log.length === 0 ? ['  (no step yet)'] : log.map((l) => `  ${l}`))].join('\n');
}

/** Runs one call of the implementation; an exception becomes a session error naming the call. */
export async function sessionCall<T>(label: string, log: readonly string[], f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw new Error(sessionError(`${label} threw: ${errorText(err)}`, log), { cause: err });
  }
}
