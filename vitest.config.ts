import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['model/**/*.test.ts', 'impl/**/*.test.ts', 'sim/**/*.test.ts', 'properties/**/*.test.ts', 'crash-tests/**/*.test.ts', 'cli/**/*.test.ts', 'targets/**/*.test.ts', 'tests/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    isolate: false,
    // Vitest's default is one worker fewer than the cores: one on the 2-core machines this runs on.
    maxWorkers: 2,
    // Node itself must load the example's own node:fs code (not vitest's transform), so that
    // spoolcheck's module hooks route its node:fs imports to the simulated disk.
    server: { deps: { external: [/\/examples\/atomic-writer\/src\//] } },
  },
});
