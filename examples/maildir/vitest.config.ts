/**
 * Runs this example's tests (the repository's own vitest config does not include examples/):
 *   npx vitest run --config examples/maildir/vitest.config.ts
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.test.ts'],
  },
});
