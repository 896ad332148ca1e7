/**
 * Text the user reads, kept translatable without a translator in the runtime that makes it: the English
 * template (`{0}`, `{1}` … where the arguments go) and its arguments. The core and the webview only format;
 * the host looks the template up in its `vscode.l10n` bundle (docs/architecture.md, Localisation).
 * No `vscode`, no DOM, no Node.
 */

/**
 * An argument of a template: what `vscode.l10n.t` accepts, or a message of its own (a clause, a hint) that is
 * translated before it goes in.
 */
export type TextArg = string | number | boolean | Text;

/** A translatable message: its English template, its arguments, and the English text they make. */
export type Text = { readonly template: string; readonly args: readonly TextArg[] };

/** Whether an argument is a nested message rather than a plain value. */
export function isText(arg: TextArg): arg is Text {
  return typeof arg === 'object';
}

/**
 * Puts the arguments into `{0}`, `{1}` … (a nested message formatted in English first); a placeholder without
 * an argument stays as written. One pass: a `{0}` inside an argument is not filled again.
 */
export function formatText(template: string, args: readonly TextArg[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const arg = args[Number(index)];
    return arg === undefined ? whole : isText(arg) ? formatText(arg.template, arg.args) : String(arg);
  });
}

/** A message in English: what API callers, the command line and the report files get. */
export function englishText(message: Text): string {
  return formatText(message.template, message.args);
}

/**
 * Words that are not translated, shown as written (an instructor's own check title, a program's output): a
 * message whose template is only its argument, which no bundle holds.
 */
export function plainText(words: string): Text {
  return { template: '{0}', args: [words] };
}

/**
 * Messages one after the other with a separator between them ("a; b; c"): punctuation, which no language
 * changes, so its template is only its placeholders.
 */
export function joinText(parts: readonly TextArg[], separator: string): Text {
  return { template: parts.map((_, i) => `{${i}}`).join(separator), args: [...parts] };
}

/** A translatable message from its English template and arguments. */
export function text(template: string, ...args: TextArg[]): Text {
  return { template, args };
}

/** The placeholders a template uses, sorted (`"{1} of {0}"` → `["{0}", "{1}"]`): a translation must keep them. */
export function placeholders(template: string): string[] {
  return [...new Set(template.match(/\{\d+\}/g) ?? [])].sort();
}
