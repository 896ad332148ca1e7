#!/usr/bin/env node
// Installs the VS Code host used by the integration and UI tests: code-server from npm (VS Code 1.100.3 as a
// server plus the web workbench). The desktop build cannot be downloaded offline; see
// docs/testing.md for why code-server and why these three workarounds:
//   1. @vscode/ripgrep's postinstall would fetch `rg` from GitHub, but first looks for a cached tarball in
//      os.tmpdir(); we put Debian's /usr/bin/rg there under the name it expects.
//   2. node-pty's postinstall runs `npx node-gyp`; npm's `yes=false` would make that npx prompt and fail.
//   3. `--unsafe-perm` so the nested postinstall (`npm install` in lib/vscode) also runs as root in CI.
// Idempotent: does nothing when the installed code-server already reports the wanted version.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
/** The @vscode/ripgrep inside code-server 4.100.3's lib/vscode, and the rg release it would download. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';

/** The repository: this file is test/harness/installHost.mjs. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const hostDir = path.join(repoRoot, '.vscode-test', 'code-server');
export const codeServerBin = path.join(hostDir, 'node_modules', '.bin', 'code-server');

/**
 * Where an executable is on PATH, or undefined.
 * @param {string} name
 * @returns {string | undefined}
 */
export function which(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The Chromium the tests drive (never playwright's downloaded one: there is no internet for it). */
export function findChromium() {
  const fromEnv = process.env.SP_CHROMIUM;
  if (fromEnv) {
    return fromEnv;
  }
  return which('chromium') ?? which('chromium-browser') ?? which('google-chrome');
}

/** Throws with the apt package to install when a prerequisite is missing (ripgrep: to install; browser: to test). */
export function checkPrerequisites({ ripgrep = false, browser = false } = {}) {
  const missing = [];
  if (ripgrep && !which('rg')) {
    missing.push('`rg` (ripgrep) is not on PATH: install it with `apt-get install ripgrep`.');
  }
  if (browser && !findChromium()) {
    missing.push(
      '`chromium` is not on PATH: install it with `apt-get install chromium` (or set SP_CHROMIUM to a Chrome binary).',
    );
  }
  if (missing.length > 0) {
    throw new Error(`Missing prerequisites for the VS Code test host:\n  ${missing.join('\n  ')}`);
  }
}

/**
 * The installed code-server's version, or undefined when it is missing or its install did not finish. Read from
 * its package.json (and the postinstall's lib/vscode/node_modules), not from `code-server --version`: on a busy
 * machine that can time out, and a timeout must never be taken for a broken install (which is then removed).
 */
export function installedVersion() {
  const pkg = path.join(hostDir, 'node_modules', 'code-server', 'package.json');
  const postinstalled = path.join(hostDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  if (!fs.existsSync(codeServerBin) || !fs.existsSync(postinstalled)) {
    return undefined;
  }
  try {
    const version = JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

function ripgrepTarget() {
  switch (process.arch) {
    case 'x64':
      return 'x86_64-unknown-linux-musl';
    case 'arm64':
      return 'aarch64-unknown-linux-musl';
    default:
      throw new Error(`No ripgrep cache name known for ${process.platform}-${process.arch}.`);
  }
}

/**
 * Puts a tarball holding the local `rg` where @vscode/ripgrep's postinstall looks before downloading.
 * The tarball must sit in the tmpdir the install's node processes see, so the caller passes that TMPDIR on.
 * @param {string} tmpDir
 */
function seedRipgrepCache(tmpDir) {
  const rg = which('rg');
  if (!rg) {
    throw new Error('`rg` (ripgrep) is not on PATH: install it with `apt-get install ripgrep`.');
  }
  const cacheDir = path.join(tmpDir, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const tarball = path.join(cacheDir, `ripgrep-${RIPGREP_RELEASE}-${ripgrepTarget()}.tar.gz`);
  fs.mkdirSync(cacheDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(tmpDir, 'sp-rg-'));
  try {
    fs.copyFileSync(fs.realpathSync(rg), path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    const tar = spawnSync('tar', ['-czf', tarball, '-C', staging, 'rg'], { encoding: 'utf8' });
    if (tar.status !== 0) {
      throw new Error(`tar failed while seeding the ripgrep cache: ${tar.stderr}`);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return tarball;
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} options
 * @returns {Promise<void>}
 */
function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) {
        resolve();
      } else {
        reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`})`));
      }
    });
  });
}

/**
 * Makes sure code-server CODE_SERVER_VERSION is installed in .vscode-test/code-server.
 * @param {{ log?: (msg: string) => void, quiet?: boolean }} [options] quiet: say nothing if already installed
 * @returns the path of the code-server executable
 */
export async function installHost({
  log = (msg) => console.log(`[installHost] ${msg}`),
  quiet = false,
} = {}) {
  const current = installedVersion();
  if (current === CODE_SERVER_VERSION) {
    if (!quiet) {
      log(`code-server ${current} already installed in ${path.relative(repoRoot, hostDir)}`);
    }
    return codeServerBin;
  }
  checkPrerequisites({ ripgrep: true });
  if (fs.existsSync(hostDir)) {
    // A shared install (.vscode-test linked from another checkout) belongs to that checkout: never remove it
    // through the link. Say what is wrong instead.
    const shared = path.dirname(hostDir);
    if (fs.lstatSync(shared).isSymbolicLink()) {
      throw new Error(
        `${shared} links to ${fs.realpathSync(shared)}, whose code-server install is missing or unfinished; ` +
          'install it there (node test/harness/installHost.mjs in that checkout) rather than through the link.',
      );
    }
    // A half-finished or other-version install: start clean rather than let npm patch it up.
    log(`removing ${current ? `code-server ${current}` : 'an incomplete install'} from ${hostDir}`);
    fs.rmSync(hostDir, { recursive: true, force: true });
  }
  fs.mkdirSync(hostDir, { recursive: true });

  const tmpDir = os.tmpdir();
  const tarball = seedRipgrepCache(tmpDir);
  log(`seeded ${tarball} from ${which('rg')}`);

  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, TMPDIR: tmpDir, npm_config_yes: 'true' };
  // node-gyp builds node-pty and kerberos against the running Node's headers when they are installed locally.
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (!env.npm_config_nodedir && fs.existsSync(path.join(prefix, 'include', 'node', 'node.h'))) {
    env.npm_config_nodedir = prefix;
  }

  log(
    `installing code-server@${CODE_SERVER_VERSION} into ${path.relative(repoRoot, hostDir)} (about a minute)`,
  );
  const started = Date.now();
  // npm prints nothing at --loglevel=error for most of a minute: say that it is still working.
  const heartbeat = setInterval(
    () => log(`still installing code-server (${((Date.now() - started) / 1000).toFixed(0)} s)`),
    15_000,
  );
  await run(
    'npm',
    [
      'install',
      '--prefix',
      hostDir,
      '--unsafe-perm',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `code-server@${CODE_SERVER_VERSION}`,
    ],
    { cwd: hostDir, env },
  ).finally(() => clearInterval(heartbeat));
  const version = installedVersion();
  if (version !== CODE_SERVER_VERSION) {
    throw new Error(
      `code-server installed but \`${codeServerBin} --version\` reports ${version ?? 'nothing'}; ` +
        'if native modules failed to build: apt-get install python3 make g++ libkrb5-dev',
    );
  }
  log(`installed code-server ${version} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return codeServerBin;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  installHost().catch((err) => {
    console.error(`[installHost] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
