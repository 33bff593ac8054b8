// ESLint over every package, test, example, benchmark and script: ESLint's and typescript-eslint's
// recommended rules, tuned where this code base chose otherwise. Each exception says why.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Built, cached and generated files; patches kept for reference.
    ignores: ['**/node_modules/**', '**/dist/**', '**/.cache/**', 'test-results/**', '.unlanded/**', 'docs/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Express tells an error handler by its four parameters, so an unused `_next` must stay; `_` marks such names.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/test/**', 'packages/core/src/testing/**', 'bench/**'],
    rules: {
      // Tests, test kits and benchmarks read JSON bodies of any shape and assert on them; typing each answer would only restate the assertion.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: {
      // These scripts are the CommonJS host of the package check: `require` is what they test.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['packages/console/app/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
