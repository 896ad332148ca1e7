/**
 * HTTP/1.x on the wire, as the web-server lab and the playground's HTTP client read it: a request to send, and a
 * response parsed from the bytes received so far. Pure: no sockets. A response ends at its Content-Length, or
 * (without one) when the server closes the connection.
 */

/** The bytes of a GET request for `path`, as a browser would send it (CRLF line ends, a blank line last). */
export function httpGetRequest(path: string, host: string, port: number): Buffer {
  return Buffer.from(
    `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUser-Agent: SocketPlayground\r\nAccept: text/html\r\nConnection: close\r\n\r\n`,
    'latin1',
  );
}

/** What the bytes received so far say about a response. */
export type HttpResponseParse = {
  /** Every byte received. */
  raw: Buffer;
  /** The first line, without its line end (undefined until a line end came). */
  statusLine?: string;
  /** The status code when the status line is `HTTP/1.x NNN …`. */
  status?: number;
  /** The version the status line names (`HTTP/1.1`). */
  version?: string;
  /** Header fields, names in lower case (undefined until the blank line came). */
  headers?: Record<string, string>;
  /** Where the body starts in raw (after the blank line), when the head ended. */
  bodyStart?: number;
  /** The body as received so far (up to Content-Length when there is one). */
  body?: Buffer;
  /** Content-Length, when the server sent a valid one. */
  contentLength?: number;
  /** The response is whole: Content-Length bytes of body arrived, or the server closed after the head. */
  complete: boolean;
  /** Lines of the head that end in a bare \n (a browser accepts them, the standard asks for \r\n). */
  bareLf: boolean;
};

const STATUS = /^(HTTP\/1\.[01]) (\d{3})(?: .*)?$/;

/** Parses a response from what arrived; `closed` says the server closed the connection (so the body ended). */
export function parseHttpResponse(raw: Buffer, closed: boolean): HttpResponseParse {
  const out: HttpResponseParse = { raw, complete: false, bareLf: false };
  const firstEnd = raw.indexOf('\n');
  if (firstEnd < 0) {
    return out;
  }
  out.statusLine = raw.subarray(0, firstEnd).toString('latin1').replace(/\r$/, '');
  const m = STATUS.exec(out.statusLine);
  if (m) {
    out.version = m[1];
    out.status = Number(m[2]);
  }
  // The head ends at the first empty line: \r\n\r\n, or \n\n from a server that ends lines with \n only.
  let headEnd = -1;
  let bodyStart = -1;
  for (let i = firstEnd; i < raw.length; i = raw.indexOf('\n', i + 1)) {
    if (i < 0) {
      break;
    }
    const next = raw.indexOf('\n', i + 1);
    if (next < 0) {
      break;
    }
    const line = raw.subarray(i + 1, next).toString('latin1');
    if (line === '' || line === '\r') {
      headEnd = i;
      bodyStart = next + 1;
      break;
    }
  }
  if (headEnd < 0) {
    out.complete = closed;
    return out;
  }
  const headText = raw.subarray(0, headEnd + 1).toString('latin1');
  out.bareLf = /(^|[^\r])\n/.test(headText) || raw[bodyStart - 2] !== 0x0d;
  const headers: Record<string, string> = {};
  for (const line of headText.split('\n').slice(1)) {
    const l = line.replace(/\r$/, '');
    const colon = l.indexOf(':');
    if (colon > 0) {
      headers[l.slice(0, colon).trim().toLowerCase()] = l.slice(colon + 1).trim();
    }
  }
  out.headers = headers;
  out.bodyStart = bodyStart;
  const cl = headers['content-length'];
  if (cl !== undefined && /^\d{1,12}$/.test(cl)) {
    out.contentLength = Number(cl);
  }
  const rest = raw.subarray(bodyStart);
  if (out.contentLength !== undefined) {
    out.body = rest.subarray(0, out.contentLength);
    out.complete = rest.length >= out.contentLength || closed;
  } else {
    out.body = rest;
    out.complete = closed;
  }
  return out;
}
