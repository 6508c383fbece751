import { defineConfig } from 'vitest/config';

/**
 * The test command Stryker runs against each mutant of one impl/ folder (stryker.config.mjs; the
 * folder comes from SPOOLCHECK_MUTATION, multispool by default): that folder's property suites
 * only (side by side with the model, crashes, races where they are in the suite's files), so the
 * mutation score measures what the PROPERTIES catch, not what hand-written unit tests catch.
 */
const SUITES: Readonly<Record<string, readonly string[]>> = {
  multispool: ['properties/multispool.test.ts'],
  ring: ['properties/ring/*.test.ts'],
  journal: ['properties/journal/*.test.ts'],
  'message-spool': ['properties/message-spool.test.ts', 'properties/message-spool/*.test.ts', 'crash-tests/message-spool/*.test.ts'],
};

const folder = process.env['SPOOLCHECK_MUTATION'] ?? 'multispool';
const include = SUITES[folder];
if (include === undefined) throw new Error(`SPOOLCHECK_MUTATION=${folder}: no such folder; one of ${Object.keys(SUITES).join(', ')}`);

export default defineConfig({
  test: {
    include: [...include],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
