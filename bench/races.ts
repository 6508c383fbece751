/**
 * Benchmark: the races suite. For each race property, interleavings (runs) explored per second
 * on the real implementation; for each race variant, how many interleavings its catcher needs to
 * find it, over 11 seeds (median, min, max). Prints figures; asserts nothing.
 *
 * Usage: npx tsx bench/races.ts
 */
import { RACES_PROPERTIES } from '../properties/races/multispool-races.ts';
import { PROPERTIES } from '../properties/registry.ts';
import { runProperty } from '../properties/suite.ts';
import { VARIANTS } from '../properties/variants.ts';

/** Runs the benchmark and prints two tables. */
export async function benchRaces(print: (line: string) => void): Promise<void> {
  print('races: interleavings explored per second (real implementation, 200 runs each)');
  for (const p of RACES_PROPERTIES) {
    const started = performance.now();
    const o = await runProperty(p, { seed: 7, numRuns: 200 }, () => performance.now());
    const ms = performance.now() - started;
    print(`  ${p.name.padEnd(24)} ${o.verdict}  ${Math.round(o.runs / (ms / 1000))} interleavings/s`);
  }
  print('races: interleavings needed to find each variant (11 seeds)');
  for (const v of VARIANTS.filter((x) => x.available && x.suites.includes('races'))) {
    const catcher = PROPERTIES.find((p) => p.suite === 'races' && (v.caughtBy === `races/${p.name}` || (v.caughtBy?.startsWith('ring/') === true && p.name === 'ring-producer-consumer')));
    if (catcher === undefined) continue;
    const needed: number[] = [];
    for (let seed = 1; seed <= 11; seed++) {
      const o = await runProperty(catcher, { seed, numRuns: 2_000, variant: v }, () => performance.now());
      needed.push(o.verdict === 'fails' ? o.runs : Number.POSITIVE_INFINITY);
    }
    needed.sort((a, b) => a - b);
    print(`  ${v.id.padEnd(5)} by ${catcher.name.padEnd(24)} median ${needed[5]}, min ${needed[0]}, max ${needed[10]} (of at most 2,000)`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchRaces((l) => console.log(l));
}
