// Installs the npm dependencies when they are missing or older than package-lock.json, so that `npm start` and
// `npm test` are the only two commands a fresh clone needs. This runs before node_modules exists: it may use
// Node's built-in modules only (the same holds for everything it imports).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * @typedef {{ version?: string, optional?: boolean, dev?: boolean, link?: boolean }} LockEntry
 * @typedef {{ packages?: Record<string, LockEntry> }} Lockfile
 */

/**
 * @param {string} file
 * @returns {Lockfile | undefined}
 */
function readLock(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Why node_modules does not match package-lock.json, or undefined when it does. npm writes what it installed
 * to node_modules/.package-lock.json; every package the lock file names must be there at the same version
 * (optional ones, such as another platform's binaries, may be missing).
 * @param {string} repoRoot
 * @returns {string | undefined}
 */
export function dependenciesOutOfDate(repoRoot) {
  const wanted = readLock(path.join(repoRoot, 'package-lock.json'));
  if (!wanted?.packages) {
    return 'package-lock.json is missing or unreadable';
  }
  if (!fs.existsSync(path.join(repoRoot, 'node_modules'))) {
    return 'node_modules is missing';
  }
  const installed = readLock(path.join(repoRoot, 'node_modules', '.package-lock.json'));
  if (!installed?.packages) {
    return 'node_modules was not installed from the lock file';
  }
  for (const [key, entry] of Object.entries(wanted.packages)) {
    if (key === '' || !key.startsWith('node_modules/')) {
      continue;
    }
    const have = installed.packages[key];
    if (!have) {
      if (entry.optional) {
        continue;
      }
      return `${key.slice('node_modules/'.length)} is not installed`;
    }
    if (entry.version !== undefined && have.version !== entry.version) {
      return `${key.slice('node_modules/'.length)} is ${have.version ?? 'unknown'}, the lock file wants ${entry.version}`;
    }
  }
  return undefined;
}

/**
 * Runs `npm ci` when dependenciesOutOfDate says so; says what it does either way.
 * @param {string} repoRoot
 * @param {(message: string) => void} log
 * @returns {Promise<void>}
 */
export async function ensureDependencies(repoRoot, log) {
  const why = dependenciesOutOfDate(repoRoot);
  if (!why) {
    log('npm dependencies: up to date with package-lock.json');
    return;
  }
  log(`npm dependencies: ${why}; running \`npm ci\` (about half a minute)`);
  const started = Date.now();
  const code = await new Promise((resolve) => {
    const child = spawn('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot, stdio: 'inherit' });
    child.on('error', (err) => {
      log(`cannot run npm: ${err.message}`);
      resolve(1);
    });
    child.on('close', (exitCode) => resolve(exitCode ?? 1));
  });
  if (code !== 0) {
    throw new Error(`\`npm ci\` failed (exit code ${code}); see its output above`);
  }
  log(`npm dependencies: installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
