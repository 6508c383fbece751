/** The `message-spool` suite: every property, in the order the CLI runs them. */
import { MESSAGE_CRASH_PROPERTIES } from '../../crash-tests/message-spool/suite.ts';
import type { PropertyDef } from '../suite.ts';
import { messageModelVsImpl } from './model-vs-impl.ts';
import { lockExclusive, twoProcesses } from './two-processes.ts';

/** The message spool properties. */
export const MESSAGE_SPOOL_PROPERTIES: readonly PropertyDef[] = [messageModelVsImpl, twoProcesses, lockExclusive, ...MESSAGE_CRASH_PROPERTIES];
