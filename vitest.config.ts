import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    alias: { '@switchboard/shared': fileURLToPath(new URL('./packages/shared/src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['apps/*/test/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/web/e2e/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    globalSetup: ['apps/server/test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 90_000,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    // `npm test` (scripts/test.mjs) names one report per phase and sums them into this one.
    outputFile: { json: 'test-results/results.json' },
  },
});
