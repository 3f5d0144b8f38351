import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'widget/test/**/*.test.ts', 'console/test/**/*.test.ts'],
    // Browser and multi-process tests start servers and Chromium; give them room, never retries.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
});
