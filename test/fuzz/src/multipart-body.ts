/** One part of a multipart/form-data body, as the fuzzer describes it. */
export interface Part {
  name: string;
  /** A file part: `filename="..."` (`plain`) or RFC 5987 `filename*=UTF-8''...` (`star`). */
  filename?: { value: string; form: 'plain' | 'star' };
  contentType?: string;
  /** More header lines, as written. */
  extraHeaders?: string[];
  value: string | Uint8Array;
}

/** How the body ends: well formed, or cut short in one of the ways a client or proxy cuts it. */
export type Ending =
  | 'complete'
  | 'no-closing-boundary'
  | 'cut-in-headers'
  | 'cut-in-value'
  | 'no-final-newline'
  | 'garbage-after';

export interface MultipartBody {
  boundary: string;
  parts: Part[];
  ending: Ending;
  preamble?: string;
  /** `\n` instead of `\r\n` between lines. */
  bareNewlines?: boolean;
}

/** UTF-8 cannot carry a lone surrogate; it goes out as U+FFFD, as a browser would send it. */
export const wellFormed = (value: string): string =>
  value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

const quoted = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

function dispositionOf(part: Part): string {
  let header = `Content-Disposition: form-data; name="${quoted(part.name)}"`;
  if (part.filename?.form === 'plain') header += `; filename="${quoted(part.filename.value)}"`;
  if (part.filename?.form === 'star') {
    header += `; filename*=UTF-8''${encodeURIComponent(wellFormed(part.filename.value))}`;
  }
  return header;
}

/** The bytes of the body; header text goes out as UTF-8, as browsers and the SDK send it. */
export function encodeMultipart(body: MultipartBody): Buffer {
  const nl = body.bareNewlines ? '\n' : '\r\n';
  const chunks: Buffer[] = [];
  const text = (s: string) => chunks.push(Buffer.from(s, 'utf8'));
  if (body.preamble !== undefined) text(`${body.preamble}${nl}`);
  body.parts.forEach((part, index) => {
    const last = index === body.parts.length - 1;
    text(`--${body.boundary}${nl}`);
    const headers = [dispositionOf(part)];
    if (part.contentType !== undefined) headers.push(`Content-Type: ${part.contentType}`);
    headers.push(...(part.extraHeaders ?? []));
    const head = `${headers.join(nl)}${nl}${nl}`;
    if (last && body.ending === 'cut-in-headers') {
      text(head.slice(0, Math.max(1, Math.floor(head.length / 2))));
      return;
    }
    text(head);
    const value = typeof part.value === 'string' ? Buffer.from(part.value, 'utf8') : Buffer.from(part.value);
    if (last && body.ending === 'cut-in-value') {
      chunks.push(value.subarray(0, Math.floor(value.length / 2)));
      return;
    }
    chunks.push(value);
    text(nl);
  });
  if (body.ending === 'complete' || body.ending === 'garbage-after') text(`--${body.boundary}--${nl}`);
  if (body.ending === 'no-final-newline') text(`--${body.boundary}--`);
  if (body.ending === 'garbage-after') text(`--${body.boundary}${nl}garbage`);
  return Buffer.concat(chunks);
}

export function multipartContentType(boundary: string): string {
  return `multipart/form-data; boundary=${boundary}`;
}
