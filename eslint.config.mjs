// @ts-check
// typescript-eslint's recommended rules, plus the type-aware rules about promises and throws (the
// ones that find real bugs here); the type-aware "no-unsafe-*" family is left off, since raw query
// rows are `any` by design of the driver.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = {
  module: 'readonly',
  require: 'readonly',
  __dirname: 'readonly',
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
};

export default tseslint.config(
  // .stryker-tmp: mutation-testing sandboxes (copies of the project) while a run is going on
  { ignores: ['dist/', 'coverage/', 'data/', 'data-fixtures/', 'node_modules/', 'test-artifacts/', 'test/typed-client/', '.stryker-tmp/'] }, // typed-client: compiled by its own test with tsc --strict against the generated types
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
      // Raw query rows and test probes into Nest internals are typed `any` on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: nodeGlobals }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
