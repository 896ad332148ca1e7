#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron's runTests() spawns
// (`runTests({ vscodeExecutablePath: 'test/harness/vscode-launcher.mjs', … })`). There is no desktop VS Code offline,
// so this runs the same tests in code-server's extension host, with the workbench in headless Chromium — the
// mechanism VS Code's own browser integration tests use (docs/testing.md):
//   --extensionDevelopmentPath=P --extensionTestsPath=T [folder]  →  code-server + Chromium + payload URL,
// relays the extension host's console (codeAutomationLog) and exits with the code of the test run
// (codeAutomationExit). Electron flags, --user-data-dir and --extensions-dir are ignored: every run gets
// fresh state. --disable-extensions is ignored too: code-server has no such flag, so its built-in extensions
// run (none come from the marketplace). Environment variables reach the extension host (e.g. SP_RESULTS_FILE).
//
// Environment: SP_LAUNCHER_TIMEOUT_MS (default 600000) fails a hung run; SP_LAUNCHER_VERBOSE=1 also prints
// code-server's output and the page's own console; SP_KEEP_HOST_LOGS=1 keeps the logs of a passing run too
// (test-results/host-logs/, which failing runs always get, with console.log and a screenshot of the page).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { launchBrowser, startCodeServer, workbenchUrl } from './codeServer.mjs';

const TIMEOUT_MS = Number(process.env.SP_LAUNCHER_TIMEOUT_MS ?? 10 * 60_000);
const VERBOSE = process.env.SP_LAUNCHER_VERBOSE === '1';
const EXTENSION_ID = 'socket-playground.socket-playground';

/** Workbench start-up messages relayed with the extension host's console; shown only with SP_LAUNCHER_VERBOSE. */
const WORKBENCH_CHATTER =
  /^(Resolving connection token|Resolved connection token|Creating a socket|\[Service Worker\]|ChatSessionStore|Ignoring fetching additional builtin|Updating additional builtin)/;

/** @param {string} msg */
const log = (msg) => console.log(`[vscode-launcher] ${msg}`);

/**
 * @typedef {{ extensionDevelopmentPaths: string[], extensionTestsPath?: string, folder?: string }} LaunchArgs
 * @typedef {{ title: string, message: string }} Failure
 * @typedef {{ passed: number, failed: number, pending: number, failures: Failure[] }} Results
 */

/**
 * Picks out what the host needs from a VS Code command line; everything else is accepted and ignored.
 * @param {string[]} argv
 * @returns {LaunchArgs}
 */
export function parseArgs(argv) {
  /** @type {LaunchArgs} */
  const parsed = { extensionDevelopmentPaths: [], extensionTestsPath: undefined, folder: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = /** @type {string} */ (argv[i]);
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? (eq > 0 ? arg.slice(2, eq) : arg.slice(2)) : undefined;
    const takeValue = () => (eq > 0 ? arg.slice(eq + 1) : (argv[++i] ?? ''));
    if (name === 'extensionDevelopmentPath') {
      parsed.extensionDevelopmentPaths.push(path.resolve(takeValue()));
    } else if (name === 'extensionTestsPath') {
      parsed.extensionTestsPath = path.resolve(takeValue());
    } else if (name === undefined && !arg.startsWith('-') && parsed.folder === undefined) {
      // The first positional argument is the folder or workspace to open, as for `code`.
      parsed.folder = path.resolve(arg);
    }
  }
  return parsed;
}

/**
 * Splits a VS Code log file into entries: a "YYYY-MM-DD hh:mm:ss.mmm [level] …" line plus its stack lines.
 * @param {string} text
 * @returns {{ level: string, text: string }[]}
 */
export function logEntries(text) {
  /** @type {{ level: string, text: string }[]} */
  const entries = [];
  for (const line of text.split('\n')) {
    const head = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \[(\w+)\]/.exec(line);
    if (head) {
      entries.push({ level: head[1] ?? '', text: line });
    } else if (line.trim() !== '') {
      const last = entries[entries.length - 1];
      if (last) {
        last.text += `\n${line}`;
      }
    }
  }
  return entries;
}

/**
 * Unhandled rejections, from the extension host's console: VS Code prints "rejected promise not handled within
 * 1 second: <error>" and "stack trace: …" there, then logs the error itself as an "[error]" entry in
 * remoteexthost.log (where the word "unhandled" never appears).
 * @param {string[]} consoleLines
 * @returns {string[]}
 */
export function findUnhandledRejections(consoleLines) {
  /** @type {string[]} */
  const found = [];
  for (let i = 0; i < consoleLines.length; i++) {
    const line = consoleLines[i] ?? '';
    if (/rejected promise not handled within|unhandled (promise )?rejection/i.test(line)) {
      const block = [line];
      while (i + 1 < consoleLines.length && /^(stack trace:|\s+at )/.test(consoleLines[i + 1] ?? '')) {
        block.push(consoleLines[++i] ?? '');
      }
      found.push(block.join('\n'));
    }
  }
  return found;
}

/**
 * Whether a rejection comes from one of code-server's built-in extensions rather than from ours or the API.
 * @param {string} text
 */
function fromBuiltinExtension(text) {
  const firstFrame = text.split('\n').find((l) => /^\s+at /.test(l));
  return firstFrame !== undefined && /[/\\]lib[/\\]vscode[/\\]extensions[/\\]/.test(firstFrame);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const extensionDevelopmentPath = args.extensionDevelopmentPaths[0];
  if (extensionDevelopmentPath === undefined) {
    throw new Error('missing --extensionDevelopmentPath=<folder>');
  }
  if (!args.extensionTestsPath) {
    throw new Error(
      'missing --extensionTestsPath=<compiled test index> (use `npm start` to try the extension)',
    );
  }
  if (args.extensionDevelopmentPaths.length > 1) {
    log('only the first --extensionDevelopmentPath is loaded');
  }
  const started = Date.now();

  // SP_LOCALE: run the host in that display language (test/integration/runTest.ts starts one Spanish run).
  const server = await startCodeServer({
    workspace: args.folder,
    echo: VERBOSE,
    label: 'integration',
    ...(process.env.SP_LOCALE ? { locale: process.env.SP_LOCALE } : {}),
  });
  log(`code-server ${server.url} ready in ${Date.now() - started} ms`);

  /** @type {import('playwright-core').Browser | undefined} */
  let browser;
  /** @type {import('playwright-core').Page | undefined} */
  let page;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let finished = false;
  let keepLogs = false;
  /** Everything the workbench relayed: the extension host's console, and the workbench's own. @type {string[]} */
  const consoleLines = [];
  /** @type {unknown[]} */
  let browserLogs = [];
  const cleanup = async () => {
    clearTimeout(timer);
    if (keepLogs) {
      fs.mkdirSync(server.dirs.logs, { recursive: true });
      fs.writeFileSync(path.join(server.dirs.logs, 'console.log'), `${consoleLines.join('\n')}\n`);
      await page
        ?.screenshot({ path: path.join(server.dirs.logs, 'workbench.png'), timeout: 5_000 })
        .catch(() => undefined);
    }
    await browser?.close().catch(() => undefined);
    const saved = await server.stop({ keepLogs });
    if (saved) {
      log(`host logs kept in ${path.relative(process.cwd(), saved)}`);
    }
  };
  // runTests() sends SIGINT on Ctrl-C; stop the server and browser rather than leave them behind.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      keepLogs = true;
      void cleanup().finally(() => process.exit(1));
    });
  }

  let code;
  try {
    browser = await launchBrowser();
    const workbench = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page = workbench;
    if (VERBOSE) {
      workbench.on('console', (msg) => console.log(`[page ${msg.type()}] ${msg.text()}`));
    }
    workbench.on('pageerror', (err) => console.error(`[page error] ${err.message}`));

    /** @type {Promise<number>} */
    const exit = new Promise((resolve) => {
      void workbench.exposeFunction(
        'codeAutomationExit',
        (/** @type {unknown} */ exitCode, /** @type {unknown} */ logs) => {
          browserLogs = Array.isArray(logs) ? logs : [];
          resolve(typeof exitCode === 'number' ? exitCode : 1);
        },
      );
    });
    await workbench.exposeFunction(
      'codeAutomationLog',
      (/** @type {string} */ type, /** @type {unknown} */ logArgs) => {
        // Mocha's reporters log printf-style ("%d passing (%s)", n, time), as console.log formats them.
        const text = Array.isArray(logArgs) ? format(...logArgs) : String(logArgs);
        consoleLines.push(...text.split('\n'));
        if (!VERBOSE && WORKBENCH_CHATTER.test(text)) {
          return;
        }
        if (type === 'error' || type === 'warn') {
          console.error(text);
        } else {
          console.log(text);
        }
      },
    );
    /** @type {Promise<'timeout'>} */
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS);
    });

    await workbench.goto(
      workbenchUrl(server, {
        folder: args.folder,
        extensionDevelopmentPath,
        extensionTestsPath: args.extensionTestsPath,
      }),
    );
    const outcome = await Promise.race([exit, timeout]);
    finished = true;
    if (outcome === 'timeout') {
      log(
        `no result after ${TIMEOUT_MS / 1000} s: the extension host hung (SP_LAUNCHER_TIMEOUT_MS to change)`,
      );
      recordFailure('extension host', `no test result after ${TIMEOUT_MS / 1000} s (hung)`);
      code = 1;
    } else {
      code = outcome;
      log(`tests finished with exit code ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }

    const unhandled = checkExtensionHost(consoleLines, server.extensionHostLogs(), extensionDevelopmentPath);
    if (unhandled.length > 0) {
      log(`failing the run: ${unhandled.length} unhandled promise rejection(s) in the extension host`);
      for (const rejection of unhandled) {
        recordFailure('unhandled rejection in the extension host', rejection);
      }
      code = 1;
    }
  } catch (err) {
    log(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    recordFailure('vscode-launcher', err instanceof Error ? err.message : String(err));
    code = 1;
  } finally {
    keepLogs = code !== 0 || !finished || process.env.SP_KEEP_HOST_LOGS === '1';
    if (keepLogs) {
      saveBrowserLogs(server.dirs.logs, browserLogs);
    }
    await cleanup();
  }
  return code;
}

/**
 * The workbench hands over its own (browser-side) logs when it exits; keep them with the server's.
 * @param {string} logsDir
 * @param {unknown[]} logs `{ relativePath, contents }` objects, as the workbench sends them
 */
function saveBrowserLogs(logsDir, logs) {
  for (const item of logs) {
    const entry = /** @type {{ relativePath?: unknown, contents?: unknown } | null | undefined} */ (item);
    if (!entry || typeof entry.relativePath !== 'string' || typeof entry.contents !== 'string') {
      continue;
    }
    const target = path.join(
      logsDir,
      'browser',
      path.normalize(entry.relativePath).replace(/^(\.\.[/\\])+/, ''),
    );
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, entry.contents);
  }
}

/**
 * Prints the unhandled rejections the extension host reported and the "[error]" entries of its log that come
 * from our extension; returns the unhandled rejections that count against the run (all but those raised inside
 * code-server's own built-in extensions, which are printed as warnings).
 * @param {string[]} consoleLines
 * @param {string[]} logFiles
 * @param {string} extensionPath
 * @returns {string[]}
 */
function checkExtensionHost(consoleLines, logFiles, extensionPath) {
  /** @type {string[]} */
  const counted = [];
  for (const rejection of findUnhandledRejections(consoleLines)) {
    if (fromBuiltinExtension(rejection)) {
      console.error(`[extension host] (built-in extension, not counted) ${rejection}`);
    } else {
      console.error(`[extension host] ${rejection}`);
      counted.push(rejection);
    }
  }
  if (logFiles.length === 0) {
    log('no extension host log found (remoteexthost.log)');
  }
  for (const file of logFiles) {
    const name = path.basename(path.dirname(file));
    const ours = logEntries(fs.readFileSync(file, 'utf8')).filter(
      (entry) =>
        entry.level === 'error' &&
        (entry.text.includes(extensionPath) ||
          entry.text.includes(EXTENSION_ID) ||
          /unhandled/i.test(entry.text)),
    );
    // One line each: tests that check error paths on purpose make many of these; the full entries are in the
    // kept logs.
    const shown = 10;
    for (const entry of ours.slice(0, shown)) {
      console.error(`[${name}/remoteexthost.log] ${entry.text.split('\n')[0]}`);
    }
    if (ours.length > shown) {
      console.error(`[${name}/remoteexthost.log] … and ${ours.length - shown} more [error] entries`);
    }
    if (ours.length === 0) {
      log(`${name}/remoteexthost.log: no errors from ${EXTENSION_ID}`);
    }
  }
  if (counted.length === 0) {
    log('no unhandled promise rejections in the extension host');
  }
  return counted;
}

/**
 * Adds a failure the tests themselves could not see to the results file the test run wrote (SP_RESULTS_FILE,
 * read by scripts/test.mjs), so that the summary says why the run failed.
 * @param {string} title
 * @param {string} message
 */
function recordFailure(title, message) {
  const file = process.env.SP_RESULTS_FILE;
  if (!file) {
    return;
  }
  /** @type {Results} */
  let results = { passed: 0, failed: 0, pending: 0, failures: [] };
  try {
    results = { ...results, ...JSON.parse(fs.readFileSync(file, 'utf8')) };
  } catch {
    // the tests wrote nothing (they never ran, or hung)
  }
  results.failed += 1;
  results.failures = [...(results.failures ?? []), { title, message }];
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      log(`error: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
