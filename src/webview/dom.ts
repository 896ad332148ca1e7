/** Tiny DOM helpers. Text goes in through textContent only: nothing here parses HTML. */

type Attrs = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Node | string | undefined>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) {
      continue;
    }
    if (k === 'text') {
      el.textContent = String(v);
    } else if (k === 'class') {
      el.className = String(v);
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children) {
    if (c !== undefined) {
      el.append(c);
    }
  }
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== false) {
      el.setAttribute(k, String(v));
    }
  }
  if (text !== undefined) {
    el.textContent = text;
  }
  return el;
}

export function icon(name: string, label?: string): HTMLSpanElement {
  const s = h('span', { class: `codicon codicon-${name}`, 'aria-hidden': label ? undefined : 'true' });
  if (label) {
    s.setAttribute('aria-label', label);
    s.setAttribute('role', 'img');
  }
  return s;
}

export function button(
  label: string,
  iconName: string | undefined,
  onClick: () => void,
  title?: string,
): HTMLButtonElement {
  const b = h('button', { type: 'button', title: title ?? label, 'aria-label': title ?? label });
  if (iconName) {
    b.append(icon(iconName));
  }
  if (label) {
    b.append(h('span', { text: label }));
  }
  b.addEventListener('click', onClick);
  return b;
}

/** A toolbar action shown as its icon only, like VS Code's own view actions; the title names it. */
export function iconButton(iconName: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'icon-button', title, 'aria-label': title }, icon(iconName));
  b.addEventListener('click', onClick);
  return b;
}

export function select<T extends string>(
  label: string,
  options: Array<[T, string]>,
  value: T,
  onChange: (v: T) => void,
): HTMLSelectElement {
  const s = h('select', { 'aria-label': label, title: label });
  fillSelect(s, options, value);
  s.addEventListener('change', () => onChange(s.value as T));
  return s;
}

export function fillSelect(s: HTMLSelectElement, options: Array<[string, string]>, value: string): void {
  s.replaceChildren(...options.map(([v, text]) => h('option', { value: v, text })));
  s.value = options.some(([v]) => v === value) ? value : (options[0]?.[0] ?? '');
}
