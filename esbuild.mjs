// The bundles: the extension, the wings and the notes parser it loads on first use (Node, CommonJS), the command
// line, and the two webviews (browser, IIFE); plus the built-in course notes as data (dist/course-notes.json, see
// courseNotes).
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the format the `$esbuild-watch` problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) {
          console.error(`    ${location.file}:${location.line}:${location.column}:`);
        }
      }
      console.log('[watch] build finished');
    });
  },
};

const builtinSource = path.resolve('src/core/notes/builtinPack.ts');
const parserSource = path.resolve('src/core/notes/packFormat.ts');

/**
 * The course notes are content (notes/builtin/, one Markdown file per note), not code: keep them and their
 * parsers out of the extension bundle. At build time the built-in pack is read and parsed here (through the
 * same builtinPack.ts the unit tests run), written to dist/course-notes.json, and builtinPack is replaced in the
 * bundle by a reader of that file, called the first time a note is needed. A problem in the built-in pack fails
 * the build. The parser itself (packFormat.ts with its Markdown and YAML libraries) becomes dist/notes-parser.js,
 * required only when a run-time pack (`socketPlayground.notes.packs`) is read.
 */
const courseNotes = {
  name: 'course-notes',
  setup(build) {
    build.onResolve({ filter: /\/builtinPack$/ }, (args) => {
      const resolved = path.resolve(args.resolveDir, `${args.path}.ts`);
      return resolved === builtinSource ? { path: resolved, namespace: 'course-notes' } : undefined;
    });
    build.onResolve({ filter: /\/packFormat$/ }, (args) => {
      const resolved = path.resolve(args.resolveDir, `${args.path}.ts`);
      return resolved === parserSource ? { path: './notes-parser.js', external: true } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'course-notes' }, async () => {
      // Bundled to a temporary CommonJS file and required: no eval, and each (watch) rebuild reads it afresh.
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'course-notes-'));
      const outfile = path.join(tmp, 'builtin.cjs');
      let packs;
      let inputs;
      try {
        const out = await esbuild.build({
          entryPoints: [builtinSource],
          outfile,
          bundle: true,
          platform: 'node',
          format: 'cjs',
          logLevel: 'silent',
          metafile: true,
          // The bundle finds notes/builtin/ from its own place: it sits in the temporary folder, so say where.
          define: { __dirname: JSON.stringify(path.resolve('src/core/notes')) },
        });
        inputs = Object.keys(out.metafile.inputs);
        const mod = createRequire(import.meta.url)(outfile);
        packs = mod.builtinLanguages().map((language) => mod.loadBuiltinPack(language));
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
      const problems = packs.flatMap((p) => p.problems);
      if (problems.length > 0) {
        const list = problems.map((p) => `${path.relative('.', p.file)}:${p.line}: ${p.message}`);
        throw new Error(`the built-in notes pack has problems:\n${list.join('\n')}`);
      }
      mkdirSync('dist', { recursive: true });
      for (const f of readdirSync('dist').filter((f) => /^course-notes\..+\.json$/.test(f))) {
        rmSync(path.join('dist', f));
      }
      for (const pack of packs) {
        const file = pack.language === 'en' ? 'course-notes.json' : `course-notes.${pack.language}.json`;
        const relative = path.relative('.', pack.path).split(path.sep).join('/');
        writeFileSync(path.join('dist', file), JSON.stringify({ ...pack, path: relative }));
      }
      const folder = path.resolve('notes');
      return {
        loader: 'js',
        resolveDir: path.dirname(builtinSource),
        watchFiles: [
          ...inputs.map((f) => path.resolve(f)),
          ...packs.flatMap((p) => readdirSync(p.path).map((f) => path.join(p.path, f))),
        ],
        watchDirs: [folder, ...packs.map((p) => p.path)],
        contents: [
          "import { existsSync, readdirSync, readFileSync } from 'node:fs';",
          "import { join } from 'node:path';",
          'export function loadBuiltinPack(language) {',
          "  const file = join(__dirname, !language || language === 'en' ? 'course-notes.json' : `course-notes.${language}.json`);",
          "  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;",
          '}',
          'export function builtinLanguages() {',
          '  const more = readdirSync(__dirname).map((f) => /^course-notes\\.(.+)\\.json$/.exec(f)?.[1]).filter(Boolean);',
          "  return ['en', ...more.sort()];",
          '}',
        ].join('\n'),
      };
    });
  },
};

/**
 * The wings loaded on first use (src/wings.ts): each becomes dist/<name>.js with the files under its folder,
 * minus the small modules the host needs at activation (`stays`). A wing's imports of the rest of the engine
 * are not bundled again: extension.js exports those modules (`__modules`, keyed by source path) and the wing
 * requires them from it, so both share one registry, one log and one set of classes. An import from one wing
 * into another goes the same way, to the other wing's file. In the extension a wing may only be loaded with
 * require() (src/wings.ts does it): a static import would load it at activation, so it fails the build.
 */
const WINGS = [
  { name: 'labs', dir: 'src/core/labs' },
  { name: 'protocols', dir: 'src/core/protocols' },
  { name: 'scenarios', dir: 'src/core/scenarios' },
  {
    name: 'assist',
    dir: 'src/core/assist',
    stays: ['languages.ts', 'lintTypes.ts', 'socketCalls.ts'],
  },
];
const sourceRoot = path.resolve('src');
const keyOf = (file) => path.relative('.', file).split(path.sep).join('/');
/** The bundle a source file belongs to: a wing's name, or 'extension'. */
function homeOf(file) {
  const key = keyOf(file);
  const wing = WINGS.find(
    (w) => key.startsWith(`${w.dir}/`) && !w.stays?.includes(key.slice(w.dir.length + 1)),
  );
  return wing?.name ?? 'extension';
}
function wingFiles(wing) {
  return readdirSync(wing.dir)
    .filter((f) => f.endsWith('.ts') && !wing.stays?.includes(f))
    .sort()
    .map((f) => path.resolve(wing.dir, f));
}
/** Per wing: the extension's modules it imports (extension.js exports their union). */
const wingNeeds = new Map();
let extensionBuiltWith = '';
let extensionContext;
const extensionExports = () => [...new Set([...wingNeeds.values()].flatMap((s) => [...s]))].sort();

/** The entry of a bundle: a wing exports every module of its own; the extension, activate() and what wings need. */
function entryContents(owner) {
  const files =
    owner === 'extension'
      ? extensionExports().map((k) => path.resolve(k))
      : wingFiles(WINGS.find((w) => w.name === owner));
  const lines = files.map((f, i) => `import * as m${i} from ${JSON.stringify(f)};`);
  if (owner === 'extension') {
    lines.push(`export * from ${JSON.stringify(path.resolve('src/extension.ts'))};`);
  }
  lines.push(
    `export const __modules = {${files.map((f, i) => `${JSON.stringify(keyOf(f))}: m${i}`).join(', ')}};`,
  );
  return lines.join('\n');
}

function wingsPlugin(owner) {
  return {
    name: 'wings',
    setup(build) {
      // What this build of a wing imports from the extension; it replaces the last build's list when it ends.
      let needs = new Set();
      build.onStart(() => {
        if (owner === 'extension') {
          extensionBuiltWith = extensionExports().join();
        }
        needs = new Set();
      });
      build.onEnd((result) => {
        if (owner === 'extension' || result.errors.length > 0) {
          return;
        }
        wingNeeds.set(owner, needs);
        // In watch mode a wing that starts importing another module of the extension rebuilds the extension.
        if (watch && extensionExports().join() !== extensionBuiltWith) {
          extensionContext?.rebuild().catch((e) => console.error(`✘ [ERROR] rebuilding the extension: ${e}`));
        }
      });
      build.onResolve({ filter: /^wing-entry$/ }, () => ({ path: owner, namespace: 'wing-entry' }));
      build.onLoad({ filter: /.*/, namespace: 'wing-entry' }, () => ({
        contents: entryContents(owner),
        resolveDir: path.resolve('.'),
        loader: 'js',
      }));
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.pluginData?.wings || args.namespace !== 'file') {
          return undefined;
        }
        const found = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { wings: true },
        });
        if (found.errors.length > 0 || found.external || !found.path.startsWith(sourceRoot + path.sep)) {
          return undefined;
        }
        const home = homeOf(found.path);
        if (home === owner) {
          return undefined;
        }
        const key = keyOf(found.path);
        if (owner === 'extension' && args.kind === 'import-statement') {
          return {
            errors: [
              {
                text: `${keyOf(args.importer)} imports ${key} statically: it belongs to the "${home}" wing, which loads on first use; go through src/wings.ts`,
              },
            ],
          };
        }
        if (home === 'extension') {
          needs.add(key);
        }
        return { path: key, namespace: 'wing-ref', pluginData: { home } };
      });
      build.onResolve({ filter: /^\.\/[a-z-]+\.js$/, namespace: 'wing-ref' }, (args) => ({
        path: args.path,
        external: true,
      }));
      build.onLoad({ filter: /.*/, namespace: 'wing-ref' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(`./${args.pluginData.home}.js`)}).__modules[${JSON.stringify(args.path)}];`,
        resolveDir: path.resolve('.'),
        loader: 'js',
      }));
    },
  };
}

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: watch ? [problemMatcher] : [],
};

/** The extension and its wings: CommonJS for Node, each loading the others with require(). */
const hostBundle = (owner) => ({
  ...common,
  entryPoints: ['wing-entry'],
  outfile: `dist/${owner}.js`,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  // The notes parser is loaded with require() when first needed, not import(): it is a CommonJS file too.
  supported: { 'dynamic-import': false },
  plugins: [...common.plugins, wingsPlugin(owner), courseNotes],
});
const wingContexts = await Promise.all(WINGS.map((w) => esbuild.context(hostBundle(w.name))));
extensionContext = await esbuild.context(hostBundle('extension'));

const contexts = await Promise.all([
  esbuild.context({
    // The command line for labs (autograders): the core only, no vscode; `npx socket-playground lab …`.
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [...common.plugins, courseNotes],
  }),
  esbuild.context({
    ...common,
    entryPoints: [parserSource],
    outfile: 'dist/notes-parser.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  }),
  esbuild.context({
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  }),
  esbuild.context({
    ...common,
    entryPoints: ['src/webview/notes/main.ts'],
    outfile: 'dist/notes.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  }),
]);

// Codicons for the webview: the font and its CSS, shipped next to the bundle (dist/codicons/).
mkdirSync('dist/codicons', { recursive: true });
for (const f of ['codicon.css', 'codicon.ttf']) {
  copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/codicons/${f}`);
}

const all = [...wingContexts, extensionContext, ...contexts];
// The wings before the extension: it exports the modules they import.
await Promise.all([...wingContexts, ...contexts].map((c) => c.rebuild()));
await extensionContext.rebuild();
if (watch) {
  await Promise.all(all.map((c) => c.watch()));
} else {
  await Promise.all(all.map((c) => c.dispose()));
}
