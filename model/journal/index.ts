/** The journal's specification as a trace check (docs/journal-protocol.md). */
export { checkJournalDrained, checkJournalTrace, type JournalEvent, type JournalTiming } from './trace.ts';
