/**
 * Benchmark: the races suite. For each race property, interleavings (runs) explored per second
 * on the real implementation (and, for `multispool-linearizable`, what its linearizability
 * checks cost); for each race variant and each race property that breaks it, how many
 * interleavings that property needs to find it, over 11 seeds (median, min, max). Run alone, it
 * also prints the linearizability checker's own figures (`bench/linearizability.ts`; `npm run
 * bench` prints those separately). Prints figures; asserts nothing.
 *
 * Usage: npx tsx bench/races.ts
 */
import { RACE_CHECK_MAX_STEPS, raceCheckStats } from '../properties/races/multispool-linearizable.ts';
import { RACES_PROPERTIES } from '../properties/races/multispool-races.ts';
import { runProperty, type PropertyDef } from '../properties/suite.ts';
import { findVariant } from '../properties/variants.ts';
import { benchLinearizability } from './linearizability.ts';
import { REAL_TARGET, variantTarget } from '../targets/builtin.ts';

/** Runs per property for the speed figures. */
const SPEED_RUNS = 200;
/** Seeds per (variant, property) pair. */
const SEEDS = 11;

/**
 * Which race property breaks which race variant, and at most how many interleavings to try per
 * seed (the variant's catalogued catcher first).
 */
const BREAKS: readonly { readonly variant: string; readonly property: string; readonly cap: number }[] = [
  { variant: 'MS-3', property: 'reader-never-sleeps', cap: 2_000 },
  { variant: 'MS-3', property: 'fifo-one-enqueuer', cap: 2_000 },
  { variant: 'MS-3', property: 'multispool-linearizable', cap: 1_000 },
  { variant: 'MS-4', property: 'enqueuers-distinct', cap: 2_000 },
  { variant: 'MS-4', property: 'multispool-linearizable', cap: 2_000 },
  { variant: 'SEQ-3', property: 'fifo-one-enqueuer', cap: 2_000 },
  { variant: 'RB-1', property: 'ring-producer-consumer', cap: 2_000 },
  { variant: 'RB-2', property: 'ring-producer-consumer', cap: 2_000 },
  { variant: 'RB-3', property: 'ring-producer-consumer', cap: 2_000 },
];

const byName = (name: string): PropertyDef | undefined => RACES_PROPERTIES.find((p) => p.name === name);

/** Runs the benchmark and prints two tables. */
export async function benchRaces(print: (line: string) => void): Promise<void> {
  print(`races: interleavings explored per second (real implementation, ${SPEED_RUNS} runs each, seed 7)`);
  for (const p of RACES_PROPERTIES) {
    const before = { ...raceCheckStats };
    const started = performance.now();
    const o = await runProperty(p, { seed: 7, numRuns: SPEED_RUNS, target: REAL_TARGET }, () => performance.now());
    const ms = performance.now() - started;
    print(`  ${p.name.padEnd(24)} ${o.verdict}  ${String(Math.round(o.runs / (ms / 1000))).padStart(5)} interleavings/s`);
    const checks = raceCheckStats.checks - before.checks;
    if (checks > 0) {
      const ops = (raceCheckStats.operations - before.operations) / checks;
      const steps = (raceCheckStats.steps - before.steps) / checks;
      print(
        `    linearizability checks: ${checks} histories, ${ops.toFixed(1)} operations and ${steps.toFixed(1)} search steps each on average, at most ${raceCheckStats.maxSteps} steps (budget ${RACE_CHECK_MAX_STEPS.toLocaleString('en-US')}; ${raceCheckStats.unknown - before.unknown} unknown)`,
      );
    }
  }
  print(`races: interleavings needed to find each race variant (${SEEDS} seeds; a miss counts as infinite)`);
  for (const { variant: id, property, cap } of BREAKS) {
    const variant = findVariant(id);
    const catcher = byName(property);
    if (variant === undefined || catcher === undefined) continue;
    const needed: number[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const o = await runProperty(catcher, { seed, numRuns: cap, target: variantTarget(variant) }, () => performance.now());
      needed.push(o.verdict === 'fails' ? o.runs : Number.POSITIVE_INFINITY);
    }
    needed.sort((a, b) => a - b);
    const show = (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? '∞' : String(n));
    const misses = needed.filter((n) => !Number.isFinite(n)).length;
    print(
      `  ${id.padEnd(5)} by ${property.padEnd(24)} median ${show(needed[Math.floor(SEEDS / 2)])}, min ${show(needed[0])}, max ${show(needed[SEEDS - 1])} (at most ${cap.toLocaleString('en-US')} per seed${misses > 0 ? `; missed on ${misses} seed(s)` : ''})`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchRaces((l) => console.log(l));
  console.log('');
  benchLinearizability((l) => console.log(l));
}
