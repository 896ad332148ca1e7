/**
 * A small Markdown renderer for the course notes that builds DOM nodes with textContent: paragraphs, headings,
 * lists, fenced code, tables (as text), inline code, bold and italics. Links show their text. No HTML parsing.
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
      root.append(h('pre', {}, h('code', { text: code.join('\n') })));
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(6, heading[1]!.length + 3) as 4 | 5 | 6;
      root.append(h(`h${level}`, {}, ...inline(heading[2]!)));
      i++;
      continue;
    }
    if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const list = h(ordered ? 'ol' : 'ul');
      while (i < lines.length && /^\s*([-*]|\d+\.)\s+/.test(lines[i]!)) {
        list.append(h('li', {}, ...inline(lines[i]!.replace(/^\s*([-*]|\d+\.)\s+/, ''))));
        i++;
      }
      root.append(list);
      continue;
    }
    if (line.trim().startsWith('|')) {
      const rows: string[] = [];
      while (i < lines.length && lines[i]!.trim().startsWith('|')) {
        if (!/^\s*\|[\s|:-]+\|\s*$/.test(lines[i]!)) {
          rows.push(
            lines[i]!.trim()
              .replace(/^\||\|$/g, '')
              .split('|')
              .map((c) => c.trim())
              .join('  ·  '),
          );
        }
        i++;
      }
      root.append(h('pre', { class: 'md-table', text: rows.join('\n') }));
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
