import { defineConfig } from 'vitest/config';

/**
 * The test command Stryker runs against each mutant of impl/ring (stryker.ring.config.json):
 * the ring property suite only (side by side with the model, crashes, garbage, adapters), so the mutation score measures what the PROPERTIES catch, not what hand-written unit tests
 * catch.
 */
export default defineConfig({
  test: {
    include: ['properties/ring/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
