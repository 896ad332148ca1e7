/**
 * A small Markdown renderer for the course notes that builds DOM nodes with textContent: paragraphs, headings,
 * lists (items may wrap onto indented lines), fenced code, tables, inline code, bold and italics. Links show their
 * text. No HTML parsing.
 */
import { h } from './dom';

function inline(text: string): Node[] {
  const out: Node[] = [];
  const re = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*)|(\[[^\]]+\]\([^)]+\))/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) {
      out.push(document.createTextNode(text.slice(last, m.index)));
    }
    const t = m[0];
    if (m[1]) {
      out.push(h('code', { text: t.slice(1, -1) }));
    } else if (m[2]) {
      out.push(h('strong', {}, ...inline(t.slice(2, -2))));
    } else if (m[3]) {
      out.push(h('em', {}, ...inline(t.slice(1, -1))));
    } else {
      out.push(document.createTextNode(t.slice(1, t.indexOf(']'))));
    }
    last = m.index + t.length;
  }
  if (last < text.length) {
    out.push(document.createTextNode(text.slice(last)));
  }
  return out;
}

const LIST_ITEM = /^\s*([-*]|\d+\.)\s+/;

/**
 * Code as one element per line (the text, with its newline, is unchanged: copying a selection gives the code
 * back). Each line carries its indentation as `--indent`, so a stylesheet that wraps long lines can hang the
 * continuation under the line's own indentation instead of at the left margin (notes.css does). Setting a
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

/** The cells of a table row: split at `|`, but not at one inside a code span or escaped as `\|`. */
function tableCells(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  const text = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  for (let j = 0; j < text.length; j++) {
    const c = text[j]!;
    if (c === '\\' && text[j + 1] === '|') {
      cell += '|';
      j++;
    } else if (c === '`') {
      inCode = !inCode;
      cell += c;
    } else if (c === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell.trim());
  return cells;
}

/** A real table (cells wrap, inline code renders), in a box that scrolls sideways if it still does not fit. */
function table(rows: string[][], header: boolean): HTMLElement {
  const t = h('table');
  const head = header ? rows[0] : undefined;
  const body = header ? rows.slice(1) : rows;
  if (head) {
    const tr = h('tr');
    for (const cell of head) {
      tr.append(h('th', { scope: 'col' }, ...inline(cell)));
    }
    t.append(h('thead', {}, tr));
  }
  const tbody = h('tbody');
  for (const row of body) {
    const tr = h('tr');
    for (const cell of row) {
      tr.append(h('td', {}, ...inline(cell)));
    }
    tbody.append(tr);
  }
  t.append(tbody);
  return h('div', { class: 'md-table', tabindex: '0', role: 'region', 'aria-label': 'Table' }, t);
}

export function renderMarkdown(md: string): HTMLElement {
  const root = h('div', { class: 'md' });
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.startsWith('```')) {
        code.push(lines[i]!);
        i++;
      }
      i++;
      root.append(h('pre', {}, codeLines(code.join('\n'))));
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(6, heading[1]!.length + 3) as 4 | 5 | 6;
      root.append(h(`h${level}`, {}, ...inline(heading[2]!)));
      i++;
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const list = h(ordered ? 'ol' : 'ul');
      const first = Number(/^\s*(\d+)\./.exec(line)?.[1] ?? 1);
      if (ordered && first !== 1) {
        list.setAttribute('start', String(first));
      }
      while (i < lines.length && LIST_ITEM.test(lines[i]!)) {
        const item = [lines[i]!.replace(LIST_ITEM, '')];
        i++;
        // An item wraps onto indented lines: they continue it (they are not a paragraph of their own, and
        // they must not end the list, or an ordered list restarts at 1 after every wrapped item).
        while (
          i < lines.length &&
          /^\s+\S/.test(lines[i]!) &&
          !LIST_ITEM.test(lines[i]!) &&
          !/^\s*```/.test(lines[i]!)
        ) {
          item.push(lines[i]!.trim());
          i++;
        }
        list.append(h('li', {}, ...inline(item.join(' '))));
      }
      root.append(list);
      continue;
    }
    if (line.trim().startsWith('|')) {
      const rows: string[][] = [];
      let header = false;
      while (i < lines.length && lines[i]!.trim().startsWith('|')) {
        if (/^\s*\|[\s|:-]+\|\s*$/.test(lines[i]!)) {
          // The |---| line under the first row makes that row the header.
          header ||= rows.length === 1;
        } else {
          rows.push(tableCells(lines[i]!));
        }
        i++;
      }
      root.append(table(rows, header));
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      lines[i]!.trim() !== '' &&
      !/^(```|#{1,4}\s|\s*([-*]|\d+\.)\s|\s*\|)/.test(lines[i]!)
    ) {
      para.push(lines[i]!);
      i++;
    }
    root.append(h('p', {}, ...inline(para.join(' '))));
  }
  return root;
}
