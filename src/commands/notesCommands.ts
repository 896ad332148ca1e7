import * as vscode from 'vscode';
import { Commands, type NoteSummary } from '../constants';
import { invalidArgument } from '../core/errors';
import { getNote, allNotes } from '../core/notes/notes';
import { rejectUnknownKeys, requireObject } from '../core/validate';
import { NotesPanel } from '../views/notesPanel';
import { defineCommand, type Ctx } from '../context';

async function pickNote(ctx: Ctx): Promise<void> {
  const picked = await vscode.window.showQuickPick(
    allNotes().map((n) => ({
      label: n.title,
      description: n.id,
      detail: n.topics.join(', '),
      id: n.id,
    })),
    {
      title: 'Socket Playground: Course Notes',
      placeHolder: 'Open a note',
      matchOnDescription: true,
      matchOnDetail: true,
    },
  );
  if (picked) {
    NotesPanel.createOrShow(ctx, picked.id);
  }
}

export function registerNotesCommands(ctx: Ctx): vscode.Disposable[] {
  return [
    defineCommand(ctx, Commands.OpenNotes, async (inv): Promise<void> => {
      let noteId: string | undefined;
      if (inv.mode === 'api') {
        const o = requireObject(inv.arg, 'openNotes');
        rejectUnknownKeys(o, ['noteId'], 'openNotes');
        const id = o['noteId'];
        if (id !== undefined) {
          if (typeof id !== 'string' || !getNote(id)) {
            throw invalidArgument(
              `openNotes: no note with id ${JSON.stringify(id)?.slice(0, 80)}. listNotes gives the ids, e.g. "udp-sender-address".`,
            );
          }
          noteId = id;
        }
      }
      // From the palette nothing needs asking: the panel has a table of contents and search, and opens on
      // the note for the cursor when there is one.
      NotesPanel.createOrShow(ctx, noteId);
    }),
    defineCommand(ctx, Commands.ListNotes, async (inv): Promise<NoteSummary[]> => {
      if (inv.mode === 'api') {
        rejectUnknownKeys(requireObject(inv.arg, 'listNotes'), [], 'listNotes');
      } else {
        // From the palette: offer the notes to open. Not awaited, so the command still returns the list
        // at once to a caller that passed no argument.
        void pickNote(ctx);
      }
      return allNotes().map((n) => ({ id: n.id, title: n.title, topics: [...n.topics], body: n.body }));
    }),
  ];
}
