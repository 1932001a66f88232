import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'adapters/*/src/**/*.test.ts',
      'host/src/**/*.test.ts',
      'host/web/src/**/*.test.ts',
      'scripts/**/*.test.ts',
      'examples/*/*.test.ts',
    ],
    pool: 'forks',
    // isolated-vm needs this flag on Node 20; the threads pool rejects it.
    execArgv: ['--no-node-snapshot'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
