import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import local from './scripts/eslint-no-import-cycle.mjs';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', 'coverage/**', 'docs/api/**'] },
  // AssemblyScript sources (compiled by asc, not tsc) and their generated .wasm builds.
  { ignores: ['packages/backend-wasm/assembly/**', 'packages/backend-wasm/wasm/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  // No module may reach itself again through value imports: cycles make evaluation order fragile.
  { plugins: { local }, rules: { 'local/no-import-cycle': 'error' } },
);
