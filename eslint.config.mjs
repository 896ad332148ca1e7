// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Only src/core/sockets and src/core/relay may import these (the rest is testable with fake sockets).
const SOCKET_MODULES = [
  { name: 'node:net', message: 'Only src/core/sockets and src/core/relay import node:net.' },
  { name: 'node:dgram', message: 'Only src/core/sockets and src/core/relay import node:dgram.' },
];

// The extension-host layer, which the core never imports.
const HOST_LAYER = {
  group: ['**/commands/*', '**/views/*', '**/language/*', '**/webview/*', '**/context', '**/constants'],
  message: 'core/ is below the host layer: it imports only core/ and shared/.',
};

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
    // The engine and the protocol run without VS Code (docs/architecture.md).
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
          paths: SOCKET_MODULES,
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
          paths: SOCKET_MODULES,
          patterns: [HOST_LAYER],
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
          patterns: [HOST_LAYER],
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
          paths: SOCKET_MODULES,
          patterns: [
            { group: ['**/commands/*'], message: 'Views and language features do not import commands.' },
          ],
        },
      ],
    },
  },
  {
    // Only the labs' process runner starts programs (and os/procNet runs netstat); commands go through context.ts's
    // typed helpers. One block per set of files: a later block's no-restricted-syntax would replace this one's.
    files: ['src/**/*.ts'],
    ignores: ['src/webview/**', 'src/context.ts', 'src/core/labs/processRunner.ts', 'src/core/os/procNet.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='node:child_process']",
          message:
            'Only src/core/labs/processRunner.ts (and os/procNet.ts, for netstat) import node:child_process.',
        },
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
    // The two that start programs still register commands only through context.ts.
    files: ['src/core/labs/processRunner.ts', 'src/core/os/procNet.ts'],
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
    // context.ts wraps vscode.commands; it starts no programs.
    files: ['src/context.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='node:child_process']",
          message:
            'Only src/core/labs/processRunner.ts (and os/procNet.ts, for netstat) import node:child_process.',
        },
      ],
    },
  },
  {
    // The webview (all of it, the notes page too) is a browser bundle: it imports only shared/ and itself, and
    // it never turns a string into HTML. Payloads and note text are untrusted: they go in through textContent.
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'vscode',
                'node:*',
                '**/core/**',
                '**/views/**',
                '**/commands/**',
                '**/language/**',
                '**/testing/**',
                '**/cli/**',
                '**/context',
                '**/constants',
                '**/extension',
              ],
              message: 'The webview imports only src/shared/ and src/webview/.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'DOMParser', message: 'No HTML parsing in the webview: build elements and set textContent.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'DOMParser', message: 'No HTML parsing in the webview.' },
        { object: 'globalThis', property: 'DOMParser', message: 'No HTML parsing in the webview.' },
        { object: 'document', property: 'write', message: 'document.write parses HTML: build elements.' },
        { object: 'document', property: 'writeln', message: 'document.writeln parses HTML: build elements.' },
        {
          property: 'createContextualFragment',
          message: 'createContextualFragment parses HTML: build elements and set textContent.',
        },
        { property: 'insertAdjacentHTML', message: 'insertAdjacentHTML parses HTML: use append().' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML)$/]',
          message: 'innerHTML/outerHTML parse HTML: set textContent or build elements.',
        },
        {
          selector:
            "CallExpression[callee.object.name='Object'][callee.property.name='assign'] Property[key.name=/^(innerHTML|outerHTML)$/]",
          message: 'Object.assign(el, { innerHTML }) parses HTML: set textContent or build elements.',
        },
        {
          selector:
            "CallExpression[callee.object.name='Object'][callee.property.name='assign'] Property[key.value=/^(innerHTML|outerHTML)$/]",
          message: 'Object.assign(el, { innerHTML }) parses HTML: set textContent or build elements.',
        },
        {
          selector:
            'MemberExpression[computed=true][property.value=/^(innerHTML|outerHTML|insertAdjacentHTML)$/]',
          message: 'No HTML strings in the webview, by any spelling.',
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
