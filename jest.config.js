/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  // ESM-only packages (jose, pg-boss and its dependencies): transformed like our own code.
  transformIgnorePatterns: ['/node_modules/(?!(jose|pg-boss|serialize-error|non-error|cron-parser|rrule-temporal)/)'],
  globalSetup: '<rootDir>/tests/setup/global-setup.ts',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
