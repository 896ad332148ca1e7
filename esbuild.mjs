// Three bundles built together: the extension (Node, CommonJS) and the two webviews (browser, IIFE); plus the
// course notes as data (dist/course-notes.json, see courseNotes below).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

const corpusSource = path.resolve('src/core/notes/lectureNotes.ts');

/**
 * The course notes are prose, not code: keep them out of the extension bundle. The corpus module is evaluated
 * here, written to dist/course-notes.json, and replaced in the bundle by a loader that reads that file the first
 * time a note is needed (src/core/notes/notes.ts). Unit tests import the corpus module itself.
 */
const courseNotes = {
  name: 'course-notes',
  setup(build) {
    build.onResolve({ filter: /\/lectureNotes$/ }, (args) => {
      const resolved = path.resolve(args.resolveDir, `${args.path}.ts`);
      return resolved === corpusSource ? { path: resolved, namespace: 'course-notes' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'course-notes' }, async () => {
      // Bundled to a temporary CommonJS file and required: no eval, and each (watch) rebuild reads it afresh.
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'course-notes-'));
      const outfile = path.join(tmp, 'corpus.cjs');
      let notes;
      let inputs;
      try {
        const out = await esbuild.build({
          entryPoints: [corpusSource],
          outfile,
          bundle: true,
          platform: 'node',
          format: 'cjs',
          logLevel: 'silent',
          metafile: true,
        });
        inputs = Object.keys(out.metafile.inputs);
        notes = createRequire(import.meta.url)(outfile).loadNotes();
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
      mkdirSync('dist', { recursive: true });
      writeFileSync('dist/course-notes.json', JSON.stringify(notes));
      return {
        loader: 'js',
        resolveDir: path.dirname(corpusSource),
        watchFiles: inputs.map((f) => path.resolve(f)),
        contents: [
          "import { readFileSync } from 'node:fs';",
          "import { join } from 'node:path';",
          "export function loadNotes() { return JSON.parse(readFileSync(join(__dirname, 'course-notes.json'), 'utf8')); }",
        ].join('\n'),
      };
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: watch ? [problemMatcher] : [],
};

const contexts = await Promise.all([
  esbuild.context({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [...common.plugins, courseNotes],
  }),
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

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
