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
    // Only the three transport adapters touch node:net / node:dgram.
    files: ['src/core/**/*.ts'],
    ignores: [
      'src/core/udpSocket.ts',
      'src/core/tcpServer.ts',
      'src/core/tcpClient.ts',
      'src/core/tcpStream.ts',
      'src/core/relay.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:net', message: 'Only the transport adapters import node:net.' },
            { name: 'node:dgram', message: 'Only the transport adapters import node:dgram.' },
          ],
        },
      ],
    },
  },
  {
    // Webview code is browser-only: no vscode, no Node built-ins.
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['vscode', 'node:*', '../core/*', '../views/*', '../commands/*'] },
      ],
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Payloads are untrusted: build DOM with textContent.' },
        { property: 'outerHTML', message: 'Payloads are untrusted: build DOM with textContent.' },
        { property: 'insertAdjacentHTML', message: 'Payloads are untrusted: build DOM with textContent.' },
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
