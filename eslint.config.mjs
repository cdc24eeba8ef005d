import fs from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * A department's folder imports nothing from another department's folder: each subgraph runs on
 * its own infrastructure, and reaches the others through their APIs and events (src/peers,
 * src/events). Shared helpers live outside src/subgraphs/<department>/.
 */
const DEPARTMENTS = fs
  .readdirSync(new URL('./src/subgraphs/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const departmentBoundaries = DEPARTMENTS.map((own) => ({
  files: [`src/subgraphs/${own}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: DEPARTMENTS.filter((other) => other !== own).map((other) => ({
          group: [`../${other}`, `../${other}/*`, `**/subgraphs/${other}`, `**/subgraphs/${other}/*`],
          message: `${own} may not import ${other}'s code: ask its API (src/peers) or follow its events (src/events).`,
        })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'dist/', 'coverage/', 'src/**/*.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-console': 'error',
    },
  },
  ...departmentBoundaries,
  {
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-console': 'off' },
  },
  {
    files: ['bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
