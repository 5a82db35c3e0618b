// ESLint: the import boundaries between the parts of the tree, and a few rules that find real
// defects (typed: floating promises). Style is Prettier's job, so no stylistic rule is on.
// `npm run lint` runs it; `npm test` runs it as its first stage.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import boundaries from './scripts/lint/import-boundaries.js';

const root = path.dirname(fileURLToPath(import.meta.url));

/** Who may import what (see docs/ARCHITECTURE.md). Every rule whose `from` holds a file applies to it. */
export const boundaryRules = [
  { from: 'wire', allow: ['wire', 'pkg:zod'], because: 'wire/ is the contract both ends share; it depends on nothing but zod' },
  { from: 'lib', allow: ['lib', 'wire', 'pkg:*'], because: 'lib/ holds runtime helpers shared by node, server and bench' },
  { from: 'app', allow: ['app', 'wire', 'pkg:*'], because: 'the explorer talks to the rest only through the wire/ contract' },
  { from: 'node', deny: ['server', 'app', 'bench'], because: 'a node runs without the control plane, the explorer or the benchmarks' },
  { from: 'node/p2p', deny: ['node/consensus', 'node/sync'], because: 'p2p knows nothing of consensus or sync; they register with it in node.ts' },
  ...['control', 'scenarios', 'monitor', 'indexer', 'read', 'live'].map((part) => ({
    from: `server/${part}`,
    deny: ['server/api'],
    because: 'domain code throws coded errors; only the API maps them to HTTP',
  })),
  { from: '', deny: ['bench', 'e2e'], because: 'benchmarks and browser tests sit on top; nothing depends on them' },
];

export default tseslint.config(
  {
    ignores: [
      'server/db/generated/**',
      '.next/**',
      'node_modules/**',
      'data/**',
      'test-results/**',
      'playwright-report/**',
      '.tmp/**',
      'dist/**',
      '.cache/**',
      'k8s-out/**',
      'next-env.d.ts',
    ],
  },
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    extends: [js.configs.recommended, tseslint.configs.eslintRecommended],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error', reportUnusedInlineConfigs: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin, boundaries },
    rules: {
      'boundaries/imports': ['error', { root, rules: boundaryRules }],
      // Type-aware rules that catch lost errors and unhandled rejections.
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test()/describe() return promises the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Errors are typed classes with codes, never strings or plain objects.
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      // A union that grows (a new engine, a new fault kind) must not fall through a switch silently.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // tsc already reports unused and undefined names with better knowledge of types.
      'no-unused-vars': 'off',
      'no-undef': 'off',
    },
  },
  {
    // Config and rule files are plain JS outside tsconfig: lint them without types.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { parserOptions: { projectService: false } },
  },
  prettier,
);
