/** Search over the course notes (browser side, pure): every word must occur; title hits rank first. */
import type { NoteData } from '../../shared/notesProtocol';

export type SearchHit = {
  note: NoteData;
  score: number;
  /** A short piece of the body around the first hit, and where the hit is inside it. */
  snippet?: { text: string; start: number; end: number };
};

/** Lower-cased words of a query; punctuation that students type around calls (`recvfrom()`) is dropped. */
export function queryWords(query: string): string[] {
  return query
    .toLowerCase()
    .split(/[\s()[\]{},;]+/)
    .map((w) => w.replace(/^[.'"`]+|[.'"`:]+$/g, ''))
    .filter(Boolean);
}

/** The body as the reader sees it, for matching and snippets: no fences, list markers or emphasis marks. */
function plain(markdown: string): string {
  return markdown
    .replace(/^\s*(?:[-*]|\d+\.)\s+/gm, '')
    .replace(/```[a-z]*\n?|[*`#|]/g, '')
    .replace(/\s+/g, ' ');
}

export function searchNotes(notes: readonly NoteData[], query: string): SearchHit[] {
  const words = queryWords(query);
  if (words.length === 0) {
    return notes.map((note) => ({ note, score: 0 }));
  }
  const hits: SearchHit[] = [];
  for (const note of notes) {
    const title = note.title.toLowerCase();
    const topics = note.topics.join(' ').toLowerCase();
    const body = plain(note.body);
    const lowerBody = body.toLowerCase();
    const code = Object.values(note.code ?? {})
      .join('\n')
      .toLowerCase();
    let score = 0;
    let matchesAll = true;
    for (const w of words) {
      const inTitle = title.includes(w);
      const inTopics = topics.includes(w);
      const inBody = lowerBody.includes(w);
      const inCode = code.includes(w);
      if (!inTitle && !inTopics && !inBody && !inCode && !note.id.includes(w)) {
        matchesAll = false;
        break;
      }
      score += (inTitle ? 10 : 0) + (inTopics ? 5 : 0) + (inBody ? 2 : 0) + (inCode ? 1 : 0);
    }
    if (!matchesAll) {
      continue;
    }
    const first = words.map((w) => lowerBody.indexOf(w)).find((i) => i >= 0);
    let snippet: SearchHit['snippet'];
    if (first !== undefined) {
      const from = Math.max(0, first - 40);
      const to = Math.min(body.length, first + 80);
      const word = words.find((w) => lowerBody.indexOf(w) === first) ?? '';
      const prefix = from > 0 ? '…' : '';
      snippet = {
        text: `${prefix}${body.slice(from, to)}${to < body.length ? '…' : ''}`,
        start: first - from + prefix.length,
        end: first - from + prefix.length + word.length,
      };
    }
    hits.push({ note, score, ...(snippet ? { snippet } : {}) });
  }
  // Stable: equal scores keep the corpus (lecture) order.
  return hits.sort((a, b) => b.score - a.score);
}
