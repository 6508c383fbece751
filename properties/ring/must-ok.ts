/**
 * The value of a ring call that a property's set-up needs to succeed; anything else is an error
 * that names the call and says what it answered.
 */
import type { RingResult } from '../../impl/ring/index.ts';

/** `r`'s value, or throws naming `what` and the answer. */
export function mustOk<T>(what: string, r: RingResult<T>): T {
  if (r.kind !== 'ok') throw new Error(`${what}: ${JSON.stringify(r)}`);
  return r.value;
}
