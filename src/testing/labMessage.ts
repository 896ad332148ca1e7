/**
 * A lab check's message cut for the Test Results pane, vscode-free so plain mocha tests it: the results tree
 * shows a message's first line only (and does not wrap it), so the first sentence (what failed) goes first, and
 * the rest (what the program did, what to change) after a blank line, where the peek view wraps it.
 */

/** The first sentence of `message` and the rest; a sentence end inside a quoted payload does not count. */
export function splitFirstSentence(message: string): { head: string; rest: string } {
  const text = message.trim();
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\') {
      i++; // an escaped character of a quoted payload (they are quoted as JSON strings)
    } else if (c === '"') {
      quoted = !quoted;
    } else if (
      !quoted &&
      (c === '.' || c === '?' || c === '!' || c === ';') &&
      /\s/.test(text[i + 1] ?? '')
    ) {
      const rest = text.slice(i + 1).trim();
      // A sentence end, not an abbreviation or a version number: the next word starts a sentence.
      if (/^[A-Z(`'"]/.test(rest) || c === ';') {
        return {
          head: c === ';' ? text.slice(0, i) : text.slice(0, i + 1),
          rest: rest.replace(/^[a-z]/, (l) => l.toUpperCase()),
        };
      }
    }
  }
  return { head: text, rest: '' };
}
