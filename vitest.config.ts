import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Live-capture and server tests share loopback and ports; files run one at a time per worker.
    pool: 'forks',
    maxWorkers: 2,
  },
});
