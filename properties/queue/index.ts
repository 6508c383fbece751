/**
 * The `queue` suite: any multispool-like queue (a target with a `QueueAdapter`), checked through
 * its API alone, so it applies to a user's queue with any directory layout as much as to ours.
 */
import type { PropertyDef } from '../suite.ts';
import { QUEUE_CRASH_PROPERTIES } from './crash.ts';
import { queueFaults } from './faults.ts';
import { readerNeverSleeps } from './reader.ts';
import { sequential } from './sequential.ts';
import { twoProcesses, twoProcessesKill } from './two-processes.ts';

/** The queue suite, in the order the CLI runs it. */
export const QUEUE_PROPERTIES: readonly PropertyDef[] = [sequential, queueFaults, twoProcesses, twoProcessesKill, readerNeverSleeps, ...QUEUE_CRASH_PROPERTIES];
