/**
 * Two projects, one per topology: the behaviour tests (every file that starts a test hub) run
 * against the hub in one process and against the split topology (each subgraph its own HTTP
 * service on its own database, behind Hive Gateway); files that test no running hub run once.
 */
const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest'],
    // The Rust query planner's runtime loads the planner with import(), which Jest's sandbox refuses
    // (without --experimental-vm-modules); transformed, it becomes a require() Jest can run.
    '/@graphql-hive/router-runtime/dist/index\\.cjs$': ['@swc/jest'],
  },
  // ESM-only packages (jose, pg-boss and its dependencies): transformed like our own code.
  transformIgnorePatterns: [
    '/node_modules/(?!(jose|pg-boss|serialize-error|non-error|cron-parser|rrule-temporal|@graphql-hive/router-runtime)/)',
  ],
  testTimeout: 60_000,
  setupFiles: ['<rootDir>/tests/setup/topology.ts'],
};

/**
 * Files that do not depend on the topology: they start no hub of their own, or build both
 * topologies themselves (the router and split-subgraph comparisons).
 */
const TOPOLOGY_FREE = [
  'id-number',
  'lean-processes',
  'logging',
  'policy-table',
  'readme',
  'router',
  'split-subgraphs',
  'start',
  'supergraph',
  'verifier',
];

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/tests/setup/global-setup.ts',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
  projects: [
    { ...shared, displayName: 'in-process', globals: { __HUB_TOPOLOGY__: 'in-process' } },
    {
      ...shared,
      displayName: 'split',
      globals: { __HUB_TOPOLOGY__: 'split' },
      testPathIgnorePatterns: TOPOLOGY_FREE.map((name) => `/tests/${name}\\.test\\.ts$`),
    },
  ],
};
