/**
 * Hovers on socket calls, constants and classes in Python, JavaScript/TypeScript, Java and C/C++: what the
 * call does, the opening of the course note that explains it, and command links that open the note in the
 * notes panel. The Markdown is trusted for the openNotes command only (`enabledCommands`), nothing else.
 */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { API_LANGUAGE_IDS } from '../core/assist/languages';
import { allNotes, getNote } from '../core/notes/notes';
import { apiAt } from './sourceIndex';

/** A command URI that opens a note (the argument object is the command's API form). */
export function openNoteUri(noteId: string): string {
  return `command:${Commands.OpenNotes}?${encodeURIComponent(JSON.stringify({ noteId }))}`;
}

/**
 * The first paragraph of a note body, cut at a sentence end when it is long. A hover is read in passing: two or
 * three sentences, and the link for the rest.
 */
export function noteLead(body: string, max = 300): string {
  const para =
    body
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .find((p) => p && !p.startsWith('#') && !p.startsWith('```') && !p.startsWith('|')) ?? '';
  const flat = para.replace(/\s*\n\s*/g, ' ');
  if (flat.length <= max) {
    return flat;
  }
  const cut = flat.lastIndexOf('. ', max);
  return cut > 80 ? flat.slice(0, cut + 1) : `${flat.slice(0, max).trimEnd()}…`;
}

/** Escapes text for a Markdown link label (note titles contain backticks and brackets rarely, but may). */
function linkText(s: string): string {
  return s.replace(/[[\]\\]/g, '\\$&');
}

/**
 * Escapes the Markdown characters that can change a plain-text title's meaning inside ** … **: the star of
 * "… from socket import *" would otherwise end the bold, and an underscore or backtick start emphasis or code.
 */
function plainText(s: string): string {
  return s.replace(/[\\`*_[\]<>]/g, '\\$&');
}

export class SocketHoverProvider implements vscode.HoverProvider {
  /** @inheritdoc */
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const found = apiAt(doc, pos);
    if (!found) {
      return undefined;
    }
    const { match, range } = found;
    // A course pack's own notes on this call (`explains: [call:<name>]`) come first; the built-in ones follow.
    const packNotes = allNotes().filter(
      (n) => n.pack !== 'builtin' && n.explains.includes(`call:${match.entry.name}`),
    );
    const builtin = match.notes.map((id) => getNote(id)).filter((n) => n !== undefined);
    const [primary, ...related] = [...new Set([...packNotes, ...builtin])];
    if (!primary) {
      return undefined;
    }
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: [Commands.OpenNotes] };
    // What the call does, then (below a rule) what the course says about it.
    md.appendMarkdown(`**\`${match.entry.label}\`** — ${match.entry.summary}\n\n---\n\n`);
    md.appendMarkdown(`$(book) **${plainText(primary.title)}**\n\n`);
    md.appendMarkdown(`${noteLead(primary.body)}\n\n`);
    const links = [
      vscode.l10n.t(
        '[Open the note]({0} "Show it in the Socket Playground notes panel")',
        openNoteUri(primary.id),
      ),
    ];
    if (related.length > 0) {
      links.push(
        vscode.l10n.t(
          'See also: {0}',
          related.map((n) => `[${linkText(n.title)}](${openNoteUri(n.id)})`).join(' · '),
        ),
      );
    }
    md.appendMarkdown(links.join(' — '));
    return new vscode.Hover(md, range);
  }
}

export function registerHoverProvider(): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    API_LANGUAGE_IDS.map((language) => ({ language })),
    new SocketHoverProvider(),
  );
}
