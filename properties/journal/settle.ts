/**
 * Lets a journal's background loop run (its performs and releases, each a few promise turns and
 * timer-free) until it waits again: the journal properties call it between their steps.
 */
export async function settleJournal(): Promise<void> {
  for (let i = 0; i < 12; i++) await new Promise<void>((r) => setImmediate(r));
}

/** A promise's fate, watched without awaiting it. */
export interface Watched {
  state: 'pending' | 'resolved' | 'rejected';
  error?: unknown;
}

/** Watches `p` (marking its rejection handled). */
export function watch(p: Promise<unknown>): Watched {
  const w: Watched = { state: 'pending' };
  p.then(
    () => {
      w.state = 'resolved';
    },
    (err: unknown) => {
      w.state = 'rejected';
      w.error = err;
    },
  );
  return w;
}

/** Rounds of {@link settleJournal} the journal properties grant a call to settle: far more than a journal on a memory device needs. */
export const SETTLE_ROUNDS = 20;

/**
 * Lets the journal's loop run until `p` has settled, for at most `rounds` rounds of
 * {@link settleJournal}: far more than a journal on a memory device needs, and no wall-clock wait.
 * Whether it settled; a journal that leaves it pending would hang a test that awaited it.
 */
export async function settlesWithin(p: Promise<unknown>, rounds = SETTLE_ROUNDS): Promise<boolean> {
  const w = watch(p);
  for (let i = 0; i < rounds && w.state === 'pending'; i++) await settleJournal();
  return w.state !== 'pending';
}
