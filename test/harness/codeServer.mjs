/* global AbortSignal */
// Starts code-server (the VS Code host the tests use, see docs/testing.md) with throw-away state,
// and opens its workbench in headless Chromium. Used by vscode-launcher.mjs (integration tests),
// test/ui/workbench.ui.ts (UI tests) and start.mjs (`npm start`).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeServerBin, findChromium, repoRoot } from './installHost.mjs';

export { repoRoot };

/** Where stop({ keepLogs: true }) copies the server's logs. */
export const hostLogsDir = path.join(repoRoot, 'test-results', 'host-logs');

const HEALTH_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

/**
 * Asks the OS for a free TCP port on `host` (listen(0), read the port, close).
 * @returns {Promise<number>}
 */
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * Whether `port` can be listened on at `host` right now.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** @param {number} ms @returns {Promise<void>} */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Variables that would make code-server talk to another VS Code instead of starting its own (when the tests
 * run from a VS Code terminal, VSCODE_IPC_HOOK_CLI makes `code-server <folder>` open the folder there).
 * @param {NodeJS.ProcessEnv} base
 * @returns {Record<string, string>}
 */
function cleanEnv(base) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined || /^(VSCODE_|CODE_SERVER_|ELECTRON_)/.test(key) || key === 'PORT') {
      continue;
    }
    env[key] = value;
  }
  return env;
}

const defaultSettings = {
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
};

/**
 * VS Code shows a display language only when a language pack for it is installed; otherwise `--locale` falls back
 * to English (and `vscode.env.language` says `en`). Offline there is no pack to download, so this installs an
 * empty one: the workbench's own words stay English, but the host runs in `locale` and each extension gets its
 * `package.nls.<locale>.json` and `l10n/bundle.l10n.<locale>.json`, which is what our tests look at.
 * @param {StateDirs} dirs
 * @param {string} locale
 */
function addLanguagePack(dirs, locale) {
  const id = `sp-test.language-pack-${locale}`;
  const folder = path.join(dirs.extensions, `${id}-1.0.0`);
  const translations = path.join(folder, 'translations', 'main.i18n.json');
  fs.mkdirSync(path.dirname(translations), { recursive: true });
  fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  fs.writeFileSync(
    path.join(folder, 'package.json'),
    JSON.stringify({
      name: `language-pack-${locale}`,
      publisher: 'sp-test',
      version: '1.0.0',
      engines: { vscode: '*' },
      categories: ['Language Packs'],
      contributes: {
        localizations: [
          {
            languageId: locale,
            languageName: locale,
            translations: [{ id: 'vscode', path: './translations/main.i18n.json' }],
          },
        ],
      },
    }),
  );
  fs.writeFileSync(
    path.join(dirs.extensions, 'extensions.json'),
    JSON.stringify([
      {
        identifier: { id },
        version: '1.0.0',
        location: { $mid: 1, scheme: 'file', path: folder },
        relativeLocation: `${id}-1.0.0`,
        metadata: { installedTimestamp: Date.now(), source: 'vsix' },
      },
    ]),
  );
  // What the server reads at start to pick the display language (it rewrites this from the installed packs).
  fs.writeFileSync(
    path.join(dirs.userData, 'languagepacks.json'),
    JSON.stringify({
      [locale]: {
        hash: 'sp-test',
        extensions: [{ extensionIdentifier: { id }, version: '1.0.0' }],
        translations: { vscode: translations },
        label: locale,
      },
    }),
  );
}

/**
 * The state folders of one server. Fresh ones under a new temp folder by default (removed by stop()); with
 * `stateDir`, the same ones on every run (kept by stop()), so that user settings and the extensions folder
 * survive a restart of `npm start`.
 * @param {string} [stateDir]
 * @param {Record<string, unknown>} [extraSettings] written into a new settings.json beside the defaults
 */
function makeDirs(stateDir, extraSettings = {}) {
  const root = stateDir ? path.resolve(stateDir) : fs.mkdtempSync(path.join(os.tmpdir(), 'sp-code-server-'));
  const dirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    config: path.join(root, 'xdg-config'),
    data: path.join(root, 'xdg-data'),
    cache: path.join(root, 'xdg-cache'),
    state: path.join(root, 'xdg-state'),
    tmp: path.join(root, 'tmp'),
    logs: path.join(root, 'user-data', 'logs'),
    serverLog: path.join(root, 'code-server.log'),
  };
  for (const key of /** @type {const} */ ([
    'userData',
    'extensions',
    'config',
    'data',
    'cache',
    'state',
    'tmp',
  ])) {
    fs.mkdirSync(dirs[key], { recursive: true });
  }
  // code-server keeps user settings on the server. Keep the workbench offline and quiet: no marketplace
  // queries, recommendations, welcome page or trust prompts.
  // A persistent settings.json is the user's after the first run: never overwrite it.
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  const settingsFile = path.join(dirs.userData, 'User', 'settings.json');
  if (!stateDir || !fs.existsSync(settingsFile)) {
    fs.writeFileSync(settingsFile, `${JSON.stringify({ ...defaultSettings, ...extraSettings }, null, 2)}\n`);
  }
  // The server log and the session logs are per run even in a persistent folder.
  fs.rmSync(dirs.serverLog, { force: true });
  return dirs;
}

/**
 * Every file under `dir` whose base name matches `pattern`.
 * @param {string} dir
 * @param {RegExp} pattern
 * @returns {string[]}
 */
export function findFiles(dir, pattern) {
  /** @type {string[]} */
  const found = [];
  /** @param {string} current */
  const walk = (current) => {
    let entries;
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (pattern.test(entry.name)) {
        found.push(full);
      }
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * @typedef {object} CodeServerOptions
 * @property {Record<string, string | undefined>} [env] extra environment (reaches the extension host)
 * @property {string} [workspace] folder opened by default
 * @property {string} [extensionsDir] use this extensions folder instead of a fresh empty one
 * @property {number} [port] a fixed port (default: a free one)
 * @property {string} [host] default 127.0.0.1
 * @property {boolean} [echo] also print code-server's own output
 * @property {string} [label] names the saved logs folder
 * @property {string} [stateDir] keep the state folders here across runs (default: a fresh temp folder)
 * @property {Record<string, unknown>} [settings] user settings for a new settings.json
 * @property {string} [locale] VS Code's display language (`--locale`, e.g. `es`): what `vscode.env.language`
 *   reports and which `l10n/bundle.l10n.<locale>.json` and `package.nls.<locale>.json` the extension gets
 */

/**
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null, error?: Error }} ExitInfo
 * @typedef {ReturnType<typeof makeDirs>} StateDirs
 * @typedef {object} CodeServer a running code-server
 * @property {string} url `http://host:port`
 * @property {string} host
 * @property {number} port
 * @property {StateDirs} dirs its state folders
 * @property {number} pid the process (and process group) id
 * @property {Promise<ExitInfo>} exited settles when the server process ends
 * @property {(options?: { keepLogs?: boolean }) => Promise<string | undefined>} stop ends it; returns where
 *   the logs were kept, if asked to
 * @property {() => string[]} extensionHostLogs the extension host logs (`exthost*\/remoteexthost.log`) so far
 */

/**
 * Starts code-server on 127.0.0.1 with fresh state folders.
 * @param {CodeServerOptions} [options]
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(options = {}) {
  if (!fs.existsSync(codeServerBin)) {
    throw new Error(
      `code-server is not installed at ${codeServerBin}: run \`node test/harness/installHost.mjs\` first.`,
    );
  }
  const host = options.host ?? '127.0.0.1';
  const fixedPort = options.port;
  const label = options.label ?? 'code-server';
  // A free port can be taken between our probe and code-server's bind; retry with a new one then.
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freePort(host));
    try {
      return await startOnce({ ...options, host, port, label });
    } catch (err) {
      if (
        fixedPort !== undefined ||
        attempt >= 3 ||
        !(err instanceof Error) ||
        !/EADDRINUSE/.test(err.message)
      ) {
        throw err;
      }
    }
  }
}

/**
 * @param {CodeServerOptions & { host: string, port: number, label: string }} options
 * @returns {Promise<CodeServer>}
 */
async function startOnce({
  env = {},
  workspace,
  extensionsDir,
  host,
  port,
  echo = false,
  label,
  stateDir,
  settings,
  locale,
}) {
  const dirs = makeDirs(stateDir, settings);
  const removeState = () => {
    if (!stateDir) {
      fs.rmSync(dirs.root, { recursive: true, force: true });
    }
  };
  if (extensionsDir) {
    dirs.extensions = extensionsDir;
  }
  // A given extensions folder is someone else's: the pack goes only into a fresh one.
  if (locale && !locale.startsWith('en') && !extensionsDir) {
    addLanguagePack(dirs, locale);
  }
  const args = [
    '--bind-addr',
    `${host}:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
  ];
  if (locale) {
    args.push('--locale', locale);
  }
  if (workspace) {
    args.push(path.resolve(workspace));
  }
  const logStream = fs.createWriteStream(dirs.serverLog);
  const child = spawn(codeServerBin, args, {
    cwd: repoRoot,
    // Own process group: the extension host and pty host are its children, and stop() kills the group.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...cleanEnv(process.env),
      // No gallery: the workbench would otherwise query open-vsx.org (unreachable offline) and log errors.
      EXTENSIONS_GALLERY: '{}',
      ...env,
      XDG_CONFIG_HOME: dirs.config,
      XDG_DATA_HOME: dirs.data,
      XDG_CACHE_HOME: dirs.cache,
      XDG_STATE_HOME: dirs.state,
      TMPDIR: dirs.tmp,
    },
  });
  let output = '';
  /** @param {Buffer} chunk */
  const onData = (chunk) => {
    logStream.write(chunk);
    if (output.length < 20_000) {
      output += chunk.toString();
    }
    if (echo) {
      process.stderr.write(chunk);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  /** @type {ExitInfo | undefined} */
  let exitInfo;
  /** @type {Promise<ExitInfo>} */
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.on('error', (err) => {
      exitInfo = { code: null, signal: null, error: err };
      resolve(exitInfo);
    });
  });

  // If our own process dies first (an uncaught error, process.exit, a signal), don't leave the server running.
  const killNow = () => {
    killGroup(child.pid, 'SIGKILL');
    removeState();
  };
  liveServers.add(killNow);
  watchSignals();

  let stopped = false;
  async function stop({ keepLogs = false } = {}) {
    if (stopped) {
      return undefined;
    }
    stopped = true;
    liveServers.delete(killNow);
    if (!exitInfo) {
      killGroup(child.pid, 'SIGTERM');
      const graceful = await Promise.race([exited, sleep(STOP_GRACE_MS).then(() => undefined)]);
      if (!graceful) {
        killGroup(child.pid, 'SIGKILL');
        await exited;
      }
    }
    // The extension host may outlive the server for a moment; the group kill reaches it too.
    killGroup(child.pid, 'SIGKILL');
    await new Promise((resolve) => logStream.end(resolve));
    let savedTo;
    if (keepLogs) {
      savedTo = saveLogs(dirs, label);
    }
    removeState();
    return savedTo;
  }

  const url = `http://${host}:${port}`;
  try {
    await waitForHealth(url, exited, () => output);
  } catch (err) {
    await stop({ keepLogs: true });
    throw err;
  }
  return {
    url,
    host,
    port,
    dirs,
    // The process answered /healthz, so it was spawned and has a pid.
    pid: /** @type {number} */ (child.pid),
    exited,
    stop,
    /** The extension host logs (`exthost*\/remoteexthost.log`) written so far. */
    extensionHostLogs: () => findFiles(dirs.logs, /^remoteexthost\.log$/),
  };
}

/** Synchronous kill-and-remove functions of the servers not stopped yet. */
const liveServers = new Set();
let watchingSignals = false;

function killLiveServers() {
  for (const killNow of liveServers) {
    killNow();
  }
  liveServers.clear();
}

/**
 * The servers run in their own process groups, so a Ctrl-C or a CI timeout that ends this process would not
 * reach them. Kill them on exit, and exit on SIGINT/SIGTERM/SIGHUP — unless the program has its own handler
 * for the signal (vscode-launcher.mjs does, to keep logs), in which case stopping is its job.
 */
function watchSignals() {
  if (watchingSignals) {
    return;
  }
  watchingSignals = true;
  process.on('exit', killLiveServers);
  const signalNumbers = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
  for (const [signal, number] of Object.entries(signalNumbers)) {
    process.on(signal, () => {
      if (process.listenerCount(signal) > 1) {
        return;
      }
      // Exit (rather than die of the signal) so that 'exit' handlers run: ours kills the servers, playwright's
      // kills the browsers. 128 + n is what a shell reports for death by signal n.
      process.exit(128 + number);
    });
  }
}

/**
 * @param {number | undefined} pid
 * @param {NodeJS.Signals} signal
 */
function killGroup(pid, signal) {
  if (pid === undefined) {
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * @param {string} url
 * @param {Promise<ExitInfo>} exited
 * @param {() => string} getOutput
 */
async function waitForHealth(url, exited, getOutput) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  /** @type {ExitInfo | undefined} */
  let done;
  exited.then((info) => (done = info));
  while (Date.now() < deadline) {
    if (done) {
      const how = done.error ? done.error.message : `exit code ${done.code ?? done.signal}`;
      throw new Error(`code-server stopped before it was ready (${how}):\n${getOutput()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) {
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(
    `code-server did not answer ${url}/healthz within ${HEALTH_TIMEOUT_MS / 1000} s:\n${getOutput()}`,
  );
}

/**
 * @param {StateDirs} dirs
 * @param {string} label
 */
function saveLogs(dirs, label) {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = path.join(hostLogsDir, `${label}-${stamp}`);
  fs.mkdirSync(target, { recursive: true });
  if (fs.existsSync(dirs.logs)) {
    fs.cpSync(dirs.logs, path.join(target, 'logs'), { recursive: true });
  }
  if (fs.existsSync(dirs.serverLog)) {
    fs.copyFileSync(dirs.serverLog, path.join(target, 'code-server.log'));
  }
  return target;
}

/**
 * A `vscode-remote://` URI for a path on the server, with the page's own authority (host:port).
 * @param {{ host: string, port: number }} server
 * @param {string} fsPath
 */
export function remoteUri(server, fsPath) {
  const abs = path.resolve(fsPath).split(path.sep).map(encodeURIComponent).join('/');
  return `vscode-remote://${server.host}:${server.port}${abs.startsWith('/') ? abs : `/${abs}`}`;
}

/**
 * The workbench URL: opens `folder`, loads the extension under development and (optionally) runs its tests.
 * @param {{ host: string, port: number, url: string }} server
 * @param {{ folder?: string, extensionDevelopmentPath?: string, extensionTestsPath?: string }} options
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const payload = [];
  if (extensionDevelopmentPath) {
    payload.push(['extensionDevelopmentPath', remoteUri(server, extensionDevelopmentPath)]);
  }
  if (extensionTestsPath) {
    payload.push(['extensionTestsPath', remoteUri(server, extensionTestsPath)]);
  }
  payload.push(['skipWelcome', 'true']);
  const query = [];
  if (folder) {
    query.push(`folder=${encodeURIComponent(path.resolve(folder))}`);
  }
  query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.url}/?${query.join('&')}`;
}

/** Chromium flags that keep a headless run quiet and offline. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Launches the system Chromium through playwright-core (never `npx playwright install`: it downloads a
 * browser). Playwright gives every launch a fresh temporary profile and removes it on close.
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchBrowser({ headless = true } = {}) {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new Error(
      '`chromium` is not on PATH: install it with `apt-get install chromium` (or set SP_CHROMIUM).',
    );
  }
  const { chromium } = await import('playwright-core');
  // Chromium writes "Crash Reports" under XDG_CONFIG_HOME and singleton sockets under TMPDIR even with a
  // throw-away profile: give it its own, removed with the browser.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-chromium-'));
  const removeRoot = () => fs.rmSync(root, { recursive: true, force: true });
  for (const dir of ['config', 'cache', 'tmp']) {
    fs.mkdirSync(path.join(root, dir));
  }
  process.on('exit', removeRoot);
  // Playwright's own signal handlers would close the browser under a test that is still running (and exit
  // before our cleanup); without them, the caller's handlers or ours above end the process and playwright's
  // 'exit' handler kills the browser.
  const browser = await chromium.launch({
    executablePath,
    headless,
    args: chromiumArgs,
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(root, 'config'),
      XDG_CACHE_HOME: path.join(root, 'cache'),
      TMPDIR: path.join(root, 'tmp'),
    },
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  browser.on('disconnected', () => {
    removeRoot();
    process.off('exit', removeRoot);
  });
  return browser;
}
