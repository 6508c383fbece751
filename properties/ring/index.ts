/** The `ring` suite: the block ring's properties, in the order the CLI runs them. */
import type { PropertyDef } from '../suite.ts';
import { RING_CRASH_PROPERTIES } from './crash-property.ts';
import { ringGarbageHeader } from './garbage-header.ts';
import { ringHandshake } from './handshake.ts';
import { ringModelVsImpl } from './model-vs-impl.ts';

/** The ring properties. */
export const RING_PROPERTIES: readonly PropertyDef[] = [ringModelVsImpl, ringHandshake, ringGarbageHeader, ...RING_CRASH_PROPERTIES];
