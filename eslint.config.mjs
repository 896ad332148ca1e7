// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', '.bench/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      curly: 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'warn' },
  },
  {
    // The engine and the protocol run without VS Code (house style 3.2).
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'core/ and shared/ are vscode-free.', allowTypeImports: true }],
        },
      ],
    },
  },
  {
    // shared/ is valid in the host and in the browser: it imports nothing outside itself.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*', 'vscode', 'node:*'], message: 'shared/ imports only shared/.' }] },
      ],
    },
  },
  {
    // Only the socket and relay wings touch node:net / node:dgram (the rest is testable with fake sockets).
    files: ['src/**/*.ts'],
    ignores: ['src/core/sockets/**', 'src/core/relay/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:net', message: 'Only src/core/sockets and src/core/relay import node:net.' },
            { name: 'node:dgram', message: 'Only src/core/sockets and src/core/relay import node:dgram.' },
          ],
        },
      ],
    },
  },
  {
    // The core never reaches up into the extension host layer.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:net', message: 'Only src/core/sockets and src/core/relay import node:net.' },
            { name: 'node:dgram', message: 'Only src/core/sockets and src/core/relay import node:dgram.' },
          ],
          patterns: [
            {
              group: [
                '**/commands/*',
                '**/views/*',
                '**/language/*',
                '**/webview/*',
                '**/context',
                '**/constants',
              ],
              message: 'core/ is below the host layer: it imports only core/ and shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/sockets/**/*.ts', 'src/core/relay/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/commands/*',
                '**/views/*',
                '**/language/*',
                '**/webview/*',
                '**/context',
                '**/constants',
              ],
              message: 'core/ is below the host layer: it imports only core/ and shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Views draw; they never import command handlers (commands call views, not the other way round).
    files: ['src/views/**/*.ts', 'src/language/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:net', message: 'Only src/core/sockets and src/core/relay import node:net.' },
            { name: 'node:dgram', message: 'Only src/core/sockets and src/core/relay import node:dgram.' },
          ],
          patterns: [
            { group: ['**/commands/*'], message: 'Views and language features do not import commands.' },
          ],
        },
      ],
    },
  },
  {
    // One way through the host: commands are registered and run through context.ts's typed helpers.
    files: ['src/**/*.ts'],
    // Not the webview: it has no vscode API, and its own no-restricted-syntax rules must not be replaced here.
    ignores: ['src/context.ts', 'src/webview/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "MemberExpression[object.property.name='commands'][property.name=/^(registerCommand|executeCommand)$/]",
          message:
            'Use registerCommand / executeCommand / defineCommand from context.ts (typed ids and results).',
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**/*.js'],
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        Buffer: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
);
