/** The journal's specification as a trace check (SPEC 4). */
export { checkJournalDrained, checkJournalTrace, type JournalEvent, type JournalTiming } from './trace.ts';
