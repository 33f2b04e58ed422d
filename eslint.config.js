import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import prettier from 'eslint-config-prettier';

const uiImports = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: ['**/activities/**', '**/services/**', '**/db/**', '**/bin/**', '**/workflows/**'],
          message:
            'ui/ talks to the API over HTTP: types of its answers come from api/ (api/contract.ts), never from services/, db/, activities/, workflows/ or bin/.',
        },
      ],
    },
  ],
};

/** Route handlers and policies hold no SQL (issue 17): no call of the knex handle, no raw SQL. */
const noSql =
  'No SQL in api/: call a named function of the db/ module of this aggregate (or a service for a business step).';
const noSqlInApi = [
  { selector: 'CallExpression[callee.name=/^(db|trx|scopeDb)$/]', message: noSql },
  { selector: 'CallExpression[callee.type="MemberExpression"][callee.property.name=/^(db|trx)$/]', message: noSql },
  { selector: 'MemberExpression[property.name=/^(raw|fn)$/][object.name=/^(db|trx|scopeDb)$/]', message: noSql },
  { selector: 'MemberExpression[property.name=/^(raw|fn)$/][object.property.name=/^(db|trx)$/]', message: noSql },
];
const noTransactionInApi = {
  selector: 'MemberExpression[property.name="transaction"][object.name=/^(db|trx|scopeDb)$/]',
  message: 'A transaction is a business step: open it in the service that takes the step.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'ui/dist/', '.data/', '.tools/', 'coverage/'] },
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
  // Imports flow one way (DESIGN.md, "Layout"): ui → api → services → db / Temporal client, and
  // workflows → activities → services → db; rules/ is pure and imported by anyone; bin/ (the
  // composition root) and test/ may import anything. Each folder below names the folders it must
  // not import; a flat-config rule set later for the same files replaces this one, so each folder
  // has exactly one block.
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
            {
              group: ['fs', 'path', 'http', 'https', 'net', 'crypto', 'child_process', 'os'],
              message: 'Workflows must not do I/O.',
            },
            {
              group: ['knex', 'pg', 'ioredis', 'bullmq', 'nodemailer', 'express', 'luxon', 'json-rules-engine'],
              message: 'Workflows must not do I/O or evaluate rules; use an activity.',
            },
            {
              group: ['**/db/**', '**/api/**', '**/services/**', '**/bin/**', '**/ui/**'],
              message: 'Workflows never import from db/, api/, services/, bin/ or ui/: they call activities.',
            },
            {
              group: ['**/activities/**'],
              allowTypeImports: true,
              message: 'Import activities as types only (proxyActivities).',
            },
          ],
        },
      ],
    },
  },
  {
    // Activities are thin factories over services: they never reach up into the API, the entry
    // points or the UI, and know the workflows only as types.
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/api/**', '**/bin/**', '**/ui/**'],
              message: 'activities/ never imports api/, bin/ or ui/; let bin/worker.ts inject what an activity needs.',
            },
            {
              group: ['**/workflows/**'],
              allowTypeImports: true,
              message: 'activities/ imports workflows as types only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Services are what both the API and the activities call: they never import either, nor the
    // workflows (only the Temporal gateway, below, may, for the signals, updates and ids it sends).
    files: ['services/**/*.ts'],
    ignores: ['services/workflowClient.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/activities/**', '**/api/**', '**/bin/**', '**/ui/**'],
              message: 'services/ never imports activities/, api/, bin/ or ui/: they call services, not the other way.',
            },
            {
              group: ['**/workflows/**'],
              allowTypeImports: true,
              message:
                'Only the Temporal gateway (services/workflowClient.ts) imports workflow definitions; elsewhere in services/, types only.',
            },
          ],
        },
      ],
    },
  },
  {
    // The Temporal gateway: a service that may import workflow definitions (signals, updates, ids).
    files: ['services/workflowClient.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/activities/**', '**/api/**', '**/bin/**', '**/ui/**'],
              message: 'services/ never imports activities/, api/, bin/ or ui/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The API calls services (and, for now, db/ query modules); workflows only through the gateway.
    files: ['api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/activities/**', '**/bin/**', '**/ui/**'],
              message: 'api/ never imports activities/, bin/ or ui/: call a service.',
            },
            {
              group: ['**/workflows/**'],
              allowTypeImports: true,
              message:
                'api/ reaches workflows through the Temporal gateway (services/workflowClient.ts); types only here.',
            },
            {
              group: ['knex'],
              message:
                'api/ holds no SQL (issue 17): put the query in the db/ module of its aggregate, or the business step in a service.',
            },
          ],
        },
      ],
    },
  },
  {
    // Route handlers and policies hold no SQL (issue 17): they call named functions of db/ query
    // modules or services, never the knex handle itself (`db('table')`, `db.raw`), and a business
    // step's transaction is the service's to open.
    files: ['api/routes/**/*.ts', 'api/access/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...noSqlInApi, noTransactionInApi] },
  },
  {
    // Query modules and migrations sit at the bottom: they import nothing above them.
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/services/**', '**/activities/**', '**/workflows/**', '**/api/**', '**/bin/**', '**/ui/**'],
              message: 'db/ imports nothing above it (services, activities, workflows, api, bin, ui).',
            },
          ],
        },
      ],
    },
  },
  {
    // rules/ is pure: no I/O of any kind, and nothing above it.
    files: ['rules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'knex',
                'pg',
                'ioredis',
                'bullmq',
                'nodemailer',
                'express',
                '@temporalio/*',
                '**/db/**',
                '**/services/**',
                '**/api/**',
                '**/activities/**',
                '**/workflows/**',
                '**/bin/**',
                '**/ui/**',
                'node:*',
              ],
              message: 'rules/ is pure logic without I/O, imported by anyone and importing none of the other folders.',
            },
          ],
        },
      ],
    },
  },
  ...vue.configs['flat/recommended'].map((config) => ({ ...config, files: ['ui/**/*.vue'] })),
  {
    files: ['ui/**/*.vue'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' },
      globals: globals.browser,
    },
    rules: {
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/multi-word-component-names': 'off',
      ...uiImports,
    },
  },
  { files: ['ui/**/*.ts'], languageOptions: { globals: globals.browser }, rules: uiImports },
  // Layout is Prettier's (run by `npm run lint`): stylistic lint rules that would argue with it are off.
  prettier,
);
