#!/usr/bin/env node
// `npm start`: builds the extension and serves a VS Code workbench (code-server) with it loaded, for trying it
// in a browser. Runs until Ctrl-C, then stops the server and removes its temporary state.
//
//   npm start                         port 8080 if free, else any free port
//   npm start -- --port 9000          (or PORT=9000 npm start)
//   npm start -- --folder ~/sockets   open this folder instead of a scratch copy of the textbook programs
//   npm start -- --watch              also rebuild on change (then run "Developer: Reload Window")
//   npm start -- --verbose            show code-server's own output
//
// The server listens on 127.0.0.1 only and has no password: anyone on this machine can use it while it runs.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, isPortFree, repoRoot, startCodeServer, workbenchUrl } from './codeServer.mjs';
import { installHost } from './installHost.mjs';

const DEFAULT_PORT = 8080;

function parseArgs(argv) {
  const options = { port: undefined, folder: undefined, watch: false, verbose: false };
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
      default:
        throw new Error(`unknown option ${argv[i]} (options: --port N, --folder PATH, --watch, --verbose)`);
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

/** A scratch folder with the fixture README and the textbook programs, so nothing edits the repo's copies. */
function makeScratchWorkspace() {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'socket-playground-'));
  for (const source of ['test/fixtures/workspace', 'test/fixtures/textbook']) {
    const dir = path.join(repoRoot, source);
    if (fs.existsSync(dir)) {
      fs.cpSync(dir, folder, { recursive: true });
    }
  }
  return folder;
}

function runBuild(args = []) {
  return spawn(process.execPath, [path.join(repoRoot, 'esbuild.mjs'), ...args], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const port = await choosePort(options.port);

  const build = runBuild();
  const buildCode = await new Promise((resolve) => build.on('close', (code) => resolve(code ?? 1)));
  if (buildCode !== 0) {
    throw new Error('the build failed (see above)');
  }
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error('the build produced no dist/extension.js');
  }
  await installHost({ quiet: true });

  const scratch = options.folder ? undefined : makeScratchWorkspace();
  const folder = path.resolve(options.folder ?? scratch);
  const server = await startCodeServer({ workspace: folder, port, echo: options.verbose, label: 'start' });
  const watcher = options.watch ? runBuild(['--watch']) : undefined;

  const url = workbenchUrl(server, { folder, extensionDevelopmentPath: repoRoot });
  console.log(`
Socket Playground is running in VS Code (code-server) at

  ${url}

Workspace: ${folder}${scratch ? ' (a scratch copy, removed on exit)' : ''}
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
    if (scratch) {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
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
