import { defineConfig } from 'vitest/config';

// Engine tests run in Node on tfjs's wasm/cpu backends with tiny models.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
