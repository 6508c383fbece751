/**
 * Every suite the harness knows, in the order the CLI runs them: the one place suites are
 * registered (properties/ and crash-tests/ define them and never import this).
 */
import type { PropertyDef } from '../properties/suite.ts';
import { MULTISPOOL_PROPERTIES } from '../properties/multispool/index.ts';
import { CRASH_PROPERTIES } from '../crash-tests/multispool/suite.ts';
import { KILL_PROPERTIES } from '../crash-tests/kill/suite.ts';
import { JOURNAL_PROPERTIES } from '../properties/journal/index.ts';
import { RING_PROPERTIES } from '../properties/ring/index.ts';
import { RACES_PROPERTIES } from '../properties/races/multispool-races.ts';
import { MESSAGE_SPOOL_PROPERTIES } from '../properties/message-spool/index.ts';
import { MESSAGE_CRASH_PROPERTIES } from '../crash-tests/message-spool/suite.ts';
import { QUEUE_PROPERTIES } from '../properties/queue/index.ts';
import { FILE_PROPERTIES } from '../properties/file/index.ts';
import { LOCK_PROPERTIES } from '../properties/lock/exclusive.ts';
import { LOG_PROPERTIES } from '../properties/log/index.ts';

/** All properties of all suites. */
export const PROPERTIES: readonly PropertyDef[] = [...MULTISPOOL_PROPERTIES, ...CRASH_PROPERTIES, ...KILL_PROPERTIES, ...RACES_PROPERTIES, ...RING_PROPERTIES, ...JOURNAL_PROPERTIES, ...MESSAGE_SPOOL_PROPERTIES, ...MESSAGE_CRASH_PROPERTIES, ...QUEUE_PROPERTIES, ...FILE_PROPERTIES, ...LOCK_PROPERTIES, ...LOG_PROPERTIES];

/** The suite names, in order of first appearance. */
export function suiteNames(): string[] {
  return [...new Set(PROPERTIES.map((p) => p.suite))];
}
