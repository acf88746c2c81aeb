import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts?(x)', 'apps/*/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
