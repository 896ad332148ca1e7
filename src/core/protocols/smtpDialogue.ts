/**
 * SMTP (RFC 5321) as the playground's mail server speaks it: the reply texts, how a reply is cut into pieces,
 * the commands it knows, and the message with its dot-stuffing undone. Pure: no sockets.
 */

/** The host name the playground's mail server gives in its greeting and replies. */
export const SMTP_HOST = 'playground.test';

/** One recorded mail: the envelope (MAIL FROM, RCPT TO) and the message as the client sent it. */
export type RecordedMail = {
  from: string;
  to: string[];
  /** The message, dot-stuffing undone, lines joined with CRLF. */
  message: string;
  /** The client's greeting name (HELO/EHLO argument). */
  helo?: string;
};

/** A command line split into its verb (upper case) and the rest. */
export function parseCommand(line: string): { verb: string; arg: string } {
  const m = /^([A-Za-z]+)(?:[ :]?(.*))?$/.exec(line.trim());
  if (!m) {
    return { verb: '', arg: line.trim() };
  }
  // MAIL FROM: and RCPT TO: are two words; keep the verb as the first word, the rest in arg.
  return { verb: m[1]!.toUpperCase(), arg: (m[2] ?? '').trim() };
}

/** The address inside `FROM:<a@b>` / `TO:<a@b>`; undefined when the argument is not of that form. */
export function envelopeAddress(arg: string, keyword: 'FROM' | 'TO'): string | undefined {
  const m = new RegExp(`^${keyword}:\\s*<([^<>]*)>`, 'i').exec(arg.trim());
  return m ? m[1] : undefined;
}

/** Undoes dot-stuffing on one message line: a line the client began with an extra "." loses it. */
export function unstuff(line: string): string {
  return line.startsWith('.') ? line.slice(1) : line;
}

/**
 * Splits a reply into the pieces the server sends one after the other: each line on its own, and the last line
 * cut after its code, so a client that stops reading at the first bytes is caught sending too early.
 */
export function replyPieces(reply: string): string[] {
  const lines = reply.split(/(?<=\r\n)/).filter((l) => l !== '');
  const pieces: string[] = [];
  lines.forEach((line, i) => {
    if (i === lines.length - 1 && line.length > 6) {
      const cut = Math.min(line.length - 2, 4 + Math.ceil((line.length - 6) / 2));
      pieces.push(line.slice(0, cut), line.slice(cut));
    } else {
      pieces.push(line);
    }
  });
  return pieces;
}

/** The reply lines of the playground's mail server. */
export const Replies = {
  greeting: `220 ${SMTP_HOST} ESMTP Socket Playground mail server ready\r\n`,
  helo: (name: string) => `250 ${SMTP_HOST} Hello ${name || 'there'}, pleased to meet you\r\n`,
  ehlo: (name: string) => `250-${SMTP_HOST} Hello ${name || 'there'}\r\n250-8BITMIME\r\n250 HELP\r\n`,
  ok: '250 OK\r\n',
  sender: (a: string) => `250 2.1.0 Sender <${a}> OK\r\n`,
  recipient: (a: string) => `250 2.1.5 Recipient <${a}> OK\r\n`,
  data: '354 End data with <CR><LF>.<CR><LF>\r\n',
  queued: (n: number) => `250 2.0.0 OK: message ${n} recorded (not delivered: this is the playground)\r\n`,
  bye: `221 2.0.0 ${SMTP_HOST} closing connection\r\n`,
  heloFirst: '503 5.5.1 Say HELO or EHLO first\r\n',
  mailFirst: '503 5.5.1 Need MAIL FROM before RCPT TO\r\n',
  rcptFirst: '503 5.5.1 Need RCPT TO before DATA\r\n',
  badSyntax: (what: string) => `501 5.5.4 Syntax: ${what}\r\n`,
  unknown: '500 5.5.2 Command not recognized\r\n',
} as const;
