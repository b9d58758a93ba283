import type { FuzzRequest, FuzzResponse } from './http-client.js';
import type { Answer } from './routes.js';

/** A property failure with a readable reproducer: the request, the answer, the API's log. */
export class FuzzFailure extends Error {
  override name = 'FuzzFailure';
  /** What makes two failures the same defect: route, problem, the API's error (first line by default). */
  readonly signature: string;

  constructor(message: string, signature?: string) {
    super(message);
    this.signature = signature ?? message.split('\n')[0] ?? message;
  }
}

const SHOWN_BODY = 1500;

function showBody(body: Uint8Array | string | undefined): string {
  if (body === undefined) return '';
  const bytes = Buffer.from(body);
  const text = bytes.toString('utf8');
  // Bytes that are not text are shown as a JSON string, so that they can be pasted back.
  const control = [...text].some((c) => {
    const code = c.charCodeAt(0);
    return code < 0x09 || (code > 0x0d && code < 0x20);
  });
  const printable = Buffer.from(text, 'utf8').equals(bytes) && !control;
  const shown = printable ? text : JSON.stringify(bytes.toString('latin1'));
  return shown.length > SHOWN_BODY ? `${shown.slice(0, SHOWN_BODY)}... (${bytes.length} bytes)` : shown;
}

export function describeExchange(req: FuzzRequest, res?: FuzzResponse): string {
  const headers = Object.entries(req.headers ?? {}).map(
    ([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`,
  );
  const lines = [`${req.method} ${req.path}`, ...headers];
  const body = showBody(req.body);
  if (body) lines.push('', body);
  if (res) {
    lines.push(
      '',
      res.status === 0
        ? `-> no answer (${res.transportError})`
        : `-> ${res.status} ${res.headers['content-type'] ?? ''} ${showBody(res.body)}`,
    );
  }
  return lines.join('\n');
}

function jsonOf(res: FuzzResponse): unknown {
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/json'))
    throw new Error(`content-type is "${type}", not application/json`);
  return JSON.parse(res.body.toString('utf8'));
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** Why a 4xx body is not FastAPI-shaped, or null when it is. */
export function errorShapeProblem(status: number, res: FuzzResponse): string | null {
  let body: unknown;
  try {
    body = jsonOf(res);
  } catch (error) {
    return `the error body is not JSON: ${(error as Error).message}`;
  }
  if (typeof body !== 'object' || body === null || !('detail' in body))
    return 'the error body has no "detail"';
  const { detail } = body as { detail: unknown };
  if (status === 422) {
    if (!Array.isArray(detail) || detail.length === 0) return '422 "detail" is not a non-empty array';
    for (const item of detail as unknown[]) {
      const { loc, msg, type } = (item ?? {}) as { loc?: unknown; msg?: unknown; type?: unknown };
      if (!Array.isArray(loc) || !loc.every((p) => isString(p) || typeof p === 'number')) {
        return `422 item has no loc array of strings and numbers: ${JSON.stringify(item)}`;
      }
      if (!isString(msg) || !isString(type)) return `422 item lacks msg or type: ${JSON.stringify(item)}`;
    }
  } else if (!isString(detail)) {
    return `${status} "detail" is not a string`;
  }
  return null;
}

const LEAKS = /\n\s+at |node_modules|\.[jt]s:\d+:\d+/;

/** Why a 2xx does not carry what the route promises, or null when it does. */
function successProblem(answer: Answer, res: FuzzResponse): string | null {
  if (answer === 'empty')
    return res.status === 204 && res.body.length === 0 ? null : 'expected 204 with no body';
  // A 204 has no body by definition, whatever the route answers otherwise.
  if (answer !== 'json' || (res.status === 204 && res.body.length === 0)) return null;
  try {
    jsonOf(res);
    return null;
  } catch (error) {
    return `the 2xx body is not JSON: ${(error as Error).message}`;
  }
}

export interface Verdict {
  ok: boolean;
  problem?: string;
}

/**
 * The contract every answer keeps: no 5xx, no hang; a 4xx is FastAPI-shaped and never
 * shows a stack; a 2xx carries JSON where the route returns JSON.
 */
export function judge(method: string, answer: Answer, res: FuzzResponse): Verdict {
  if (res.status === 0) return { ok: false, problem: `no answer: ${res.transportError}` };
  if (res.status >= 500) return { ok: false, problem: `${res.status} server error` };
  const text = res.body.toString('utf8');
  if (LEAKS.test(text)) return { ok: false, problem: 'the answer shows a stack trace or source path' };
  // HEAD carries no body; OPTIONS is answered by Express itself with the allowed methods.
  if (method === 'HEAD' || method === 'OPTIONS') return { ok: true };
  if (res.status >= 400) {
    const problem = errorShapeProblem(res.status, res);
    return problem ? { ok: false, problem } : { ok: true };
  }
  if (res.status >= 200 && res.status < 300) {
    const problem = successProblem(answer, res);
    return problem ? { ok: false, problem } : { ok: true };
  }
  return { ok: true };
}
