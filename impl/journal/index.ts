/** The journal (docs/journal-protocol.md): at-least-once ordered operations on a block ring. */
export { Journal, type JournalOptions, type OpCodec, type PerformResult, type Waiter } from './journal.ts';
export type { JournalQuirks } from './quirks.ts';
