import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One file at a time: live-capture tests sniff the shared loopback (another file's nmap or
    // hping3 run would show up in their counts) and the timing tests want the cores to themselves.
    pool: 'forks',
    fileParallelism: false,
  },
});
