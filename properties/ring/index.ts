/**
 * The `ring` suite: our block ring's properties (they know its format: `builtin`), then the ones
 * any ring with a `RingAdapter` can be checked by, in the order the CLI runs them.
 */
import type { PropertyDef } from '../suite.ts';
import { adapterFifo } from './adapter-fifo.ts';
import { RING_ADAPTER_CUT_PROPERTIES } from './adapter-power-cut.ts';
import { RING_CRASH_PROPERTIES } from './crash-property.ts';
import { ringAttachValidation } from './attach-validation.ts';
import { ringGarbageControl } from './garbage-control.ts';
import { ringGarbageHeader } from './garbage-header.ts';
import { adapterAmbiguousWrite } from './adapter-ambiguous-write.ts';
import { adapterDeviceErrors } from './adapter-device-errors.ts';
import { ringHandshake } from './handshake.ts';
import { ringModelVsImpl } from './model-vs-impl.ts';

/** The ring properties. */
export const RING_PROPERTIES: readonly PropertyDef[] = [ringModelVsImpl, ringHandshake, ringGarbageHeader, ringGarbageControl, ringAttachValidation, ...RING_CRASH_PROPERTIES, adapterFifo, ...RING_ADAPTER_CUT_PROPERTIES, adapterAmbiguousWrite, adapterDeviceErrors];
