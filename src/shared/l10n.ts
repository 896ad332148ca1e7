/**
 * Text the user reads, kept translatable without a translator in the runtime that makes it: the English
 * template (`{0}`, `{1}` … where the arguments go) and its arguments. The core and the webview only format;
 * the host looks the template up in its `vscode.l10n` bundle (docs/architecture.md, Localisation).
 * No `vscode`, no DOM, no Node.
 */

/** An argument of a template: what `vscode.l10n.t` accepts. */
export type TextArg = string | number | boolean;

/** A translatable message: its English template, its arguments, and the English text they make. */
export type Text = { readonly template: string; readonly args: readonly TextArg[] };

/** Puts the arguments into `{0}`, `{1}` …; a placeholder without an argument stays as written. */
export function formatText(template: string, args: readonly TextArg[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const arg = args[Number(index)];
    return arg === undefined ? whole : String(arg);
  });
}

/** A translatable message from its English template and arguments. */
export function text(template: string, ...args: TextArg[]): Text {
  return { template, args };
}

/** The placeholders a template uses, sorted (`"{1} of {0}"` → `["{0}", "{1}"]`): a translation must keep them. */
export function placeholders(template: string): string[] {
  return [...new Set(template.match(/\{\d+\}/g) ?? [])].sort();
}
