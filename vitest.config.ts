import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Vitest's order (on a clean clone, larger files first), except that the type check
 * (tests/typecheck.test.ts, a compiler run of about 20 s) starts first: started last, it would
 * run alone at the end while the other worker waits.
 */
class TypecheckFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (f: TestSpecification): number => (f.moduleId.endsWith('/tests/typecheck.test.ts') ? 0 : 1);
    return [...sorted].sort((a, b) => first(a) - first(b));
  }
}

export default defineConfig({
  test: {
    include: ['model/**/*.test.ts', 'impl/**/*.test.ts', 'sim/**/*.test.ts', 'properties/**/*.test.ts', 'crash-tests/**/*.test.ts', 'cli/**/*.test.ts', 'targets/**/*.test.ts', 'tests/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    sequence: { sequencer: TypecheckFirst },
    pool: 'forks',
    isolate: false,
    // Vitest's default is one worker fewer than the cores: one on the 2-core machines this runs on.
    maxWorkers: 2,
    // Node itself must load the example's own node:fs code (not vitest's transform), so that
    // spoolcheck's module hooks route its node:fs imports to the simulated disk.
    server: { deps: { external: [/\/examples\/atomic-writer\/src\//] } },
  },
});
