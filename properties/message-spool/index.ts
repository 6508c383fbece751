/** The `message-spool` suite: every property, in the order the CLI runs them. */
import type { PropertyDef } from '../suite.ts';
import { messageModelVsImpl } from './model-vs-impl.ts';
import { lockExclusive, twoProcesses } from './two-processes.ts';

/** The message spool properties. */
export const MESSAGE_SPOOL_PROPERTIES: readonly PropertyDef[] = [messageModelVsImpl, twoProcesses, lockExclusive];
