import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'ui/dist/', '.data/', '.tools/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O modules,
    // and activities only as types.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'Workflows must not use Node built-ins; do it in an activity.' },
            { group: ['fs', 'path', 'http', 'https', 'net', 'crypto', 'child_process', 'os'], message: 'Workflows must not do I/O.' },
            { group: ['knex', 'pg', 'ioredis', 'bullmq', 'nodemailer', 'express', 'luxon', 'json-rules-engine'], message: 'Workflows must not do I/O or evaluate rules; use an activity.' },
            { group: ['**/db/**', '**/api/**'], message: 'Workflows never import from db/ or api/.' },
            { group: ['**/activities/**'], allowTypeImports: true, message: 'Import activities as types only (proxyActivities).' },
          ],
        },
      ],
    },
  },
  {
    // rules/ is pure: no I/O of any kind.
    files: ['rules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['knex', 'pg', 'ioredis', 'bullmq', 'nodemailer', 'express', '@temporalio/*', '**/db/**', '**/api/**', '**/activities/**', 'node:*'], message: 'rules/ is pure logic without I/O.' }] },
      ],
    },
  },
  ...vue.configs['flat/recommended'].map((config) => ({ ...config, files: ['ui/**/*.vue'] })),
  {
    files: ['ui/**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' }, globals: globals.browser },
    rules: { 'vue/max-attributes-per-line': 'off', 'vue/singleline-html-element-content-newline': 'off', 'vue/html-self-closing': 'off', 'vue/multi-word-component-names': 'off' },
  },
  { files: ['ui/**/*.ts'], languageOptions: { globals: globals.browser } },
);
