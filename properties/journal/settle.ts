/**
 * Lets a journal's background loop run (its performs and releases, each a few promise turns and
 * timer-free) until it waits again: the journal properties call it between their steps.
 */
export async function settleJournal(): Promise<void> {
  for (let i = 0; i < 12; i++) await new Promise<void>((r) => setImmediate(r));
}
