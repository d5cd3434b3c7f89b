import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources; the suite must stay well under 10 minutes on 2 cores.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
