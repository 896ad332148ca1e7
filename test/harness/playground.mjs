// What `npm start` keeps between runs: the student's workspace, and the extension registered as installed in the
// persistent extensions folder. Node built-ins only (this runs right after `npm ci`, before any build).
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The student's workspace: copied from the template when it does not exist, and never touched after that.
 * @param {string} templateDir
 * @param {string} dir
 * @returns {boolean} whether it was created now
 */
export function ensurePlayground(templateDir, dir) {
  if (fs.existsSync(dir)) {
    return false;
  }
  fs.cpSync(templateDir, dir, { recursive: true });
  return true;
}

/**
 * @typedef {{ identifier?: { id?: string } }} ExtensionEntry
 */

/**
 * Registers an extension folder as installed in `extensionsDir`: the entry `code-server --install-extension`
 * would write to extensions.json, with the folder itself as its location (nothing is copied). Loaded this way,
 * the extension runs from the folder's dist/ like a development build (a rebuild and "Developer: Reload
 * Window" pick it up), but the workbench is not in extension-development mode, so the window title is the
 * product's. Setting `window.title` would not help: VS Code puts "[Extension Development Host]" in front of any
 * title while an extension is under development. Other extensions' entries are kept.
 * @param {string} extensionsDir
 * @param {string} extensionRoot the folder with the extension's package.json
 * @returns {string} the extension's id
 */
export function registerExtension(extensionsDir, extensionRoot) {
  const root = path.resolve(extensionRoot);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const id = `${pkg.publisher}.${pkg.name}`;
  const file = path.join(extensionsDir, 'extensions.json');
  /** @type {unknown} */
  let entries = [];
  try {
    entries = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // first run, or a file we cannot read: start a new list
  }
  const others = Array.isArray(entries)
    ? entries.filter((/** @type {ExtensionEntry | null} */ e) => e?.identifier?.id !== id)
    : [];
  const entry = {
    identifier: { id },
    version: pkg.version,
    location: {
      $mid: 1,
      fsPath: root,
      external: `file://${root.split(path.sep).map(encodeURIComponent).join('/')}`,
      path: root,
      scheme: 'file',
    },
    metadata: { installedTimestamp: Date.now(), source: 'resource' },
  };
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify([...others, entry]));
  return id;
}
