/**
 * The `file` suite: code that replaces a file's content (a target with a `FileWriterAdapter`),
 * usually an unmodified npm package on the simulated disk through the node:fs facade.
 */
import type { PropertyDef } from '../suite.ts';
import { ATOMIC_REPLACE_PROPERTIES } from './atomic-replace.ts';
import { diskFull, ioError } from './faults.ts';

/** The file suite, in the order the CLI runs it. */
export const FILE_PROPERTIES: readonly PropertyDef[] = [diskFull, ioError, ...ATOMIC_REPLACE_PROPERTIES];
