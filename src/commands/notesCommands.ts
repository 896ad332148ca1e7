import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, Config, type NotePackSummary, type NoteSummary } from '../constants';
import { invalidArgument } from '../core/errors';
import { getNote, allNotes, notePacks } from '../core/notes/notes';
import { rejectUnknownKeys, requireObject } from '../core/validate';
import { NotesPanel } from '../views/notesPanel';
import { defineCommand, type Ctx } from '../context';
import { NotePackHost } from './notePacks';

const EXAMPLE_PACK_JSON = (id: string, title: string, language: string): string =>
  JSON.stringify({ id, title, language }, null, 2) + '\n';

/** The scaffolded example note: it shows on the next refused connection (the example in docs/notes-packs.md). */
const EXAMPLE_NOTE = `---
id: my-connection-refused
title: "Nobody is listening: our course's take on a refused connection"
topics: [tcp, errors]
explains: ["error:ECONNREFUSED"]
seeAlso: [connection-refused, tcp-server-first]
---
Write the note in Markdown. Start the server first (\`python3 TCPServer.py\`), then the client.

| Start | Then |
| --- | --- |
| the server | the client |

\`\`\`python
from socket import socket, AF_INET, SOCK_STREAM

client = socket(AF_INET, SOCK_STREAM)
client.connect(('127.0.0.1', 12000))  # ConnectionRefusedError when no server listens
\`\`\`
`;

/** Creates pack.json and one example note in `folder`; refuses a folder that already holds a pack. */
async function scaffoldPack(folder: string, id: string, title: string, language: string): Promise<string[]> {
  const manifest = path.join(folder, 'pack.json');
  const note = path.join(folder, '01-my-connection-refused.md');
  await fsp.mkdir(folder, { recursive: true });
  try {
    await fsp.writeFile(manifest, EXAMPLE_PACK_JSON(id, title, language), { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw invalidArgument(
        `newNotePack: ${folder} already holds a pack (pack.json exists); nothing was changed.`,
      );
    }
    throw e;
  }
  await fsp.writeFile(note, EXAMPLE_NOTE, { flag: 'wx' });
  return [manifest, note];
}

function packSummaries(): NotePackSummary[] {
  return notePacks().map((p) => ({
    id: p.id,
    title: p.title,
    language: p.language,
    path: p.path,
    notes: p.notes.length,
    problems: p.problems.map((x) => ({ ...x })),
  }));
}

function resolveFolder(folder: string): string {
  if (path.isAbsolute(folder)) {
    return path.normalize(folder);
  }
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) {
    throw invalidArgument(
      'newNotePack: a relative folder needs an open workspace folder; give an absolute path.',
    );
  }
  return path.join(root, folder);
}

async function pickNote(ctx: Ctx): Promise<void> {
  const picked = await vscode.window.showQuickPick(
    allNotes().map((n) => ({
      label: n.title,
      description: n.id,
      detail: n.topics.join(', '),
      id: n.id,
    })),
    {
      title: vscode.l10n.t('Socket Playground: Course Notes'),
      placeHolder: vscode.l10n.t('Open a note'),
      matchOnDescription: true,
      matchOnDetail: true,
    },
  );
  if (picked) {
    NotesPanel.createOrShow(ctx, picked.id);
  }
}

export function registerNotesCommands(ctx: Ctx): vscode.Disposable[] {
  const packs = new NotePackHost(ctx);
  return [
    packs,
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
        noteId = id;
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
      await packs.settled();
      return allNotes().map((n) => ({
        id: n.id,
        title: n.title,
        topics: [...n.topics],
        body: n.body,
        pack: n.pack,
        language: n.language,
      }));
    }),
    defineCommand(ctx, Commands.ListNotePacks, async (inv): Promise<NotePackSummary[]> => {
      if (inv.mode === 'api') {
        rejectUnknownKeys(requireObject(inv.arg, 'listNotePacks'), [], 'listNotePacks');
      }
      await packs.settled();
      return packSummaries();
    }),
    defineCommand(
      ctx,
      Commands.NewNotePack,
      async (inv): Promise<{ path: string; files: string[] } | undefined> => {
        let folder: string;
        let id = 'my-course';
        let title = 'My course notes';
        let language = 'en';
        if (inv.mode === 'api') {
          const o = requireObject(inv.arg, 'newNotePack');
          rejectUnknownKeys(o, ['folder', 'id', 'title', 'language'], 'newNotePack');
          if (typeof o['folder'] !== 'string' || o['folder'].trim() === '') {
            throw invalidArgument('newNotePack needs folder: the folder to create the pack in.');
          }
          for (const [key, re] of [
            ['id', /^[a-z0-9][a-z0-9-]{0,63}$/],
            ['title', /^.{1,200}$/],
            ['language', /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/],
          ] as const) {
            const v = o[key];
            if (v !== undefined && (typeof v !== 'string' || !re.test(v))) {
              throw invalidArgument(`newNotePack: ${key} ${JSON.stringify(v)?.slice(0, 60)} is not valid.`);
            }
          }
          folder = resolveFolder(o['folder']);
          id = (o['id'] as string | undefined) ?? id;
          title = (o['title'] as string | undefined) ?? title;
          language = (o['language'] as string | undefined) ?? language;
        } else {
          const picked = await vscode.window.showOpenDialog({
            canSelectFolders: true,
            canSelectFiles: false,
            canSelectMany: false,
            openLabel: vscode.l10n.t('Create the pack here'),
            title: vscode.l10n.t('Socket Playground: New Course Notes Pack'),
          });
          if (!picked?.[0]) {
            return undefined;
          }
          folder = picked[0].fsPath;
        }
        const files = await scaffoldPack(folder, id, title, language);
        if (inv.mode === 'ui') {
          // Add it to the setting (workspace when there is one) and open the example note to edit.
          const config = vscode.workspace.getConfiguration(Config.Section);
          const current = config.get<string[]>(Config.NotesPacks, []);
          const target = vscode.workspace.workspaceFolders
            ? vscode.ConfigurationTarget.Workspace
            : vscode.ConfigurationTarget.Global;
          await config.update(Config.NotesPacks, [...current, folder], target);
          await vscode.window.showTextDocument(vscode.Uri.file(files[1]!));
        }
        return { path: folder, files };
      },
    ),
  ];
}
