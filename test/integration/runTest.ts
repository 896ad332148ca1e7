// Runs the integration tests inside a real VS Code extension host through @vscode/test-electron (docs/testing.md
// 3.9). Offline there is no desktop VS Code to download, so by default `vscodeExecutablePath` is our launcher,
// which runs the same tests in code-server with the workbench in headless Chromium
// (test/harness/vscode-launcher.mjs). With SP_USE_DESKTOP_VSCODE=1 (and internet), runTests downloads desktop VS Code
// as usual.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import type { TestResults } from './index';

/** Compiled to out/test/integration/runTest.js: three levels below the repo root. */
const repoRoot = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  const useDesktop = process.env.SP_USE_DESKTOP_VSCODE === '1';
  const launcher = path.join(repoRoot, 'test', 'harness', 'vscode-launcher.mjs');
  if (!useDesktop) {
    // runTests spawns the executable directly; a checkout without the executable bit would fail with EACCES.
    fs.chmodSync(launcher, fs.statSync(launcher).mode | 0o111);
  }
  const options = {
    vscodeExecutablePath: useDesktop ? undefined : launcher,
    // SP_EXTENSION_PATH: the packaged extension as code-server installed it (the `package` test stage).
    extensionDevelopmentPath: path.resolve(process.env.SP_EXTENSION_PATH ?? repoRoot),
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [path.join(repoRoot, 'test', 'fixtures', 'workspace'), '--disable-extensions'],
  };
  let failed: unknown;
  await runTests(options).catch((err: unknown) => (failed = err));
  // One more host, in Spanish, for test/integration/*.es-test.ts alone (a display language is fixed when the
  // host starts). Our launcher passes SP_LOCALE to code-server as --locale; desktop VS Code takes --locale.
  const grep = process.env.SP_TEST_GREP;
  if (!grep || /spanish/i.test(grep)) {
    const main = process.env.SP_RESULTS_FILE;
    const spanishResults = main ? main.replace(/(\.json)?$/, '.es.json') : undefined;
    await runTests({
      ...options,
      launchArgs: [...options.launchArgs, ...(useDesktop ? ['--locale', 'es'] : [])],
      extensionTestsEnv: {
        SP_LOCALE: 'es',
        SP_TEST_SUFFIX: '.es-test.js',
        ...(grep ? { SP_TEST_GREP: '' } : {}),
        ...(spanishResults ? { SP_RESULTS_FILE: spanishResults } : {}),
      },
    }).catch((err: unknown) => (failed ??= err));
    if (main && spanishResults) {
      mergeResults(main, spanishResults);
    }
  }
  if (failed) {
    throw failed;
  }
}

/** Adds the Spanish run's counts to the main results file (the one scripts/test.mjs reads). */
function mergeResults(mainFile: string, extraFile: string): void {
  const read = (f: string): TestResults | undefined =>
    fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as TestResults) : undefined;
  const extra = read(extraFile);
  if (!extra) {
    return;
  }
  const total = read(mainFile) ?? { passed: 0, failed: 0, pending: 0, failures: [] };
  total.passed += extra.passed;
  total.failed += extra.failed;
  total.pending += extra.pending;
  total.failures.push(...extra.failures.map((f) => ({ ...f, title: `[es] ${f.title}` })));
  fs.writeFileSync(mainFile, `${JSON.stringify(total, null, 2)}\n`);
  fs.rmSync(extraFile, { force: true });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
