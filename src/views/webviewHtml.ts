import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** What differs between the playground's webviews: their bundle, their stylesheets, their title and root label. */
export type WebviewPage = {
  title: string;
  /** Path of the script bundle below the extension, e.g. ['dist', 'webview.js']. */
  script: string[];
  /** Paths of stylesheets below the extension, after the codicons and the shared Markdown styles. */
  styles: string[][];
  /** The accessible name of the page's root element. */
  label: string;
  /** The root element's ARIA role, if it has one. */
  role?: string;
};

/** Where a webview may load from: the bundles and the static media, nothing else (SECURITY.md, Webview CSP). */
export function webviewOptions(
  extensionUri: vscode.Uri,
  { findWidget = false } = {},
): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    // Ctrl+F in prose (the notes); the traffic log is virtualised, so its own filter is the way to search it.
    enableFindWidget: findWidget,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

/**
 * The HTML of a playground webview: a strict CSP (nothing but this extension's own files, scripts only with the
 * nonce, no inline script or style) and a fresh crypto-random nonce for every render (GitLens), never Math.random.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const uri = (p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const csp = contentSecurityPolicy(webview.cspSource, nonce);
  const styles = [['dist', 'codicons', 'codicon.css'], ['media', 'markdown.css'], ...page.styles]
    .map((p) => `<link rel="stylesheet" href="${uri(p)}">`)
    .join('\n');
  const role = page.role ? ` role="${page.role}"` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
<title>${page.title}</title>
</head>
<body>
<div id="app"${role} aria-label="${page.label}"></div>
<script nonce="${nonce}" src="${uri(page.script)}"></script>
</body>
</html>`;
}

/**
 * The policy itself: nothing but this extension's files, scripts only with the nonce; no <base> may re-point
 * the page's relative URLs and no form may submit anywhere.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `base-uri 'none'`,
    `form-action 'none'`,
  ].join('; ');
}
