/**
 * `npm run bench`: every benchmark, one after the other, printing figures (not tests: nothing
 * here passes or fails except on a crash of the harness itself).
 */
import { benchCrashStates } from './crash-states.ts';

await benchCrashStates(3, (line) => console.log(line));
