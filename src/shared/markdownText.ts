/**
 * Untrusted text (another program's command line, a peer's bytes) placed in Markdown, such as a tree item's
 * tooltip, so that it shows exactly as written and does nothing: every ASCII punctuation character is
 * backslash-escaped (CommonMark allows that for all of them), so no emphasis, link, autolink, image, table
 * cell break, HTML tag, entity or theme icon can form; control characters, line breaks included, become
 * visible escapes, so the text stays on its line. Pure: no vscode, no DOM.
 */

const PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** Text as inert Markdown (see above), cut to `maxLength` characters before escaping. */
export function markdownText(text: string, maxLength = 500): string {
  let t = text;
  if (t.length > maxLength) {
    t = `${t.slice(0, maxLength - 1)}…`;
  }
  let out = '';
  for (const ch of t) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) {
      // Shown as \n, \t, \x1b: the backslash itself is escaped below like any other punctuation.
      out +=
        c === 0x0a
          ? '\\n'
          : c === 0x0d
            ? '\\r'
            : c === 0x09
              ? '\\t'
              : `\\x${c.toString(16).padStart(2, '0')}`;
    } else if (c === 0x2028 || c === 0x2029) {
      out += ' ';
    } else {
      out += ch;
    }
  }
  return out.replace(PUNCTUATION, '\\$&');
}
