/**
 * The `journal` suite: the journal on the block ring against its trace model (ours only), and any
 * journal with a `JournalAdapter` under power cuts, an ambiguous device write and device errors.
 */
import type { PropertyDef } from '../suite.ts';
import { journalAmbiguousWrite } from './ambiguous-write.ts';
import { journalCrash } from './crash-property.ts';
import { journalDeviceErrors } from './device-errors.ts';
import { journalConcurrentPushes } from './concurrent-pushes.ts';
import { journalStartValidation } from './start-validation.ts';
import { journalTrace } from './trace-property.ts';

/** The journal suite, in the order the CLI runs it. */
export const JOURNAL_PROPERTIES: readonly PropertyDef[] = [journalTrace, journalCrash, journalAmbiguousWrite, journalDeviceErrors, journalStartValidation, journalConcurrentPushes];
