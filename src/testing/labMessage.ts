/**
 * A lab check's message cut for the Test Results pane, vscode-free so plain mocha tests it: the results tree
 * shows a message's first line only, and the message view does not wrap long lines, so the message goes there
 * one sentence a line, the first (what failed) first.
 */

/** The sentences of `message`; a sentence end inside a quoted payload (a JSON string) does not count. */
export function splitSentences(message: string): string[] {
  const text = message.trim();
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\') {
      i++; // an escaped character of a quoted payload
    } else if (c === '"') {
      quoted = !quoted;
    } else if (
      !quoted &&
      (c === '.' || c === '?' || c === '!' || c === ';') &&
      /\s/.test(text[i + 1] ?? '')
    ) {
      const next = text.slice(i + 1).trimStart();
      // A sentence end, not a version number or an address: the next word starts a sentence (or a clause, ";").
      // Any language's capital counts, and Spanish opening marks (¿ ¡ «).
      if (c === ';' || /^[\p{Lu}(`'"«¿¡]/u.test(next)) {
        out.push(text.slice(start, c === ';' ? i : i + 1).trim());
        start = i + 1;
      }
    }
  }
  const last = text.slice(start).trim();
  if (last) {
    out.push(last);
  }
  // A clause after ";" becomes a sentence of its own: it starts with a capital.
  return out.map((s, i) => (i === 0 ? s : s.replace(/^\p{Ll}/u, (l) => l.toUpperCase())));
}

/** The first sentence of `message` and the rest. */
export function splitFirstSentence(message: string): { head: string; rest: string[] } {
  const [head = '', ...rest] = splitSentences(message);
  return { head, rest };
}

/**
 * Text as Markdown that renders as exactly this text. Not MarkdownString.appendText: that turns every space into
 * a no-break space, so a long message is one unbreakable line in the Test Results pane.
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, '\\$&')
    .replace(/\r?\n/g, '\n\n')
    .replace(/^[ \t]+/gm, '');
}
