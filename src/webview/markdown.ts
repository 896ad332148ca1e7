/**
 * Renders a course note's Markdown syntax tree (shared/markdownTree.ts, parsed in the extension host) into DOM
 * with createElement and textContent only: paragraphs, headings, lists, code, tables, quotes, inline code, bold
 * and italics. Nothing here parses Markdown or HTML. Links: a note link opens that note through `openNote`; an
 * http(s) link shows its text with the address as a tooltip (the host, not the webview, opens the web); any other
 * target is text.
 */
import { inlineText, noteLinkTarget, type MdBlock, type MdInline } from '../shared/markdownTree';
import { h } from './dom';

export type RenderOptions = {
  /** Called when a note link (`note:<id>` or `<id>.md`) is followed; without it note links are text. */
  openNote?: (noteId: string) => void;
};

function inline(nodes: readonly MdInline[], opts: RenderOptions): Node[] {
  const out: Node[] = [];
  for (const n of nodes) {
    switch (n.type) {
      case 'text':
        out.push(document.createTextNode(n.value));
        break;
      case 'inlineCode':
        out.push(h('code', { text: n.value }));
        break;
      case 'emphasis':
        out.push(h('em', {}, ...inline(n.children, opts)));
        break;
      case 'strong':
        out.push(h('strong', {}, ...inline(n.children, opts)));
        break;
      case 'delete':
        out.push(h('del', {}, ...inline(n.children, opts)));
        break;
      case 'break':
        out.push(h('br'));
        break;
      case 'link': {
        const target = n.href === undefined ? undefined : noteLinkTarget(n.href);
        const open = opts.openNote;
        if (target !== undefined && open) {
          const a = h(
            'a',
            { href: '#', class: 'md-note-link', 'data-note': target },
            ...inline(n.children, opts),
          );
          a.addEventListener('click', (ev) => {
            ev.preventDefault();
            open(target);
          });
          out.push(a);
        } else {
          out.push(h('span', { class: 'md-link', title: n.href }, ...inline(n.children, opts)));
        }
        break;
      }
      default: {
        const never: never = n;
        void never;
      }
    }
  }
  return out;
}

/**
 * Code as one element per line (the text, with its newline, is unchanged: copying a selection gives the code
 * back). Each line carries its indentation as `--indent`, so a stylesheet that wraps long lines can hang the
 * continuation under the line's own indentation instead of at the left margin (markdown.css does). Setting a
 * custom property through CSSOM is not an inline style attribute: the CSP allows it.
 */
export function codeLines(text: string): HTMLElement {
  const code = h('code');
  const lines = text.split('\n');
  lines.forEach((line, n) => {
    const span = h('span', { class: 'code-line', text: n < lines.length - 1 ? `${line}\n` : line });
    const indent = /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length;
    if (indent > 0) {
      span.style.setProperty('--indent', `${indent}ch`);
    }
    code.append(span);
  });
  return code;
}

/** A real table (cells wrap, inline code renders), in a box that scrolls sideways if it still does not fit. */
function table(header: MdInline[][], rows: MdInline[][][], opts: RenderOptions): HTMLElement {
  const t = h('table');
  if (header.length > 0) {
    const tr = h('tr');
    for (const cell of header) {
      tr.append(h('th', { scope: 'col' }, ...inline(cell, opts)));
    }
    t.append(h('thead', {}, tr));
  }
  const tbody = h('tbody');
  for (const row of rows) {
    const tr = h('tr');
    for (const cell of row) {
      tr.append(h('td', {}, ...inline(cell, opts)));
    }
    tbody.append(tr);
  }
  t.append(tbody);
  return h('div', { class: 'md-table', tabindex: '0', role: 'region', 'aria-label': 'Table' }, t);
}

function blocks(nodes: readonly MdBlock[], opts: RenderOptions, tight: boolean): Node[] {
  const out: Node[] = [];
  for (const b of nodes) {
    switch (b.type) {
      case 'paragraph':
        // A list item's only paragraph is its text, not a <p> with margins (the look of a tight list).
        if (tight) {
          out.push(...inline(b.children, opts));
        } else {
          out.push(h('p', {}, ...inline(b.children, opts)));
        }
        break;
      case 'heading': {
        // Note bodies sit under the note's own title: their headings start at h4.
        const level = Math.min(6, b.depth + 3) as 4 | 5 | 6;
        out.push(h(`h${level}`, {}, ...inline(b.children, opts)));
        break;
      }
      case 'list': {
        const list = h(b.ordered ? 'ol' : 'ul');
        if (b.ordered && b.start !== undefined) {
          list.setAttribute('start', String(b.start));
        }
        for (const item of b.items) {
          list.append(h('li', {}, ...blocks(item, opts, item.length === 1)));
        }
        out.push(list);
        break;
      }
      case 'code':
        out.push(h('pre', {}, codeLines(b.text)));
        break;
      case 'blockquote':
        out.push(h('blockquote', {}, ...blocks(b.children, opts, false)));
        break;
      case 'table':
        out.push(table(b.header, b.rows, opts));
        break;
      case 'thematicBreak':
        out.push(h('hr'));
        break;
      default: {
        const never: never = b;
        void never;
      }
    }
  }
  return out;
}

/** The note body as DOM, in a `.md` container (media/markdown.css). */
export function renderMarkdown(tree: readonly MdBlock[], opts: RenderOptions = {}): HTMLElement {
  return h('div', { class: 'md' }, ...blocks(tree, opts, false));
}

/** The plain text of a tree (search and snippets): what the reader sees, without any marks. */
export function treeText(tree: readonly MdBlock[]): string {
  const parts: string[] = [];
  const walk = (nodes: readonly MdBlock[]): void => {
    for (const b of nodes) {
      switch (b.type) {
        case 'paragraph':
        case 'heading':
          parts.push(inlineText(b.children));
          break;
        case 'list':
          b.items.forEach(walk);
          break;
        case 'code':
          parts.push(b.text);
          break;
        case 'blockquote':
          walk(b.children);
          break;
        case 'table':
          for (const row of [b.header, ...b.rows]) {
            parts.push(row.map(inlineText).join(' '));
          }
          break;
        case 'thematicBreak':
          break;
      }
    }
  };
  walk(tree);
  return parts.join(' ').replace(/\s+/g, ' ');
}
