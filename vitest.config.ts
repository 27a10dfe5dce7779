/**
 * Two projects: `unit` (*.test.ts beside the code, no servers) and `integration`
 * (*.int.test.ts against a real Kafka broker and the real ClickHouse engine). Integration
 * files run in separate processes because embedded chDB allows one data directory per process.
 */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // In CI a JSON report is written too, from which .ci/run prints one closing summary line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.test-results/vitest.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['services/*/src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['services/*/src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
