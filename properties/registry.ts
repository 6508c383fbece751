/**
 * Every suite the harness knows, in the order the CLI runs them. Later systems add their
 * properties here (crash, kill, ring, journal, races, message-spool).
 */
import type { PropertyDef } from './suite.ts';
import { MULTISPOOL_PROPERTIES } from './multispool/index.ts';
import { CRASH_PROPERTIES } from '../crash-tests/multispool/suite.ts';
import { KILL_PROPERTIES } from '../crash-tests/kill/suite.ts';
import { JOURNAL_PROPERTIES } from './journal/trace-property.ts';
import { RING_PROPERTIES } from './ring/index.ts';
import { RACES_PROPERTIES } from './races/multispool-races.ts';
import { MESSAGE_SPOOL_PROPERTIES } from './message-spool/index.ts';

/** All properties of all suites. */
export const PROPERTIES: readonly PropertyDef[] = [...MULTISPOOL_PROPERTIES, ...CRASH_PROPERTIES, ...KILL_PROPERTIES, ...RACES_PROPERTIES, ...RING_PROPERTIES, ...JOURNAL_PROPERTIES, ...MESSAGE_SPOOL_PROPERTIES];

/** The suite names, in order of first appearance. */
export function suiteNames(): string[] {
  return [...new Set(PROPERTIES.map((p) => p.suite))];
}

/** The properties of one suite (empty for an unknown suite). */
export function propertiesOf(suite: string): PropertyDef[] {
  return PROPERTIES.filter((p) => p.suite === suite);
}
