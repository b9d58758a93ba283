/**
 * Bytes to a JavaScript string for the text-like formats. Real uploads are mostly UTF-8,
 * but e-mails and older exports are often ISO-8859-1 / windows-1252, which is not valid
 * UTF-8; decoding those as UTF-8 would scatter U+FFFD through the text.
 */

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

/** The encoding a byte-order mark announces, if any. */
export function bomEncoding(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' | null {
  if (startsWith(bytes, UTF8_BOM)) return 'utf-8';
  if (startsWith(bytes, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(bytes, [0xfe, 0xff])) return 'utf-16be';
  return null;
}

/**
 * windows-1252's characters for bytes 0x80-0x9F (euro sign, curly quotes, dashes), where
 * ISO-8859-1 has control codes. The five unassigned bytes keep their code points.
 */
const WINDOWS_1252_80_TO_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/**
 * Node 20's TextDecoder accepts the label "windows-1252" but decodes ISO-8859-1, losing
 * the euro sign and the curly quotes of every Windows e-mail; map that range ourselves.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('latin1')
    .decode(bytes)
    .replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_80_TO_9F[c.charCodeAt(0) - 0x80] ?? c);
}

function decodeUtf8OrWindows1252(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // windows-1252 is a superset of the printable ISO-8859-1 range, so it reads both.
    return decodeWindows1252(bytes);
  }
}

function decoderFor(label: string) {
  try {
    return new TextDecoder(label);
  } catch {
    // An unknown label is a broken declaration; the caller falls back to sniffing.
    return null;
  }
}

/**
 * Decode `bytes`, honouring a byte-order mark first, then a charset the document itself
 * declares (HTML `<meta charset>`), then UTF-8 with a windows-1252 fallback. A byte-order
 * mark never reaches the result.
 */
export function decodeText(bytes: Uint8Array, declaredCharset?: string | null): string {
  const bom = bomEncoding(bytes);
  if (bom === 'utf-16le' || bom === 'utf-16be') return new TextDecoder(bom).decode(bytes);
  if (bom === null && declaredCharset) {
    const decoder = decoderFor(declaredCharset);
    // WHATWG maps "iso-8859-1", "latin1" and "us-ascii" to windows-1252 as well.
    if (decoder?.encoding === 'windows-1252') return decodeWindows1252(bytes);
    if (decoder && decoder.encoding !== 'utf-8') return decoder.decode(bytes);
  }
  return decodeUtf8OrWindows1252(bom === 'utf-8' ? bytes.subarray(UTF8_BOM.length) : bytes);
}

/**
 * True when a decoded string reads as text rather than binary data: no NUL characters and
 * almost no other control characters. Random bytes decoded as windows-1252 carry about
 * 11 % control characters; real text, even logs with ANSI colour codes, carries far less.
 */
export function looksLikeText(text: string): boolean {
  if (text.length === 0) return true;
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return false;
    const isC0 =
      code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0b && code !== 0x0c && code !== 0x0d;
    const isC1 = code >= 0x7f && code <= 0x9f;
    if (isC0 || isC1 || code === 0xfffd) controls++;
  }
  return controls / text.length < 0.05;
}

/**
 * At most `maxBytes` from the start of `bytes`, cut on a character boundary so that a
 * UTF-8 or UTF-16 sample stays valid and sniffing sees the same encoding as the whole.
 */
export function leadingSample(bytes: Uint8Array, maxBytes: number): Uint8Array {
  if (bytes.length <= maxBytes) return bytes;
  const bom = bomEncoding(bytes);
  if (bom === 'utf-16le' || bom === 'utf-16be') return bytes.subarray(0, maxBytes - (maxBytes % 2));
  let end = maxBytes;
  // Step back over UTF-8 continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > maxBytes - 4 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}
