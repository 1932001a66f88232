import { configDefaults, defineConfig } from 'vitest/config';

const include = [
  'packages/*/src/**/*.test.ts',
  'adapters/*/src/**/*.test.ts',
  'host/src/**/*.test.ts',
  'host/web/src/**/*.test.ts',
  'scripts/**/*.test.ts',
  'examples/*/*.test.ts',
];

/**
 * Files that need a fresh module registry or global state of their own: module mocks
 * (vi.doMock), a per-file DOM environment (`@vitest-environment happy-dom`), tests that
 * replace process.env or write to globalThis. Every other file shares one process with
 * its module cache (isolate: false): re-importing the engine, host and their
 * dependencies for each of ~290 files cost ~1.6 s of CPU per file (489 s of a 1,571 s run).
 */
const needsIsolation = [
  'packages/connectors/src/optional-peers.test.ts',
  'packages/sandbox/src/isolate-sandbox-escape.test.ts',
  'host/src/cli/admin-commands.test.ts',
  'host/src/cli/import-from-command.test.ts',
  'host/src/cli/test-command.test.ts',
  'packages/canvas/src/collab/shared-canvas.test.ts',
  'packages/canvas/src/inspector/weft-inspector-forms.test.ts',
  'packages/canvas/src/inspector/weft-inspector.test.ts',
  'packages/canvas/src/palette/weft-node-palette.test.ts',
  // Registers an OpenTelemetry tracer provider: module-level tracers bind to the first one.
  'host/src/observability/tracing-write-batches.test.ts',
];

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    pool: 'forks',
    // isolated-vm needs this flag on Node 20; the threads pool rejects it.
    execArgv: ['--no-node-snapshot'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include,
          exclude: [...configDefaults.exclude, ...needsIsolation],
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: needsIsolation, isolate: true } },
    ],
  },
});
