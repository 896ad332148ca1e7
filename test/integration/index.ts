// The extensionTestsPath entry: VS Code's extension host requires this file and awaits run(). Mocha runs here,
// inside the host, so the tests can use the real `vscode` API.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** The result file format shared with scripts/test.mjs and test/harness/mochaResults.cjs. */
export interface TestResults {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; message: string }[];
}

/** VS Code reports a rejection that stays unhandled for 1 s; wait that long so one from the last test is seen. */
const UNHANDLED_REJECTION_GRACE_MS = 1_100;

/** Which files are tests: the Spanish run (runTest.ts) picks `*.es-test.js`, which the usual run leaves out. */
const SUFFIX = process.env.SP_TEST_SUFFIX ?? '.test.js';

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      found.push(...findTests(full));
    } else if (entry.name.endsWith(SUFFIX)) {
      found.push(full);
    }
  }
  return found.sort();
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  if (process.env.SP_TEST_GREP) {
    mocha.grep(process.env.SP_TEST_GREP);
  }
  for (const file of findTests(__dirname)) {
    mocha.addFile(file);
  }
  const results: TestResults = { passed: 0, failed: 0, pending: 0, failures: [] };

  return new Promise((resolve, reject) => {
    const runner = mocha.run(() => {
      const resultsFile = process.env.SP_RESULTS_FILE;
      setTimeout(() => {
        if (resultsFile) {
          fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
          fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
        }
        if (results.failed > 0) {
          reject(new Error(`${results.failed} integration test(s) failed.`));
        } else {
          resolve();
        }
      }, UNHANDLED_REJECTION_GRACE_MS);
    });
    runner.on('pass', () => {
      results.passed++;
    });
    runner.on('pending', () => {
      results.pending++;
    });
    // Also fires for failing hooks, which count as failures.
    runner.on('fail', (test, err: unknown) => {
      results.failed++;
      results.failures.push({
        title: test.fullTitle(),
        message: err instanceof Error ? err.message : String(err),
      });
    });
  });
}
