/**
 * Benchmark: crash-state exploration of the message spool. Every workload of up to N message
 * spool operations (default 2), every crash point and crash state under each persistence profile,
 * each reopened by a new spool process and checked: workloads, crash points, distinct states,
 * states checked, re-deliveries (at-least-once, expected), time and states per second. Prints
 * figures; asserts nothing (a violation would throw: the real implementation must pass).
 *
 * Usage: npx tsx bench/message-crash-states.ts [maxOps]
 */
import { exhaustiveCrashCheck } from '../crash-tests/message-spool/suite.ts';

/** Runs the benchmark and prints a table. */
export async function benchMessageCrashStates(maxOps: number, print: (line: string) => void): Promise<void> {
  print(`message spool crash states, every workload of up to ${maxOps} operations, every profile`);
  const started = performance.now();
  const figures = await exhaustiveCrashCheck(maxOps, {});
  const seconds = (performance.now() - started) / 1000;
  print('profile        workloads  explored  crash points  distinct states  checked  re-deliveries');
  let checked = 0;
  for (const f of figures) {
    checked += f.checkedStates;
    print(
      `${f.profile.padEnd(13)}  ${String(f.workloads).padStart(9)}  ${String(f.explored).padStart(8)}  ${String(f.crashPoints).padStart(12)}  ${String(f.distinctStates).padStart(15)}  ${String(f.checkedStates).padStart(7)}  ${String(f.redeliveries).padStart(13)}`,
    );
  }
  print(`${checked} states checked in ${seconds.toFixed(1)} s (${Math.round(checked / seconds)} states/s, including running the workloads; goal: 5000 states/s)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchMessageCrashStates(Number(process.argv[2] ?? 2), (l) => console.log(l));
}
