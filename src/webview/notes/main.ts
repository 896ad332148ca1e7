/**
 * The course notes panel (browser side): table of contents, search, the note with its code in four languages,
 * related notes. Everything is built with createElement/textContent (dom.ts, markdown.ts). The host sends the
 * corpus on `ready`; getState/setState keep only UI state (the note shown, the query, the code tab).
 */
import {
  CODE_LANGUAGES,
  type CodeLanguage,
  type NoteData,
  type NoteSection,
  type NotesFromWebview,
  type NotesToWebview,
  type ShowReason,
} from '../../shared/notesProtocol';
import { assertNever } from '../../shared/protocol';
import { button, h, icon } from '../dom';
import { codeLines, renderMarkdown } from '../markdown';
import { searchNotes } from './search';
import { nt, setNotesStrings } from '../strings';

declare function acquireVsCodeApi(): {
  postMessage(m: NotesFromWebview): void;
  getState(): unknown;
  setState(s: unknown): void;
};

type UiState = { noteId?: string; query: string; codeLanguage: CodeLanguage; history: string[] };

const vscode = acquireVsCodeApi();

const LANGUAGE_LABEL: Record<CodeLanguage, string> = {
  python: 'Python',
  c: 'C',
  java: 'Java',
  javascript: 'JavaScript',
};

function loadState(): UiState {
  const s = (vscode.getState() ?? {}) as Partial<UiState>;
  return {
    noteId: typeof s.noteId === 'string' ? s.noteId : undefined,
    query: typeof s.query === 'string' ? s.query : '',
    codeLanguage: CODE_LANGUAGES.includes(s.codeLanguage as CodeLanguage)
      ? (s.codeLanguage as CodeLanguage)
      : 'python',
    history: Array.isArray(s.history)
      ? s.history.filter((x): x is string => typeof x === 'string').slice(-50)
      : [],
  };
}

const state = loadState();
let notes: NoteData[] = [];
let byId = new Map<string, NoteData>();
let sections: NoteSection[] = [];
let followCursor = true;
let reason: ShowReason = { kind: 'command' };

function post(m: NotesFromWebview): void {
  vscode.postMessage(m);
}

function save(): void {
  vscode.setState(state);
}

//#region layout

const app = document.getElementById('app')!;
const search = h('input', {
  type: 'search',
  placeholder: nt('search'),
  'aria-label': nt('search'),
  spellcheck: 'false',
});
const resultCount = h('span', { class: 'count', role: 'status', 'aria-live': 'polite' });
const toc = h('nav', { class: 'toc', id: 'toc', 'aria-label': nt('contents') });
// In a narrow panel the contents fold away behind this button (CSS shows it only then).
const tocToggle = button(
  '',
  'list-unordered',
  () => setDrawer(!sidebar.classList.contains('open')),
  nt('contentsButton'),
);
tocToggle.classList.add('toc-toggle');
tocToggle.setAttribute('aria-controls', 'toc');
tocToggle.setAttribute('aria-expanded', 'false');
const sidebar = h(
  'aside',
  { class: 'sidebar' },
  h('div', { class: 'search' }, tocToggle, search, resultCount),
  toc,
);

const backBtn = button('', 'arrow-left', () => goBack(), nt('back'));
const followBtn = button(nt('followCursor'), 'eye', () =>
  post({ type: 'setFollowCursor', enabled: !followCursor }),
);
followBtn.classList.add('follow');
const context = h('div', { class: 'context', role: 'status', 'aria-live': 'polite' });
const bar = h('div', { class: 'bar' }, backBtn, context, followBtn);
const article = h('article', { class: 'note', tabindex: '-1' });
const main = h('main', { class: 'main' }, bar, article);
app.append(sidebar, main);

/** The words drawn before the first `init` brought the display language's (strings.ts). */
function relabel(): void {
  search.placeholder = nt('search');
  search.setAttribute('aria-label', nt('search'));
  toc.setAttribute('aria-label', nt('contents'));
  for (const [b, title] of [
    [tocToggle, nt('contentsButton')],
    [backBtn, nt('back')],
  ] as const) {
    b.title = title;
    b.setAttribute('aria-label', title);
  }
  followBtn.setAttribute('aria-label', nt('followCursor'));
  followBtn.querySelector('span')!.textContent = nt('followCursor');
}

//#endregion

//#region table of contents and search

function setDrawer(open: boolean): void {
  const opening = open && !sidebar.classList.contains('open');
  sidebar.classList.toggle('open', open);
  tocToggle.setAttribute('aria-expanded', String(open));
  // A closed drawer is display: none, where scrolling does nothing: show the current note once it opens.
  if (opening && !state.query.trim()) {
    toc.querySelector<HTMLElement>('[aria-current="page"]')?.scrollIntoView({ block: 'nearest' });
  }
}

function renderToc(): void {
  const query = state.query.trim();
  toc.replaceChildren();
  // New content starts at its top: a results list must not open scrolled to where the contents were.
  toc.scrollTop = 0;
  if (query) {
    const hits = searchNotes(notes, query);
    resultCount.textContent = `${hits.length} ${hits.length === 1 ? 'note' : 'notes'}`;
    const list = h('ul', { class: 'results' });
    for (const hit of hits) {
      const snippet = hit.snippet
        ? h(
            'span',
            { class: 'snippet' },
            hit.snippet.text.slice(0, hit.snippet.start),
            h('mark', { text: hit.snippet.text.slice(hit.snippet.start, hit.snippet.end) }),
            hit.snippet.text.slice(hit.snippet.end),
          )
        : undefined;
      list.append(h('li', {}, tocLink(hit.note, snippet)));
    }
    if (hits.length === 0) {
      list.append(h('li', { class: 'empty', text: nt('noMatch') }));
    }
    toc.append(list);
    return;
  }
  resultCount.textContent = '';
  for (const section of sections) {
    const list = h('ul');
    for (const id of section.noteIds) {
      const note = byId.get(id);
      if (note) {
        list.append(h('li', {}, tocLink(note)));
      }
    }
    toc.append(h('section', {}, h('h2', { text: section.title }), list));
  }
}

function tocLink(note: NoteData, extra?: Node): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'toc-item', 'data-note': note.id, title: note.title });
  b.append(h('span', { class: 'title', text: note.title }));
  if (extra) {
    b.append(extra);
  }
  if (note.id === state.noteId) {
    b.setAttribute('aria-current', 'page');
  }
  b.addEventListener('click', () => {
    setDrawer(false);
    showNote(note.id, { kind: 'command' }, true);
  });
  return b;
}

function markCurrent(): void {
  for (const el of toc.querySelectorAll<HTMLElement>('[data-note]')) {
    if (el.dataset['note'] === state.noteId) {
      el.setAttribute('aria-current', 'page');
    } else {
      el.removeAttribute('aria-current');
    }
  }
  toc.querySelector<HTMLElement>('[aria-current="page"]')?.scrollIntoView({ block: 'nearest' });
}

search.value = state.query;
search.addEventListener('input', () => {
  state.query = search.value;
  save();
  renderToc();
  setDrawer(state.query.trim() !== '');
});
search.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') {
    search.value = '';
    state.query = '';
    save();
    renderToc();
    markCurrent();
  } else if (e.key === 'Enter' || e.key === 'ArrowDown') {
    const first = toc.querySelector<HTMLElement>('.toc-item');
    if (first) {
      e.preventDefault();
      if (e.key === 'Enter') {
        first.click();
      } else {
        first.focus();
      }
    }
  }
});
toc.addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') {
    return;
  }
  const items = [...toc.querySelectorAll<HTMLElement>('.toc-item')];
  const i = items.indexOf(document.activeElement as HTMLElement);
  const next = items[e.key === 'ArrowDown' ? i + 1 : i - 1];
  if (next) {
    e.preventDefault();
    next.focus();
  } else if (e.key === 'ArrowUp' && i === 0) {
    search.focus();
  }
});

//#endregion

//#region the note

function showNote(noteId: string, why: ShowReason, fromUser: boolean): void {
  const note = byId.get(noteId) ?? notes[0];
  if (!note) {
    return;
  }
  if (fromUser && state.noteId && state.noteId !== note.id) {
    state.history.push(state.noteId);
    state.history = state.history.slice(-50);
  }
  state.noteId = note.id;
  reason = why;
  save();
  renderNote(note);
  markCurrent();
  post({ type: 'shown', noteId: note.id });
}

function goBack(): void {
  const prev = state.history.pop();
  if (prev) {
    showNote(prev, { kind: 'command' }, false);
  }
}

function renderContext(): void {
  backBtn.disabled = state.history.length === 0;
  followBtn.setAttribute('aria-pressed', String(followCursor));
  followBtn.title = followCursor ? nt('following') : nt('notFollowing');
  context.replaceChildren();
  if (reason.kind === 'cursor') {
    context.append(
      icon('location'),
      h('span', { text: nt('forSymbol') }),
      h('code', { text: reason.symbol }),
      h('span', { text: nt('inFile', reason.file, reason.line) }),
    );
  } else if (reason.kind === 'diagnostic') {
    context.append(
      icon('lightbulb'),
      h('span', { text: ` ${reason.file}:${reason.line}: `, title: reason.message }),
    );
    context.append(h('span', { class: 'problem', text: reason.message, title: reason.message }));
  }
}

/** A topic as a reader says it: `api:recvfrom` is the call recvfrom(), `slides-correction` two words. */
function topicLabel(topic: string): string {
  return topic.startsWith('api:') ? `${topic.slice(4)}()` : topic.replace(/-/g, ' ');
}

function renderNote(note: NoteData): void {
  renderContext();
  const topics = h('ul', { class: 'topics', 'aria-label': nt('topics') });
  for (const t of note.topics) {
    topics.append(h('li', { text: topicLabel(t), title: t }));
  }
  article.replaceChildren(
    h('h1', { text: note.title }),
    topics,
    renderMarkdown(note.tree, {
      openNote: (id) => {
        if (byId.has(id)) {
          showNote(id, { kind: 'command' }, true);
        }
      },
    }),
  );
  const code = renderCode(note);
  if (code) {
    article.append(code);
  }
  const related = (note.seeAlso ?? []).map((id) => byId.get(id)).filter((n) => n !== undefined);
  if (related.length > 0) {
    const list = h('ul', { class: 'see-also' });
    for (const r of related) {
      const b = button(
        r.title,
        'book',
        () => showNote(r.id, { kind: 'command' }, true),
        nt('openNote', r.title),
      );
      list.append(h('li', {}, b));
    }
    article.append(h('h2', { text: nt('seeAlso') }), list);
  }
  article.scrollTop = 0;
  main.scrollTop = 0;
}

function renderCode(note: NoteData): HTMLElement | undefined {
  const available = CODE_LANGUAGES.filter((l) => note.code?.[l]);
  if (available.length === 0) {
    return undefined;
  }
  const current = available.includes(state.codeLanguage) ? state.codeLanguage : available[0]!;
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': nt('codeLanguage') });
  const pre = h('pre', { class: 'code', role: 'tabpanel', tabindex: '0' });
  let shown = current;
  const insert = button(nt('insertAtCursor'), 'insert', () =>
    post({ type: 'insertCode', noteId: note.id, language: shown }),
  );
  const select = (lang: CodeLanguage, focus: boolean): void => {
    shown = lang;
    for (const t of tabs.children) {
      const on = (t as HTMLElement).dataset['lang'] === lang;
      t.setAttribute('aria-selected', String(on));
      t.setAttribute('tabindex', on ? '0' : '-1');
      if (on && focus) {
        (t as HTMLElement).focus();
      }
    }
    pre.replaceChildren(codeLines(note.code?.[lang] ?? ''));
    pre.setAttribute('aria-label', nt('codeOf', LANGUAGE_LABEL[lang]));
    insert.title = nt('insertTitle', LANGUAGE_LABEL[lang]);
  };
  for (const lang of available) {
    const tab = h('button', { type: 'button', role: 'tab', 'data-lang': lang, text: LANGUAGE_LABEL[lang] });
    tab.addEventListener('click', () => {
      state.codeLanguage = lang;
      save();
      select(lang, false);
    });
    tab.addEventListener('keydown', (e) => {
      const i = available.indexOf(shown);
      const next =
        e.key === 'ArrowRight'
          ? available[(i + 1) % available.length]
          : e.key === 'ArrowLeft'
            ? available[(i - 1 + available.length) % available.length]
            : undefined;
      if (next) {
        e.preventDefault();
        state.codeLanguage = next;
        save();
        select(next, true);
      }
    });
    tabs.append(tab);
  }
  select(current, false);
  return h(
    'section',
    { class: 'code-block', 'aria-label': nt('code') },
    h('div', { class: 'code-bar' }, tabs, insert),
    pre,
  );
}

//#endregion

//#region messages

window.addEventListener('message', (event: MessageEvent<NotesToWebview>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init':
      setNotesStrings(msg.strings);
      relabel();
      notes = msg.notes;
      byId = new Map(notes.map((n) => [n.id, n]));
      sections = msg.sections;
      followCursor = msg.followCursor;
      if (msg.codeLanguage) {
        state.codeLanguage = msg.codeLanguage;
      }
      renderToc();
      showNote(
        msg.noteId ?? state.noteId ?? notes[0]?.id ?? '',
        msg.reason ?? { kind: 'command' },
        msg.noteId !== undefined,
      );
      break;
    case 'showNote':
      if (msg.codeLanguage) {
        state.codeLanguage = msg.codeLanguage;
      }
      showNote(msg.noteId, msg.reason, true);
      break;
    case 'followCursorChanged':
      followCursor = msg.followCursor;
      renderContext();
      break;
    default:
      assertNever(msg);
  }
});

post({ type: 'ready' });

//#endregion
