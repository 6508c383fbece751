/**
 * The lexicographic-time-order name generator keeps its documented format
 * (`docs/multispool-protocol.md`, "Lexicographic-time-order names"): `next(attempt)` is
 * `<clock ms, 15 digits>_<sequence, 16 digits>_<attempt, 6 digits>`, the sequence counting the
 * calls with attempt 0 from 0 on; and string order is creation order (docs/multispool-protocol.md).
 */
import fc from 'fast-check';
import { manualClock } from '../../impl/io/clock.ts';
import { lexicographicTimeOrder } from '../../impl/multispool/index.ts';
import { builtinOf, type PropertyDef, type RunContext } from '../suite.ts';
import { START_MS } from './test-spoolable.ts';

/** The documented shape of a name. */
const NAME_FORMAT = /^(\d{15})_(\d{16})_(\d{6})$/;

/** One `reserve`'s use of the generator: the clock moves by `advanceMs`, then `next(0)` .. `next(attempts - 1)`. */
interface Reservation {
  readonly advanceMs: number;
  readonly attempts: number;
}

const reservationArb: fc.Arbitrary<Reservation> = fc.record({
  advanceMs: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2_000 }) }),
  attempts: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: 9, max: 12 }) }),
});

/** Names from `lexicographicTimeOrder(clock)` have the documented format and sort in creation order. */
export const nameFormat: PropertyDef = {
  suite: 'multispool',
  requires: ['builtin'],
  name: 'name-format',
  description:
    'lexicographicTimeOrder names are <15-digit ms>_<16-digit sequence from 0>_<6-digit attempt> of the clock and the call, and sort in creation order',
  defaultRuns: 2000,
  testRuns: 200,
  build: (ctx: RunContext) =>
    fc.property(
      fc.oneof(fc.constant(START_MS), fc.integer({ min: 0, max: 999_999_999_000_000 })),
      fc.array(reservationArb, { minLength: 1, maxLength: 14 }),
      (startMs, reservations) => {
        const clock = manualClock(startMs);
        const gen = lexicographicTimeOrder(clock, builtinOf(ctx).multispool);
        const made: string[] = [];
        reservations.forEach((r, sequence) => {
          clock.advance(r.advanceMs);
          for (let attempt = 0; attempt < r.attempts; attempt++) {
            const name = gen.next(attempt);
            const call = `reservation #${sequence} next(${attempt}) at clock ${clock.now()}`;
            const parts = NAME_FORMAT.exec(name);
            if (parts === null) throw new Error(`${call} gave ${JSON.stringify(name)}, not <15 digits>_<16 digits>_<6 digits>`);
            const [, ms, seq, att] = parts;
            if (Number(ms) !== clock.now()) throw new Error(`${call} gave ${JSON.stringify(name)}: its time part is not the clock's ${clock.now()}`);
            if (Number(seq) !== sequence) {
              throw new Error(`${call} gave ${JSON.stringify(name)}: its sequence part should be ${sequence} (the number of earlier calls with attempt 0)`);
            }
            if (Number(att) !== attempt) throw new Error(`${call} gave ${JSON.stringify(name)}: its attempt part should be ${attempt}`);
            const previous = made[made.length - 1];
            if (previous !== undefined && !(previous < name)) {
              throw new Error(`${call} gave ${JSON.stringify(name)}, which does not sort after the previous name ${JSON.stringify(previous)}`);
            }
            made.push(name);
          }
        });
      },
    ) as unknown as fc.IProperty<never>,
};
