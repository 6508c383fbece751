/**
 * `npm run bench`: every benchmark, one after the other, printing figures (not tests: nothing
 * here passes or fails except on a crash of the harness itself).
 */
import { benchCrashStates } from './crash-states.ts';
import { benchLinearizability } from './linearizability.ts';
import { benchMessageCrashStates } from './message-crash-states.ts';
import { benchMultispoolDisk } from './multispool-disk.ts';
import { benchRaces } from './races.ts';
import { benchRingThroughput } from './ring-throughput.ts';

const print = (line: string): void => console.log(line);
await benchCrashStates(3, print);
print('');
await benchRingThroughput(print);
print('');
await benchMultispoolDisk(print);
print('');
await benchRaces(print);
print('');
benchLinearizability(print);
print('');
await benchMessageCrashStates(2, print);
