// Runs the integration tests inside a real VS Code extension host through @vscode/test-electron (docs/testing.md
// 3.9). Offline there is no desktop VS Code to download, so by default `vscodeExecutablePath` is our launcher,
// which runs the same tests in code-server with the workbench in headless Chromium
// (test/harness/vscode-launcher.mjs). With SP_USE_DESKTOP_VSCODE=1 (and internet), runTests downloads desktop VS Code
// as usual.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

/** Compiled to out/test/integration/runTest.js: three levels below the repo root. */
const repoRoot = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  const useDesktop = process.env.SP_USE_DESKTOP_VSCODE === '1';
  const launcher = path.join(repoRoot, 'test', 'harness', 'vscode-launcher.mjs');
  if (!useDesktop) {
    // runTests spawns the executable directly; a checkout without the executable bit would fail with EACCES.
    fs.chmodSync(launcher, fs.statSync(launcher).mode | 0o111);
  }
  await runTests({
    vscodeExecutablePath: useDesktop ? undefined : launcher,
    // SP_EXTENSION_PATH: the packaged extension as code-server installed it (the `package` test stage).
    extensionDevelopmentPath: path.resolve(process.env.SP_EXTENSION_PATH ?? repoRoot),
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [path.join(repoRoot, 'test', 'fixtures', 'workspace'), '--disable-extensions'],
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
