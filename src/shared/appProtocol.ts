/**
 * Application protocols recognised in one TCP payload, for the traffic panel's detail pane: an HTTP request or
 * response (start line, header fields, the blank line, the body against Content-Length) and SMTP commands or
 * replies (verbs, three-digit codes, multi-line replies). Pure and DOM-free; the payload is untrusted, so only
 * its first MAX_PARSED bytes are read and every string it yields is shown as text, never as HTML.
 */

/** The most of a payload that is parsed (a head and a little body; the hex dump still shows every byte). */
export const MAX_PARSED = 8 * 1024;

/** One verdict under the title: `ok` true is a ✓, false a ⚠, undefined a plain fact. */
export type AppCheck = { ok?: boolean; text: string };

/** What the detail pane shows above the hex dump when a payload speaks a protocol it knows. */
export type AppProtocolView = {
  protocol: 'HTTP' | 'SMTP';
  kind: 'http-request' | 'http-response' | 'smtp-command' | 'smtp-reply' | 'smtp-data';
  /** One line, e.g. "HTTP request: GET /HelloWorld.html HTTP/1.1" or "SMTP reply 250 (OK)". */
  title: string;
  /** Header fields, commands or reply lines: a two-column table. */
  table?: { head: [string, string]; rows: Array<[string, string]> };
  checks: AppCheck[];
};

type Line = { text: string; end: 'crlf' | 'lf' | 'none'; start: number; next: number };

/** Bytes as one char each (latin1), so that offsets in the string are offsets in the payload. */
function latin1(data: Uint8Array): string {
  let s = '';
  for (let i = 0; i < data.length; i += 4096) {
    s += String.fromCharCode(...data.subarray(i, i + 4096));
  }
  return s;
}

/** Control and non-ASCII bytes as visible escapes, so nothing in a payload can pose as layout. */
function shown(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, (c) => {
    const n = c.charCodeAt(0);
    return n === 0x09 ? '\\t' : `\\x${n.toString(16).padStart(2, '0')}`;
  });
}

function splitLines(s: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < s.length) {
    const nl = s.indexOf('\n', start);
    if (nl < 0) {
      lines.push({ text: s.slice(start), end: 'none', start, next: s.length });
      break;
    }
    const cr = nl > start && s[nl - 1] === '\r';
    lines.push({ text: s.slice(start, cr ? nl - 1 : nl), end: cr ? 'crlf' : 'lf', start, next: nl + 1 });
    start = nl + 1;
  }
  return lines;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "2 lines end with a bare \n …", or nothing when every line ends with \r\n. */
function bareLfCheck(lines: Line[], proto: 'HTTP' | 'SMTP'): AppCheck[] {
  const bare = lines.filter((l) => l.end === 'lf');
  if (bare.length === 0) {
    return [];
  }
  const which = bare.length === 1 ? `line ${lines.indexOf(bare[0]!) + 1} ends` : `${bare.length} lines end`;
  return [{ ok: false, text: `${which} with a bare \\n where ${proto} wants \\r\\n` }];
}

const HTTP_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'PATCH',
  'CONNECT',
  'TRACE',
]);
const REQUEST_LINE = /^([A-Z]+) (\S+) (HTTP\/\d\.\d)$/;
const STATUS_LINE = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/;

/** The standard reason phrases of the status codes a course meets. */
const HTTP_REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  505: 'HTTP Version Not Supported',
};

function httpView(lines: Line[], capped: boolean, total: number): AppProtocolView | undefined {
  const first = lines[0];
  if (!first) {
    return undefined;
  }
  const req = REQUEST_LINE.exec(first.text);
  const res = req ? null : STATUS_LINE.exec(first.text);
  if (!(req && HTTP_METHODS.has(req[1]!)) && !res) {
    return undefined;
  }
  const checks: AppCheck[] = [];
  let title: string;
  if (req) {
    title = `HTTP request: ${shown(first.text)}`;
    checks.push({ text: `method ${req[1]}, path ${shown(req[2]!)}, version ${req[3]}` });
  } else {
    const code = Number(res![2]);
    const reason = res![3] ?? '';
    title = `HTTP response: ${shown(first.text)}`;
    const known = HTTP_REASONS[code];
    const cls =
      code < 200
        ? 'informational'
        : code < 300
          ? 'success'
          : code < 400
            ? 'redirection'
            : code < 500
              ? 'client error'
              : 'server error';
    checks.push({
      text: `status ${code} (${cls})${reason ? `, reason "${shown(reason)}"` : ', no reason phrase'}${
        known && reason && known.toLowerCase() !== reason.toLowerCase() ? `; the usual one is "${known}"` : ''
      }`,
    });
  }
  const rows: Array<[string, string]> = [];
  let blank: Line | undefined;
  const head: Line[] = [first];
  let contentLength: number | undefined;
  let badLength: string | undefined;
  let malformed = 0;
  for (const l of lines.slice(1)) {
    head.push(l);
    if (l.text === '' && l.end !== 'none') {
      blank = l;
      break;
    }
    if (l.end === 'none') {
      break; // the head goes on in a later segment
    }
    const colon = l.text.indexOf(':');
    if (colon <= 0) {
      malformed++;
      rows.push(['(not a header)', shown(l.text)]);
      continue;
    }
    const name = l.text.slice(0, colon);
    const value = l.text.slice(colon + 1).trim();
    rows.push([shown(name), shown(value)]);
    if (name.trim().toLowerCase() === 'content-length') {
      if (/^\d{1,15}$/.test(value)) {
        contentLength = Number(value);
      } else {
        badLength = value;
      }
    }
  }
  checks.push({ text: rows.length ? plural(rows.length, 'header line') : 'no header lines' });
  if (malformed) {
    checks.push({ ok: false, text: `${plural(malformed, 'line')} in the head without "Name: value"` });
  }
  checks.push(...bareLfCheck(head, 'HTTP'));
  if (!blank) {
    checks.push({
      ok: false,
      text: capped
        ? `no blank line in the first ${MAX_PARSED} bytes`
        : 'no blank line in this segment: the head goes on in the next one, or the blank line is missing',
    });
  } else {
    checks.push({ ok: true, text: 'blank line ✓ (the head ends here)' });
    // Body bytes counted in the whole payload, not only the parsed part.
    const body = total - blank.next;
    if (badLength !== undefined) {
      checks.push({
        ok: false,
        text: `body ${plural(body, 'byte')}; Content-Length "${shown(badLength)}" is not a number`,
      });
    } else if (contentLength !== undefined) {
      const verdict =
        body === contentLength
          ? { ok: true, text: `body ${plural(body, 'byte')} (Content-Length ${contentLength} ✓)` }
          : body < contentLength
            ? {
                ok: undefined,
                text: `body ${body} of ${plural(contentLength, 'byte')} (Content-Length ${contentLength}): the rest comes in later segments, or is missing`,
              }
            : {
                ok: false,
                text: `body ${plural(body, 'byte')}, more than Content-Length ${contentLength}: the reader takes the ${body - contentLength} after it for the next message`,
              };
      checks.push(verdict);
    } else if (body === 0) {
      checks.push({ text: req ? 'no body' : 'no body in this segment, and no Content-Length' });
    } else {
      checks.push({
        ok: req ? false : undefined,
        text: req
          ? `body ${plural(body, 'byte')} without a Content-Length: the server cannot tell where it ends`
          : `body ${plural(body, 'byte')}, no Content-Length: it ends when the server closes the connection`,
      });
    }
  }
  return {
    protocol: 'HTTP',
    kind: req ? 'http-request' : 'http-response',
    title,
    table: rows.length ? { head: ['header', 'value'], rows } : undefined,
    checks,
  };
}

/** What the reply codes of the SMTP dialogue mean. */
const SMTP_REPLIES: Record<number, string> = {
  211: 'system status',
  214: 'help',
  220: 'service ready',
  221: 'closing the connection',
  250: 'OK',
  251: 'user not local; will forward',
  252: 'cannot verify the user; will try',
  354: 'start the mail input; end it with <CRLF>.<CRLF>',
  421: 'service not available, closing',
  450: 'mailbox unavailable (try again later)',
  451: 'aborted: local error',
  452: 'insufficient storage',
  500: 'syntax error, command unrecognised',
  501: 'syntax error in the parameters',
  502: 'command not implemented',
  503: 'bad sequence of commands',
  504: 'parameter not implemented',
  550: 'mailbox unavailable',
  551: 'user not local',
  552: 'exceeded the storage allocation',
  553: 'mailbox name not allowed',
  554: 'transaction failed',
};

const SMTP_VERBS =
  /^(HELO|EHLO|MAIL FROM:|RCPT TO:|DATA|QUIT|RSET|NOOP|VRFY|EXPN|HELP|STARTTLS|AUTH)(?=$|[ <])(.*)$/i;
const REPLY_LINE = /^([2-5]\d\d)(?:([ -])(.*))?$/;

function smtpView(lines: Line[]): AppProtocolView | undefined {
  // A trailing piece without a line end still counts (a command or a reply cut by the segment).
  const full = lines.filter((l) => l.text !== '' || l.end !== 'none');
  if (full.length === 0) {
    return undefined;
  }
  const replies = full.map((l) => REPLY_LINE.exec(l.text));
  // A known code, or the space or dash after it: "404" alone is not taken for a mail server's reply.
  if (replies.every((m) => m && (m[2] !== undefined || SMTP_REPLIES[Number(m[1])] !== undefined))) {
    const codes = replies.map((m) => Number(m![1]));
    const code = codes[codes.length - 1]!;
    const meaning =
      SMTP_REPLIES[code] ??
      (code < 300 ? 'success' : code < 400 ? 'go on' : code < 500 ? 'try again later' : 'failed');
    const checks: AppCheck[] = [];
    const multi = full.length > 1;
    if (multi) {
      const contOk =
        replies.slice(0, -1).every((m) => m![2] === '-') && replies[replies.length - 1]![2] !== '-';
      const sameCode = codes.every((c) => c === code);
      checks.push(
        contOk && sameCode
          ? {
              ok: true,
              text: `a multi-line reply: ${plural(full.length, 'line')}, "${code}-" on all but the last, "${code} " on the last ✓`,
            }
          : {
              ok: false,
              text: sameCode
                ? `${plural(full.length, 'line')}: a multi-line reply has "-" after the code on every line but the last`
                : `${plural(full.length, 'reply', 'replies')} in one segment (codes ${codes.join(', ')})`,
            },
      );
    } else if (replies[0]![2] === '-') {
      checks.push({ text: `"${code}-": the reply goes on in the next line` });
    }
    checks.push(...bareLfCheck(full, 'SMTP'));
    if (full[full.length - 1]!.end === 'none') {
      checks.push({ ok: false, text: 'the last line has no line end in this segment' });
    }
    return {
      protocol: 'SMTP',
      kind: 'smtp-reply',
      title: `SMTP reply ${code} (${meaning})`,
      table: {
        head: ['code', 'text'],
        rows: replies.map((m) => [`${m![1]}${m![2] ?? ''}`, shown(m![3] ?? '')]),
      },
      checks,
    };
  }
  const commands = full.map((l) => SMTP_VERBS.exec(l.text));
  if (commands[0]) {
    const rows: Array<[string, string]> = [];
    let i = 0;
    for (; i < full.length && commands[i]; i++) {
      const m = commands[i]!;
      rows.push([m[1]!.toUpperCase(), shown(m[2]!.trim())]);
    }
    const checks: AppCheck[] = [];
    const count = rows.length;
    if (count > 1) {
      checks.push({
        ok: false,
        text: `${count} commands in one segment: a client waits for the reply to each command before it sends the next`,
      });
    }
    if (i < full.length) {
      checks.push({ text: `then ${plural(full.length - i, 'line')} of other text` });
    }
    checks.push(...bareLfCheck(full, 'SMTP'));
    if (full[full.length - 1]!.end === 'none') {
      checks.push({
        ok: false,
        text: 'the last line has no line end in this segment: SMTP commands end with \\r\\n',
      });
    } else if (!checks.some((c) => c.ok === false)) {
      checks.push({ ok: true, text: 'ended by \\r\\n ✓' });
    }
    return {
      protocol: 'SMTP',
      kind: 'smtp-command',
      title:
        count === 1
          ? `SMTP command: ${rows[0]![0]}${rows[0]![1] ? ` ${rows[0]![1]}` : ''}`
          : `SMTP commands: ${rows.map((r) => r[0]).join(', ')}`,
      table: { head: ['command', 'argument'], rows },
      checks,
    };
  }
  return undefined;
}

/** The end of a mail's DATA: <CRLF>.<CRLF>, or the same with bare \n (which a strict server does not accept). */
function smtpDataView(s: string, lines: Line[]): AppProtocolView | undefined {
  const crlf = s.endsWith('\r\n.\r\n') || s === '.\r\n';
  const lf = !crlf && (s.endsWith('\n.\n') || s.endsWith('\n.\r\n') || s.endsWith('\r\n.\n'));
  if (!crlf && !lf) {
    return undefined;
  }
  const body = lines.slice(0, -1);
  const blank = body.findIndex((l) => l.text === '');
  const headers = (blank < 0 ? [] : body.slice(0, blank))
    .map((l) => /^([A-Za-z-]+):\s*(.*)$/.exec(l.text))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m): [string, string] => [shown(m[1]!), shown(m[2]!)]);
  const checks: AppCheck[] = [
    { text: `${plural(body.length, 'line')} of message` },
    crlf
      ? { ok: true, text: 'ended by <CRLF>.<CRLF> ✓' }
      : {
          ok: false,
          text: 'ends with "." on a line of its own, but with a bare \\n where SMTP wants <CRLF>.<CRLF>',
        },
  ];
  const stuffed = body.filter((l) => l.text.startsWith('..')).length;
  if (stuffed) {
    checks.push({ text: `${plural(stuffed, 'line')} dot-stuffed (".." for a line that starts with ".")` });
  }
  if (crlf) {
    checks.push(...bareLfCheck(body, 'SMTP'));
  }
  return {
    protocol: 'SMTP',
    kind: 'smtp-data',
    title: 'SMTP mail data (after DATA)',
    table: headers.length ? { head: ['header', 'value'], rows: headers } : undefined,
    checks,
  };
}

/** The protocol view of a TCP payload, or undefined when it is none of HTTP or SMTP (or starts mid-message). */
export function recogniseAppProtocol(
  data: Uint8Array,
  /** The payload's whole length, when `data` is the first part the log kept of it. */
  totalBytes = data.length,
): AppProtocolView | undefined {
  if (data.length === 0) {
    return undefined;
  }
  const capped = data.length > MAX_PARSED;
  const s = latin1(capped ? data.subarray(0, MAX_PARSED) : data);
  const lines = splitLines(s);
  const view =
    httpView(lines, capped, Math.max(totalBytes, data.length)) ??
    smtpView(lines) ??
    (capped ? undefined : smtpDataView(s, lines));
  if (view && capped) {
    view.checks.push({ text: `only the first ${MAX_PARSED} of ${data.length} bytes read here` });
  }
  return view;
}
