import { defineConfig } from 'vitest/config';

/**
 * The test command Stryker runs against each mutant of impl/multispool: the multispool property
 * suite only (side by side with the model), so the mutation score measures what the PROPERTIES
 * catch, not what hand-written unit tests catch.
 */
export default defineConfig({
  test: {
    include: ['properties/multispool.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
