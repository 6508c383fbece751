/** The `message-spool` suite: every property, in the order the CLI runs them. */
import type { PropertyDef } from '../suite.ts';
import { MAIL_CRASH_PROPERTIES } from './adapter-crash.ts';
import { adapterDelivery } from './adapter-delivery.ts';
import { adapterFaults } from './adapter-faults.ts';
import { batchFaults } from './batch-faults.ts';
import { messageModelVsImpl } from './model-vs-impl.ts';
import { lockGenerations } from './lock-generations.ts';
import { startupDamage } from './startup-damage.ts';
import { lockExclusive, twoProcesses } from './two-processes.ts';

/** The message spool properties of properties/ (its crash properties live in crash-tests/message-spool). */
export const MESSAGE_SPOOL_PROPERTIES: readonly PropertyDef[] = [messageModelVsImpl, twoProcesses, lockExclusive, lockGenerations, adapterDelivery, adapterFaults, batchFaults, startupDamage, ...MAIL_CRASH_PROPERTIES];
