/**
 * The `log` suite: code that appends records and gives them back when opened again (a target
 * with an `AppendLogAdapter`), usually an unmodified npm package on the simulated disk through
 * the node:fs facade.
 */
import type { PropertyDef } from '../suite.ts';
import { LOG_CRASH_PROPERTIES } from './crash.ts';
import { logFaults } from './faults.ts';

/** The log suite, in the order the CLI runs it. */
export const LOG_PROPERTIES: readonly PropertyDef[] = [logFaults, ...LOG_CRASH_PROPERTIES];
