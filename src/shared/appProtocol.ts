/**
 * Application protocols recognised in one TCP payload, for the traffic panel's detail pane: an HTTP request or
 * response (start line, header fields, the blank line, the body against Content-Length) and SMTP commands or
 * replies (verbs, three-digit codes, multi-line replies). Pure and DOM-free; the payload is untrusted, so only
 * its first MAX_PARSED bytes are read and every string it yields is shown as text, never as HTML.
 */

import { englishText, type Text, type TextArg } from './l10n';
import { TRAFFIC_STRINGS } from './webviewStrings';

/** The most of a payload that is parsed (a head and a little body; the hex dump still shows every byte). */
export const MAX_PARSED = 8 * 1024;

/**
 * One verdict under the title: `ok` true is a ✓, false a ⚠, undefined a plain fact. `text` is in English;
 * `message` is the same as a translatable text (its templates are the traffic panel's words, so the page says it
 * in the display language).
 */
export type AppCheck = { ok?: boolean; text: string; message: Text };

/** What the detail pane shows above the hex dump when a payload speaks a protocol it knows. */
export type AppProtocolView = {
  protocol: 'HTTP' | 'SMTP';
  kind: 'http-request' | 'http-response' | 'smtp-command' | 'smtp-reply' | 'smtp-data';
  /** One line, e.g. "HTTP request: GET /HelloWorld.html HTTP/1.1" or "SMTP reply 250 (OK)". */
  title: string;
  titleText: Text;
  /** Header fields, commands or reply lines: a two-column table (its head also as translatable texts). */
  table?: { head: [string, string]; headText: [Text, Text]; rows: Array<[string, string]> };
  checks: AppCheck[];
};

type Words = typeof TRAFFIC_STRINGS;

/** A message in the traffic panel's words: the template is the table's English, which the page translates. */
function say(key: keyof Words, ...args: TextArg[]): Text {
  return { template: TRAFFIC_STRINGS[key], args };
}

/** A verdict from its message (a plain fact without `ok`). */
function check(ok: boolean | undefined, message: Text): AppCheck {
  return { ...(ok === undefined ? {} : { ok }), text: englishText(message), message };
}

/** A two-column table's head. */
function tableHead(a: keyof Words, b: keyof Words): { head: [string, string]; headText: [Text, Text] } {
  return { head: [TRAFFIC_STRINGS[a], TRAFFIC_STRINGS[b]], headText: [say(a), say(b)] };
}

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

/** "1 byte", "2 bytes": a count with its word, one template for one and one for more. */
function plural(n: number, one: keyof Words, many: keyof Words): Text {
  return say(n === 1 ? one : many, n);
}

/** "2 lines end with a bare \n …", or nothing when every line ends with \r\n. */
function bareLfCheck(lines: Line[], proto: 'HTTP' | 'SMTP'): AppCheck[] {
  const bare = lines.filter((l) => l.end === 'lf');
  if (bare.length === 0) {
    return [];
  }
  return [
    check(
      false,
      bare.length === 1
        ? say('appBareLfOne', lines.indexOf(bare[0]!) + 1, proto)
        : say('appBareLfMany', bare.length, proto),
    ),
  ];
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
  let title: Text;
  if (req) {
    title = say('appHttpRequest', shown(first.text));
    checks.push(check(undefined, say('appHttpRequestLine', req[1]!, shown(req[2]!), req[3]!)));
  } else {
    const code = Number(res![2]);
    const reason = res![3] ?? '';
    title = say('appHttpResponse', shown(first.text));
    const known = HTTP_REASONS[code];
    const cls: keyof Words =
      code < 200
        ? 'appHttpInformational'
        : code < 300
          ? 'appHttpSuccess'
          : code < 400
            ? 'appHttpRedirection'
            : code < 500
              ? 'appHttpClientError'
              : 'appHttpServerError';
    checks.push(
      check(
        undefined,
        say(
          'appHttpStatus',
          code,
          say(cls),
          reason ? say('appHttpReason', shown(reason)) : say('appHttpNoReason'),
          known && reason && known.toLowerCase() !== reason.toLowerCase()
            ? say('appHttpUsualReason', known)
            : '',
        ),
      ),
    );
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
      rows.push([TRAFFIC_STRINGS.appNotAHeader, shown(l.text)]);
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
  checks.push(
    check(
      undefined,
      rows.length ? plural(rows.length, 'appHeaderLine', 'appHeaderLines') : say('appNoHeaderLines'),
    ),
  );
  if (malformed) {
    checks.push(check(false, say('appMalformed', plural(malformed, 'appLine', 'appLines'))));
  }
  checks.push(...bareLfCheck(head, 'HTTP'));
  if (!blank) {
    checks.push(check(false, capped ? say('appNoBlankCapped', MAX_PARSED) : say('appNoBlankSegment')));
  } else {
    checks.push(check(true, say('appBlankLine')));
    // Body bytes counted in the whole payload, not only the parsed part.
    const body = total - blank.next;
    const bytes = (n: number) => plural(n, 'appByte', 'appBytes');
    if (badLength !== undefined) {
      checks.push(check(false, say('appBodyBadLength', bytes(body), shown(badLength))));
    } else if (contentLength !== undefined) {
      checks.push(
        body === contentLength
          ? check(true, say('appBodyExact', bytes(body), contentLength))
          : body < contentLength
            ? check(undefined, say('appBodyShort', body, bytes(contentLength), contentLength))
            : check(false, say('appBodyLong', bytes(body), contentLength, body - contentLength)),
      );
    } else if (body === 0) {
      checks.push(check(undefined, req ? say('appNoBody') : say('appNoBodyNoLength')));
    } else {
      checks.push(
        req
          ? check(false, say('appBodyNoLengthRequest', bytes(body)))
          : check(undefined, say('appBodyNoLengthResponse', bytes(body))),
      );
    }
  }
  return {
    protocol: 'HTTP',
    kind: req ? 'http-request' : 'http-response',
    title: englishText(title),
    titleText: title,
    table: rows.length ? { ...tableHead('appHeader', 'appValue'), rows } : undefined,
    checks,
  };
}

/** What the reply codes of the SMTP dialogue mean (the traffic panel's words). */
const SMTP_REPLIES: Record<number, keyof Words> = {
  211: 'smtp211',
  214: 'smtp214',
  220: 'smtp220',
  221: 'smtp221',
  250: 'smtp250',
  251: 'smtp251',
  252: 'smtp252',
  354: 'smtp354',
  421: 'smtp421',
  450: 'smtp450',
  451: 'smtp451',
  452: 'smtp452',
  500: 'smtp500',
  501: 'smtp501',
  502: 'smtp502',
  503: 'smtp503',
  504: 'smtp504',
  550: 'smtp550',
  551: 'smtp551',
  552: 'smtp552',
  553: 'smtp553',
  554: 'smtp554',
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
    const meaning = say(
      SMTP_REPLIES[code] ??
        (code < 300 ? 'smtpSuccess' : code < 400 ? 'smtpGoOn' : code < 500 ? 'smtpTryLater' : 'smtpFailed'),
    );
    const checks: AppCheck[] = [];
    const multi = full.length > 1;
    const lineCount = plural(full.length, 'appLine', 'appLines');
    if (multi) {
      const contOk =
        replies.slice(0, -1).every((m) => m![2] === '-') && replies[replies.length - 1]![2] !== '-';
      const sameCode = codes.every((c) => c === code);
      checks.push(
        contOk && sameCode
          ? check(true, say('smtpMultiLine', lineCount, code))
          : check(
              false,
              sameCode
                ? say('smtpMultiLineBad', lineCount)
                : say(
                    'smtpSeveralReplies',
                    plural(full.length, 'smtpReply', 'smtpReplies'),
                    codes.join(', '),
                  ),
            ),
      );
    } else if (replies[0]![2] === '-') {
      checks.push(check(undefined, say('smtpGoesOn', code)));
    }
    checks.push(...bareLfCheck(full, 'SMTP'));
    if (full[full.length - 1]!.end === 'none') {
      checks.push(check(false, say('smtpNoLineEnd')));
    }
    const title = say('smtpReplyTitle', code, meaning);
    return {
      protocol: 'SMTP',
      kind: 'smtp-reply',
      title: englishText(title),
      titleText: title,
      table: {
        ...tableHead('smtpCode', 'smtpText'),
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
      checks.push(check(false, say('smtpSeveralCommands', count)));
    }
    if (i < full.length) {
      checks.push(check(undefined, say('smtpThenOther', plural(full.length - i, 'appLine', 'appLines'))));
    }
    checks.push(...bareLfCheck(full, 'SMTP'));
    if (full[full.length - 1]!.end === 'none') {
      checks.push(check(false, say('smtpCommandNoLineEnd')));
    } else if (!checks.some((c) => c.ok === false)) {
      checks.push(check(true, say('smtpEndedCrlf')));
    }
    const title =
      count === 1
        ? say('smtpCommandTitle', `${rows[0]![0]}${rows[0]![1] ? ` ${rows[0]![1]}` : ''}`)
        : say('smtpCommandsTitle', rows.map((r) => r[0]).join(', '));
    return {
      protocol: 'SMTP',
      kind: 'smtp-command',
      title: englishText(title),
      titleText: title,
      table: { ...tableHead('smtpCommand', 'smtpArgument'), rows },
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
    check(undefined, say('smtpDataLines', plural(body.length, 'appLine', 'appLines'))),
    crlf ? check(true, say('smtpDataEnd')) : check(false, say('smtpDataBareEnd')),
  ];
  const stuffed = body.filter((l) => l.text.startsWith('..')).length;
  if (stuffed) {
    checks.push(check(undefined, say('smtpDotStuffed', plural(stuffed, 'appLine', 'appLines'))));
  }
  if (crlf) {
    checks.push(...bareLfCheck(body, 'SMTP'));
  }
  const title = say('smtpDataTitle');
  return {
    protocol: 'SMTP',
    kind: 'smtp-data',
    title: englishText(title),
    titleText: title,
    table: headers.length ? { ...tableHead('appHeader', 'appValue'), rows: headers } : undefined,
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
    view.checks.push(check(undefined, say('appCapped', MAX_PARSED, data.length)));
  }
  return view;
}
