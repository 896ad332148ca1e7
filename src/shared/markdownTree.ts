/**
 * A course note's Markdown as a small syntax tree: what the host parses (core/notes) and what both webviews
 * build DOM from with createElement and textContent. Plain data (it crosses postMessage), no HTML anywhere: raw
 * HTML in a note arrives as text and is shown as text.
 */

/** Inline content: text and the few marks the notes use. */
export type MdInline =
  | { type: 'text'; value: string }
  | { type: 'inlineCode'; value: string }
  | { type: 'emphasis'; children: MdInline[] }
  | { type: 'strong'; children: MdInline[] }
  | { type: 'delete'; children: MdInline[] }
  /** `href` is kept only when it is a note link (`note:<id>` or a relative `<id>.md`) or http(s). */
  | { type: 'link'; href?: string; children: MdInline[] }
  | { type: 'break' };

export type MdTableCell = MdInline[];

/** Block content. */
export type MdBlock =
  | { type: 'paragraph'; children: MdInline[] }
  | { type: 'heading'; depth: 1 | 2 | 3 | 4 | 5 | 6; children: MdInline[] }
  | { type: 'list'; ordered: boolean; start?: number; items: MdBlock[][] }
  | { type: 'code'; lang?: string; text: string }
  | { type: 'blockquote'; children: MdBlock[] }
  | { type: 'table'; header: MdTableCell[]; rows: MdTableCell[][] }
  | { type: 'thematicBreak' };

/** Where a note link points, or undefined when the href is not one: `note:<id>`, `<id>.md`, `./<id>.md`. */
export function noteLinkTarget(href: string): string | undefined {
  const m = /^(?:note:|\.\/)?([a-z0-9][a-z0-9-]{0,99})(?:\.md)?$/.exec(href);
  if (!m || (!href.startsWith('note:') && !href.endsWith('.md'))) {
    return undefined;
  }
  return m[1];
}

/** True for the link targets a note may carry: note links and http(s) URLs. Never `javascript:` or `data:`. */
export function isSafeHref(href: string): boolean {
  return noteLinkTarget(href) !== undefined || /^https?:\/\/[^\s]+$/i.test(href);
}

/** The plain text of inline content (titles, search, tests). */
export function inlineText(nodes: readonly MdInline[]): string {
  let s = '';
  for (const n of nodes) {
    switch (n.type) {
      case 'text':
      case 'inlineCode':
        s += n.value;
        break;
      case 'break':
        s += '\n';
        break;
      default:
        s += inlineText(n.children);
    }
  }
  return s;
}
