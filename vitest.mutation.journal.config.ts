import { defineConfig } from 'vitest/config';

/**
 * The test command Stryker runs against each mutant of impl/journal (stryker.journal.config.json):
 * the journal property suite only (the trace against the model, crashes, ambiguous writes), so the mutation score measures what the PROPERTIES catch, not what hand-written unit tests
 * catch.
 */
export default defineConfig({
  test: {
    include: ['properties/journal/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
