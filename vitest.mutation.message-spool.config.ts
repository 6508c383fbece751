import { defineConfig } from 'vitest/config';

/**
 * The test command Stryker runs against each mutant of impl/message-spool (stryker.message-spool.config.json):
 * the message spool property and crash suites only, so the mutation score measures what the PROPERTIES catch, not what hand-written unit tests
 * catch.
 */
export default defineConfig({
  test: {
    include: ['properties/message-spool.test.ts', 'properties/message-spool/*.test.ts', 'crash-tests/message-spool/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
