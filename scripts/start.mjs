#!/usr/bin/env node
// `npm start`: builds the extension and serves a VS Code workbench (code-server) with it installed, for trying
// it in a browser. Runs until Ctrl-C. Nothing a user made is thrown away on exit:
//   playground/          the workspace: created from templates/playground/ on the first start, then kept
//   .playground-state/   user settings, extensions folder and logs of this workbench, kept across runs
// Both are in .gitignore. On a fresh clone it first installs the npm dependencies and the VS Code host.
//
//   npm start                         port 8080 if free, else any free port
//   npm start -- --port 9000          (or PORT=9000 npm start)
//   npm start -- --folder ~/sockets   open this folder instead of playground/
//   npm start -- --watch              also rebuild on change (then run "Developer: Reload Window")
//   npm start -- --dev                load the extension in development mode (as the tests do; the window
//                                     title then says [Extension Development Host])
//   npm start -- --verbose            show code-server's own output
//
// The server listens on 127.0.0.1 only and has no password: anyone on this machine can use it while it runs.
// Until `npm ci` has run this file may import Node built-ins only, directly or through test/harness/.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, isPortFree, startCodeServer, workbenchUrl } from '../test/harness/codeServer.mjs';
import { ensureDependencies } from '../test/harness/dependencies.mjs';
import { installHost } from '../test/harness/installHost.mjs';
import { ensurePlayground, registerExtension } from '../test/harness/playground.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const playgroundDir = path.join(repoRoot, 'playground');
const templateDir = path.join(repoRoot, 'templates', 'playground');
const stateDir = path.join(repoRoot, '.playground-state');

/** @param {string} message */
const say = (message) => console.log(`[start] ${message}`);

const DEFAULT_PORT = 8080;

function parseArgs(argv) {
  const options = { port: undefined, folder: undefined, watch: false, dev: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i]];
    const value = () => inline ?? argv[++i];
    switch (name) {
      case '--port':
        options.port = value();
        break;
      case '--folder':
        options.folder = value();
        break;
      case '--watch':
        options.watch = true;
        break;
      case '--verbose':
        options.verbose = true;
        break;
      case '--dev':
        options.dev = true;
        break;
      default:
        throw new Error(
          `unknown option ${argv[i]} (options: --port N, --folder PATH, --watch, --dev, --verbose)`,
        );
    }
  }
  return options;
}

async function choosePort(requested) {
  const raw = requested ?? process.env.PORT;
  if (raw !== undefined && raw !== '') {
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`port must be an integer from 1 to 65535, not "${raw}"`);
    }
    if (!(await isPortFree(port))) {
      throw new Error(`port ${port} on 127.0.0.1 is already in use`);
    }
    return port;
  }
  return (await isPortFree(DEFAULT_PORT)) ? DEFAULT_PORT : freePort();
}

function runBuild(args = []) {
  return spawn(process.execPath, [path.join(repoRoot, 'esbuild.mjs'), ...args], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  await ensureDependencies(repoRoot, say);
  const port = await choosePort(options.port);

  say('building the extension (esbuild)');
  const build = runBuild();
  const buildCode = await new Promise((resolve) => build.on('close', (code) => resolve(code ?? 1)));
  if (buildCode !== 0) {
    throw new Error('the build failed (see above)');
  }
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error('the build produced no dist/extension.js');
  }
  await installHost({ log: (msg) => say(`VS Code host: ${msg}`), quiet: false });

  let folder;
  if (options.folder) {
    folder = path.resolve(options.folder);
    say(`workspace: ${folder}`);
  } else {
    folder = playgroundDir;
    say(
      ensurePlayground(templateDir, playgroundDir)
        ? `workspace: created ${path.relative(repoRoot, playgroundDir)}/ from ${path.relative(repoRoot, templateDir)}/ (yours from now on)`
        : `workspace: ${path.relative(repoRoot, playgroundDir)}/ (kept from the last run)`,
    );
  }
  const extensionsDir = path.join(stateDir, 'extensions');
  if (options.dev) {
    say('extension: development mode (--dev)');
  } else {
    say(
      `extension: ${registerExtension(extensionsDir, repoRoot)} from ${path.relative(process.cwd(), repoRoot) || '.'}`,
    );
  }
  say(`starting code-server on 127.0.0.1:${port} (state in ${path.relative(repoRoot, stateDir)}/)`);
  const server = await startCodeServer({
    workspace: folder,
    port,
    echo: options.verbose,
    label: 'start',
    stateDir,
    extensionsDir,
  });
  const watcher = options.watch ? runBuild(['--watch']) : undefined;

  const url = workbenchUrl(server, {
    folder,
    extensionDevelopmentPath: options.dev ? repoRoot : undefined,
  });
  console.log(`
Socket Playground is running in VS Code (code-server) at

  ${url}

Workspace: ${folder} (kept when you stop)
Open the URL in a browser on this machine; press Ctrl-C here to stop.
`);

  let stopping = false;
  const stop = async (code) => {
    if (stopping) {
      return;
    }
    stopping = true;
    watcher?.kill();
    await server.stop();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      console.log('\nStopping…');
      void stop(0);
    });
  }
  const exit = await server.exited;
  if (!stopping) {
    console.error(
      `code-server stopped on its own (${exit.code ?? exit.signal}); run with --verbose to see why.`,
    );
    await stop(1);
  }
}

main().catch((err) => {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
