/**
 * Benchmark: crash-state exploration of the multispool. For every workload of up to N operations
 * (default 3) and every persistence profile: how many crash points and distinct crash states,
 * how many were checked per second, and how long it took. Prints figures; asserts nothing.
 *
 * Usage: npx tsx bench/crash-states.ts [maxOps]
 */
import { allWorkloads, MAX_SUBSETS, SAMPLES } from '../crash-tests/multispool/suite.ts';
import { crashCheckWorkload, imageFactsMemo } from '../crash-tests/multispool/crash-check.ts';
import { seededRandom } from '../sim/crash/prng.ts';
import { PROFILES } from '../sim/crash/profiles.ts';

/** Runs the benchmark and prints a table. */
export async function benchCrashStates(maxOps: number, print: (line: string) => void): Promise<void> {
  print(`crash-state exploration, every workload of 0..${maxOps} operations (exhaustive up to ${MAX_SUBSETS} states per crash point, else ${SAMPLES} samples)`);
  print('profile        ops  workloads  crash points  states considered  distinct states  sampled points  time     states/s');
  for (const profile of PROFILES) {
    // As the bounded-exhaustive property does: a disk met again in a later workload is judged from
    // the facts learnt the first time (one memo per profile here, so each profile's figure stands alone).
    const memo = imageFactsMemo();
    let totalStates = 0;
    let totalMs = 0;
    for (let size = 0; size <= maxOps; size++) {
      const workloads = allWorkloads(size).filter((w) => w.length === size);
      let points = 0;
      let considered = 0;
      let distinct = 0;
      let sampled = 0;
      const started = performance.now();
      for (const workload of workloads) {
        const r = await crashCheckWorkload(workload, profile, {}, { maxSubsetsPerPoint: MAX_SUBSETS, samplesPerPoint: SAMPLES, random: seededRandom(1) }, memo);
        if (r.failure !== undefined) throw new Error(`the real implementation failed: ${workload.join(', ')} under ${profile.name}`);
        points += r.stats.crashPoints;
        considered += r.stats.statesConsidered;
        distinct += r.checked;
        sampled += r.stats.sampledPoints;
      }
      const ms = performance.now() - started;
      totalStates += distinct;
      totalMs += ms;
      print(
        `${profile.name.padEnd(14)} ${String(size).padStart(3)}  ${String(workloads.length).padStart(9)}  ${String(points).padStart(12)}  ${String(considered).padStart(17)}  ${String(distinct).padStart(15)}  ${String(sampled).padStart(14)}  ${`${(ms / 1000).toFixed(2)} s`.padStart(7)}  ${String(Math.round(distinct / (ms / 1000))).padStart(8)}`,
      );
    }
    print(
      `${profile.name.padEnd(14)} all  ${totalStates} distinct states checked in ${(totalMs / 1000).toFixed(1)} s: ${Math.round(totalStates / (totalMs / 1000))} states/s ` +
        `(${memo.facts.misses} distinct disks inspected, ${memo.verdicts.misses} distinct verdicts; goal: 20000 states/s)`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const maxOps = Number(process.argv[2] ?? 3);
  if (!Number.isInteger(maxOps) || maxOps < 0 || maxOps > 5) {
    console.error('usage: tsx bench/crash-states.ts [maxOps 0..5]');
    process.exit(2);
  }
  await benchCrashStates(maxOps, (l) => console.log(l));
}
