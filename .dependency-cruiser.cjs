// The house's dependency rules (docs/architecture.md, docs/decisions/0007-dependency-rules.md),
// checked in `npm test`: `npx depcruise --config .dependency-cruiser.cjs packages adapters host`.
// Paths are repository-relative; workspace imports (`@weft/engine`) resolve through the `source`
// export condition to `src/`.
// Type-only imports count: they couple packages as much as value imports do.

const drivers = ['pg', 'pg-[^/]+', 'ioredis', 'redis', 'better-sqlite3', 'mysql2', 'mongodb', 'kysely'];
const httpFrameworks = ['express', 'helmet', 'fastify', 'koa', 'hono', 'ws'];
const nativeAddons = ['isolated-vm', 'better-sqlite3'];
const npm = (names) => `(^|/)node_modules/(${names.join('|')})/`;
const testFile = '\\.test\\.ts$|\\.test-support\\.ts$|/src/testing/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'engine-imports-nothing-of-ours',
      comment: 'The engine is the centre: every other package depends on it, it depends on none of them.',
      severity: 'error',
      from: { path: '^packages/engine/' },
      to: { path: '^(packages/(?!engine/)|adapters/|host/)' },
    },
    {
      name: 'engine-has-no-driver-framework-or-addon',
      comment: 'The engine defines ports; drivers, HTTP frameworks and native addons belong to adapters and the host.',
      severity: 'error',
      from: { path: '^packages/engine/' },
      to: { path: npm([...drivers, ...httpFrameworks, ...nativeAddons]) },
    },
    {
      name: 'engine-is-platform-neutral',
      comment: 'The engine runs in browsers too (the canvas validates and previews with it): no Node built-ins.',
      severity: 'error',
      from: { path: '^packages/engine/src/', pathNot: testFile },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'browser-code-stays-out-of-the-server',
      comment:
        'canvas, embed, client and the web app run in browsers: never the sandbox, an adapter or the host, tests included.',
      severity: 'error',
      from: { path: '^(packages/(canvas|embed|client)|host/web)/' },
      to: { path: '^(packages/sandbox/|adapters/|host/(?!web/))' },
    },
    {
      name: 'browser-code-has-no-driver-or-addon',
      severity: 'error',
      from: { path: '^(packages/(canvas|embed|client)|host/web)/' },
      to: { path: npm([...drivers, ...httpFrameworks, ...nativeAddons]) },
    },
    {
      name: 'packages-never-import-host-or-adapters',
      comment: 'Dependencies point inward: the host and the adapters use the packages, never the other way.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(host|adapters)/' },
    },
    {
      name: 'adapters-are-independent',
      comment: 'An adapter implements ports for one backend; it never reaches into another adapter.',
      severity: 'error',
      from: { path: '^adapters/(?!sqlite/|postgres/)([^/]+)/' },
      to: { path: '^adapters/', pathNot: '^adapters/$1/' },
    },
    {
      name: 'sql-dialects-build-on-adapters-sql-only',
      comment:
        'sqlite and postgres share the kysely schema, migrations and stores of adapters/sql, nothing else: a blob store (adapters/fs, adapters/s3) is given to them by whoever builds the storage.',
      severity: 'error',
      from: { path: '^adapters/(sqlite|postgres)/' },
      to: { path: '^adapters/', pathNot: '^adapters/($1|sql)/' },
    },
    {
      name: 'adapters-sql-imports-engine-kysely-and-node-only',
      comment:
        'adapters/sql is shared by the dialects: the engine, kysely, Node built-ins and the OpenTelemetry API (ADR 0013: libraries make spans through the API only), no driver (the dialects bring those) and nothing else; its tests may use test tools.',
      severity: 'error',
      from: { path: '^adapters/sql/', pathNot: testFile },
      to: {
        pathNot: '^(adapters/sql|packages/engine)/|(^|/)node_modules/(kysely|@opentelemetry/api)/',
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'adapters-never-import-the-host-or-browser-code',
      severity: 'error',
      from: { path: '^adapters/' },
      to: { path: '^(host/|packages/(canvas|embed|client)/)' },
    },
    {
      name: 'host-runtime-knows-no-http',
      comment:
        "The host's runtime and workflow services raise domain errors (host/src/runtime/host-error.ts) and never import http/ or api/: only http/ maps them to problem+json.",
      severity: 'error',
      from: { path: '^host/src/(runtime|workflows)/' },
      to: { path: '^host/src/(http|api)/' },
    },
    {
      name: 'npm-imports-are-declared',
      comment: "Every npm import is in its package's package.json (or the root's, for shared dev tools).",
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'conformance-suites-in-tests-only',
      comment: 'Published code must not pull in @weft/testing (and with it vitest); tests and test helpers may.',
      severity: 'error',
      from: { path: '^(packages|adapters|host)/', pathNot: `${testFile}|^packages/testing/` },
      to: { path: '^packages/testing/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Only what a package is made of: src/ (tests included). bench/, scripts/, demo/ and configs are dev tools.
    exclude: { path: '^(packages|adapters)/[^/]+/(?!src(/|$))|^host/(?!src(/|$)|web(/|$))|^host/web/(?!src(/|$))' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['source', 'import', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.json'],
      mainFields: ['module', 'main'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
