/**
 * Entry names (docs/multispool-protocol.md): `reserve`, which claims a fresh name with an exclusive create of its
 * registry file, and the lexicographic-time-order generator for tests.
 */
import type { Clock } from '../io/clock.ts';
import { isVfsError } from '../io/vfs.ts';
import type { SpoolContext } from './context.ts';
import { SpoolError, toSpoolError, vfsStep } from './errors.ts';
import { validateName } from './layout.ts';
import type { NameGenerator } from './spoolable.ts';
import type { MultispoolQuirks } from './quirks.ts';
import { fsyncDir, touch } from './steps.ts';

/** The default number of name clashes `reserve` accepts before failing with `namesExhausted`. */
export const DEFAULT_MAX_RESERVE_ATTEMPTS = 10_000;

/**
 * Creates `S/.registry/name`; false when the name is taken. The single place of quirk MS-4
 * (`reserveWithoutExclusive`): with it, the name is checked with `stat` and then created without
 * O_EXCL, so two racing reservers can both get it.
 */
async function claim<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, path: string): Promise<boolean> {
  const { vfs } = ctx;
  // Stryker disable all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
  if (ctx.quirks.reserveWithoutExclusive === true) {
    try {
      await vfs.stat(path);
      return false;
    } catch (err) {
      if (!isVfsError(err, 'ENOENT')) throw toSpoolError(err, 'reserve', path);
    }
    const file = await vfsStep('reserve', path, () => vfs.open(path, { write: true, create: true }));
    await vfsStep('close', path, () => file.close());
    return true;
  }
  // Stryker restore all
  try {
    const file = await vfs.open(path, { write: true, create: true, exclusive: true });
    await vfsStep('close', path, () => file.close());
    return true;
  } catch (err) {
    if (isVfsError(err, 'EEXIST')) return false;
    throw toSpoolError(err, 'reserve', path);
  }
}

/**
 * `reserve(gen)`: for attempt = 0, 1, ...: `name = gen.next(attempt)` (invalid → `invalidName`);
 * exclusive create of `S/.registry/name` (EEXIST → next attempt, other failures → `io`). On
 * success: touch it, `fsyncDir(S/.registry)`, return the name. After `ctx.maxReserveAttempts`
 * clashes → `namesExhausted`.
 */
export async function reserveName<Q extends string, M, D>(ctx: SpoolContext<Q, M, D>, gen: NameGenerator): Promise<string> {
  for (let attempt = 0; attempt < ctx.maxReserveAttempts; attempt++) {
    const name = validateName(gen.next(attempt), `name generator (attempt ${attempt}) gave`, ctx.layout.registryDir);
    const path = ctx.layout.registryFile(name);
    if (await claim(ctx, path)) {
      await touch(ctx, path);
      await fsyncDir(ctx, ctx.layout.registryDir);
      return name;
    }
  }
  throw new SpoolError(
    'namesExhausted',
    `reserve found no free name in ${ctx.layout.registryDir} after ${ctx.maxReserveAttempts} attempts`,
    { path: ctx.layout.registryDir },
  );
}

/**
 * A name generator whose names sort (as strings) in creation order:
 * `next(attempt)` = `<clock.now() ms, 15 digits>_<sequence, 16 digits>_<attempt, 6 digits>`, where
 * the sequence counts the calls with attempt 0 (`firstSequence`, default 0, on the first call: a
 * generator that goes on from where a long-running one was). Zero padding is
 * what makes string order equal creation order (docs/multispool-protocol.md); 16 digits hold every
 * count a JavaScript number keeps exactly (with 9, two names of one millisecond on either side of the billionth did not sort). Quirk SEQ-3 (`unpaddedNames`) drops the
 * padding.
 */
export function lexicographicTimeOrder(clock: Clock, quirks: MultispoolQuirks = {}, firstSequence = 0): NameGenerator {
  let sequence = firstSequence - 1;
  return {
    next(attempt: number): string {
      if (attempt === 0) sequence++;
      const pad = (n: number, width: number): string => {
        const digits = String(Math.max(0, Math.floor(n)));
        // Stryker disable next-line all: quirk branch (a deliberate bug of a buggy variant), not product behaviour
        if (quirks.unpaddedNames === true) return digits;
        return digits.padStart(width, '0');
      };
      return `${pad(clock.now(), 15)}_${pad(Math.max(sequence, 0), 16)}_${pad(attempt, 6)}`;
    },
  };
}
