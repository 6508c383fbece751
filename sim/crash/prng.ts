/**
 * A small deterministic pseudo-random generator (mulberry32) for the crash explorer's sampling.
 * Its seed always comes from fast-check, so sampled crash states replay with the property.
 *
 * Fault contract, in plain words: none; this only turns a seed into a reproducible stream.
 */

/** A generator of uniform numbers in [0, 1) from a 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
