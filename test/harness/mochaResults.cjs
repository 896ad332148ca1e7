/* global require, module */
// A mocha reporter for `npm test`: prints what the spec reporter prints and writes the run's counts as JSON,
// in the same format the integration tests' run() writes:
//   { passed, failed, pending, failures: [{ title, message }] }
// Usage: mocha --reporter test/harness/mochaResults.cjs --reporter-option output=test-results/unit.json
// CommonJS because mocha loads reporters with require().
/* eslint-disable @typescript-eslint/no-require-imports */
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');
/* eslint-enable @typescript-eslint/no-require-imports */

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

/** @typedef {{ passed: number, failed: number, pending: number, failures: { title: string, message: string }[] }} Results */

class MochaResults extends Mocha.reporters.Spec {
  /**
   * @param {import('mocha').Runner} runner
   * @param {import('mocha').MochaOptions & { reporterOptions?: { output?: string } }} options
   */
  constructor(runner, options) {
    super(runner, options);
    const output = options?.reporterOptions?.output ?? process.env.SP_RESULTS_FILE;
    /** @type {Results} */
    const results = { passed: 0, failed: 0, pending: 0, failures: [] };
    runner.on(EVENT_TEST_PASS, () => {
      results.passed++;
    });
    runner.on(EVENT_TEST_PENDING, () => {
      results.pending++;
    });
    // Also fires for failing hooks, which count as failures.
    runner.on(EVENT_TEST_FAIL, (test, err) => {
      results.failed++;
      results.failures.push({ title: test.fullTitle(), message: err?.message ?? String(err) });
    });
    runner.once(EVENT_RUN_END, () => {
      if (output) {
        fs.mkdirSync(path.dirname(output), { recursive: true });
        fs.writeFileSync(output, `${JSON.stringify(results, null, 2)}\n`);
      }
    });
  }
}

module.exports = MochaResults;
