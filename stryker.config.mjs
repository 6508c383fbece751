// Mutation testing of one impl/ folder at a time: SPOOLCHECK_MUTATION names it (multispool by
// default; the npm scripts mutation:multispool, :ring, :journal, :message-spool set it). Each
// mutant is judged by that folder's property suites only (vitest.mutation.config.ts reads the same
// variable), so the score measures what the PROPERTIES catch. The ring and journal scripts also
// set SPOOLCHECK_BUDGET=default: each property then runs its default budget and seed, as in
// `npm start`, so a mutant counts as caught exactly when `npm start` would catch it. Reports go
// to reports/mutation/<folder>/.
const folder = process.env.SPOOLCHECK_MUTATION ?? 'multispool';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [`impl/${folder}/**/*.ts`, `!impl/${folder}/**/*.test.ts`, `!impl/${folder}/test-support.ts`, `!impl/${folder}/quirks.ts`, `!impl/${folder}/index.ts`],
  coverageAnalysis: 'perTest',
  // Stryker rewrites the tsconfig file's paths that point outside its sandbox, parsing it with the
  // TypeScript 5 API, which TypeScript 7 (the compiler here) no longer has. tsconfig.json points
  // nowhere outside the project, so there is nothing to rewrite: naming no file skips the step.
  tsconfigFile: 'no-tsconfig-to-rewrite.json',
  concurrency: 2,
  timeoutMS: 30000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${folder}/index.html` },
  jsonReporter: { fileName: `reports/mutation/${folder}/mutation.json` },
  thresholds: { high: 90, low: 85, break: null },
};
