import { type IncomingHttpHeaders, request } from 'node:http';
import { connect } from 'node:net';

/** One request as the fuzzer sends it: the path is already encoded, the body is bytes or text. */
export interface FuzzRequest {
  method: string;
  /** Path and query string exactly as they go on the request line. */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: Uint8Array | string;
}

export interface FuzzResponse {
  /** 0 when nothing came back. */
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Why no answer came: a reset, a refused connection, a timeout. */
  transportError?: string;
}

/** Longer than any route should take; an API that does not answer by then has hung. */
const ANSWER_TIMEOUT_MS = 15_000;

const noAnswer = (transportError: string): FuzzResponse => ({
  status: 0,
  headers: {},
  body: Buffer.alloc(0),
  transportError,
});

/**
 * Sends with node:http on a fresh connection each time, so that a connection the server
 * gave up on cannot fail the next request. It says keep-alive all the same, as the SDK's
 * pooled connections do: a server that answers before the body is in (a 413 on the declared
 * length) then reads the rest instead of closing on a client still writing, which node:http
 * reports as EPIPE with the answer lost.
 */
export function send(baseUrl: string, req: FuzzRequest): Promise<FuzzResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    let settled = false;
    const done = (response: FuzzResponse) => {
      if (settled) return;
      settled = true;
      resolve(response);
    };
    let outgoing: ReturnType<typeof request>;
    try {
      outgoing = request({
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers: { connection: 'keep-alive', ...req.headers },
        agent: false,
        timeout: ANSWER_TIMEOUT_MS,
        // The API's own answer is judged, not node:http's 16 KB default, which a download's
        // Content-Disposition passes for a long non-ASCII file name.
        maxHeaderSize: 1024 * 1024,
      });
    } catch (error) {
      // The fuzzer built something node:http will not send; that is the generator's bug.
      throw new Error(`node:http refused the request: ${(error as Error).message}`);
    }
    outgoing.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        // Kept alive for the server's sake; this client has no pool to return it to.
        res.socket?.destroy();
        done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', (error) => done(noAnswer(`response broke off: ${error.message}`)));
    });
    outgoing.on('timeout', () => {
      outgoing.destroy();
      done(noAnswer(`no answer within ${ANSWER_TIMEOUT_MS} ms`));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => done(noAnswer(error.code ?? error.message)));
    outgoing.end(req.body);
  });
}

function parseRawResponse(raw: Buffer): FuzzResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return noAnswer(raw.length === 0 ? 'closed without an answer' : 'incomplete answer');
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
  const headers: IncomingHttpHeaders = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = body.indexOf('\r\n', at);
      if (lineEnd < 0) break;
      const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
      if (!(size > 0)) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  } else if (headers['content-length'] !== undefined) {
    body = body.subarray(0, Number(headers['content-length']));
  }
  return { status, headers, body };
}

export interface RawOptions {
  /** Close our side after writing (the request may be cut short on purpose). */
  endAfterWrite?: boolean;
  /** Reset the connection this long after writing, without waiting for an answer. */
  abortAfterMs?: number;
}

/**
 * Writes bytes straight to a socket: request lines and bodies node:http would refuse to
 * send (raw bytes in the path, a body shorter than its Content-Length, a client that goes away).
 */
export function sendRaw(baseUrl: string, bytes: Uint8Array, options: RawOptions = {}): Promise<FuzzResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const finish = (response?: FuzzResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(response ?? parseRawResponse(Buffer.concat(chunks)));
    };
    const timer = setTimeout(
      () => finish(chunks.length > 0 ? undefined : noAnswer(`no answer within ${ANSWER_TIMEOUT_MS} ms`)),
      ANSWER_TIMEOUT_MS,
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish(chunks.length > 0 ? undefined : noAnswer(error.code ?? error.message)),
    );
    socket.on('connect', () => {
      socket.write(bytes, () => {
        if (options.abortAfterMs !== undefined) {
          setTimeout(
            () => finish(chunks.length > 0 ? undefined : noAnswer('aborted by the client')),
            options.abortAfterMs,
          );
        } else if (options.endAfterWrite) {
          socket.end();
        }
      });
    });
  });
}

/** The request line, headers and body of `req` as HTTP/1.1 bytes, for sendRaw. */
export function rawRequest(
  req: FuzzRequest,
  host: string,
  options: { contentLength?: number; closeConnection?: boolean } = {},
): Buffer {
  const body = req.body === undefined ? Buffer.alloc(0) : Buffer.from(req.body);
  const lines = [`${req.method} ${req.path} HTTP/1.1`, `Host: ${host}`];
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  lines.push(`Content-Length: ${options.contentLength ?? body.length}`);
  if (options.closeConnection !== false) lines.push('Connection: close');
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'), body]);
}
