// Dependency direction, checked here so that it stays true: apps -> libs, never back; contracts and
// agreements stay free of transport and I/O; libs are imported through @app/<lib>, not by relative
// paths across libs; tools use an app only through its public entry (docs/architecture.md).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    { name: 'libs-not-to-apps', severity: 'error', from: { path: '^libs/' }, to: { path: '^apps/' } },
    {
      name: 'apps-not-to-each-other',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'tools-not-into-app-internals',
      comment:
        "tools reach an app only through its public entry (apps/<app>/src/index.ts); what they share with the app belongs in a lib. Tests under test/ may start the app's bootstrap.",
      severity: 'error',
      from: { path: '^tools/' },
      to: { path: '^apps/', pathNot: '^apps/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'contracts-agreements-pure',
      comment:
        'contracts and agreements are pure: no Nest, no Kafka, no database, no other lib but contracts',
      severity: 'error',
      from: { path: '^libs/(contracts|agreements)/', pathNot: '\\.spec\\.ts$' },
      to: {
        path: [
          'node_modules/(@nestjs|kafkajs|pg|@electric-sql)',
          '^libs/(signing|messaging|persistence|config|observability|testing)/',
        ],
      },
    },
    {
      name: 'api-edge-http-only',
      comment:
        'api-edge is the HTTP edge shared by the apps (roles, bearer guard, coded errors, start-up): no Kafka, no database, no keys; it finds clients through the ClientLookup an app provides',
      severity: 'error',
      from: { path: '^libs/api-edge/' },
      to: {
        path: [
          'node_modules/(kafkajs|pg|@electric-sql)',
          '^libs/(signing|messaging|persistence|agreements|contracts|observability|testing)/',
        ],
      },
    },
    {
      name: 'evidence-offline',
      comment:
        'the evidence verifier runs with the bundle alone: no Nest, no Kafka, no database, no node configuration',
      severity: 'error',
      from: { path: '^libs/evidence/', pathNot: '\\.spec\\.ts$' },
      to: {
        path: [
          'node_modules/(@nestjs|kafkajs|pg|@electric-sql)',
          '^libs/(messaging|persistence|config|observability|testing)/',
        ],
      },
    },
    {
      name: 'libs-through-alias',
      comment: 'a lib reaches another lib only through its public index (@app/<lib>)',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/.+', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'apps-tests-tools-through-alias',
      severity: 'error',
      // Jest loads global setup and teardown outside its module mapping: they import harness files by path.
      from: { path: '^(apps|test|tools)/', pathNot: '^test/integration/global-(setup|teardown)\\.ts$' },
      to: { path: '^libs/[^/]+/src/.+', pathNot: ['^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'testing-only-in-tests',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: ['\\.spec\\.ts$', '^libs/testing/'] },
      to: { path: '^libs/testing/' },
    },
    {
      name: 'no-orphans-in-src',
      severity: 'warn',
      from: {
        orphan: true,
        path: '^(apps|libs)/.+\\.ts$',
        pathNot: ['\\.(spec|int-spec)\\.ts$', '\\.d\\.ts$', 'main\\.ts$', '/gen/'],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['/gen/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'] },
  },
};
