/**
 * The notes the protocol labs link. Some are new and may not be in the loaded corpus yet: a check still links
 * them, by id, with the title they will have (noteRef falls back to the id alone otherwise).
 */
import { getNote } from '../notes/notes';
import type { NoteRef } from '../../shared/types';
import type { LabCheck } from './types';

export const ProtoNote = {
  HttpMessages: 'http-request-response',
  HttpStatusCodes: 'http-status-codes',
  HttpMessageEnd: 'http-content-length-blank-line',
  ProtocolFraming: 'protocol-framing-over-tcp',
  SmtpDialogue: 'smtp-dialogue',
  SmtpReplyCodes: 'smtp-reply-codes',
  SmtpDotStuffing: 'smtp-dot-stuffing',
  CrlfLineEnds: 'crlf-line-ends',
} as const;

const TITLES: Record<string, string> = {
  [ProtoNote.HttpMessages]: 'HTTP requests and responses on the wire',
  [ProtoNote.HttpStatusCodes]: 'HTTP status codes: 200, 404 and the others',
  [ProtoNote.HttpMessageEnd]: 'Where an HTTP message ends: the blank line and Content-Length',
  [ProtoNote.ProtocolFraming]: 'Reading a whole request: framing an application protocol over TCP',
  [ProtoNote.SmtpDialogue]: 'The SMTP dialogue: HELO, MAIL FROM, RCPT TO, DATA, QUIT',
  [ProtoNote.SmtpReplyCodes]: 'SMTP reply codes, and waiting for each reply',
  [ProtoNote.SmtpDotStuffing]: 'Ending an SMTP message: <CRLF>.<CRLF> and dot-stuffing',
  [ProtoNote.CrlfLineEnds]: 'Line ends in Internet protocols: \\r\\n, not \\n',
};

/** A note as a check links it; a note not loaded yet keeps its future title. */
export function protoNoteRef(id: string): NoteRef {
  return { id, title: getNote(id)?.title ?? TITLES[id] ?? id };
}

/** Replaces a check's note titles with the protocol notes' titles where the corpus does not know them. */
export function withNoteTitles(c: LabCheck): LabCheck {
  return c.notes ? { ...c, notes: c.notes.map((n) => protoNoteRef(n.id)) } : c;
}
