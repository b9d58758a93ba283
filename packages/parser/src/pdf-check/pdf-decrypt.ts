import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { nameOf, PdfDict, PdfString, type PdfValue } from './pdf-syntax.js';

/**
 * Stream decryption of the PDF standard security handler, as pdf.js applies it when it
 * opens a file without a password: only the empty user password is tried. Files that need
 * a real password are never decoded by pdf.js, so they need no checking here; files that
 * open without one (an owner password only, the common case) have every stream encrypted,
 * and a compressed stream can only be measured once decrypted.
 */

export interface StreamDecryption {
  /**
   * The plain bytes of a stream of object `num` `gen`, through the crypt filter pdf.js would
   * use: `cryptFilter` when the stream names one with a /Crypt filter, else the document's
   * stream filter (or its embedded-file filter for embedded files).
   */
  decrypt(
    data: Uint8Array,
    num: number,
    gen: number,
    options?: { cryptFilter?: string; embeddedFile?: boolean },
  ): Uint8Array;
  /** Whether the XMP metadata stream is encrypted too. */
  readonly encryptsMetadata: boolean;
}

/** The document is encrypted in a way pdf.js cannot open without a password it is never given. */
export const NEEDS_PASSWORD = 'needs_password';

const PASSWORD_PADDING = Uint8Array.from([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08, 0x2e, 0x2e,
  0x00, 0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c, 0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
]);

const md5 = (...parts: Uint8Array[]) => hash('md5', ...parts);

function hash(algorithm: string, ...parts: Uint8Array[]): Uint8Array {
  const h = createHash(algorithm);
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
}

/** RC4: one function for both ways. OpenSSL 3 leaves it out of its default provider. */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + (s[i] as number) + (key[i % key.length] as number)) & 0xff;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + (s[i] as number)) & 0xff;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
    out[n] = (data[n] as number) ^ (s[((s[i] as number) + (s[j] as number)) & 0xff] as number);
  }
  return out;
}

/**
 * AES-CBC as pdf.js decrypts: the IV is the first block unless given, a partial last block
 * is dropped, and padding is removed only from a stream (`iv` not given).
 */
export function aesCbcDecrypt(key: Uint8Array, data: Uint8Array, iv?: Uint8Array): Uint8Array {
  const start = iv ? 0 : 16;
  if (data.length < start + 16) return new Uint8Array(0);
  const body = data.subarray(start, start + Math.floor((data.length - start) / 16) * 16);
  const decipher = createDecipheriv(`aes-${key.length * 8}-cbc`, key, iv ?? data.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
  if (iv) return plain;
  const pad = plain[plain.length - 1] ?? 0;
  const padded = pad >= 1 && pad <= 16 && plain.subarray(plain.length - pad).every((byte) => byte === pad);
  return padded ? plain.subarray(0, plain.length - pad) : plain;
}

function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const cipher = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv);
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(data), cipher.final()]));
}

const bytesOf = (value: PdfValue | undefined) =>
  value instanceof PdfString ? value.bytes : new Uint8Array(0);
const same = (a: Uint8Array, b: Uint8Array, length: number) =>
  a.length >= length && b.length >= length && a.subarray(0, length).every((byte, i) => byte === b[i]);

function int32le(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, value | 0, true);
  return out;
}

interface RevisionFour {
  o: Uint8Array;
  u: Uint8Array;
  p: number;
  r: number;
  keyBits: number;
  fileId: Uint8Array;
  encryptMetadata: boolean;
}

/** Algorithms 2 and 6 of ISO 32000 with the empty password: the file key, or null when it is not the user password. */
function keyFromEmptyPassword({
  o,
  u,
  p,
  r,
  keyBits,
  fileId,
  encryptMetadata,
}: RevisionFour): Uint8Array | null {
  const length = keyBits >> 3;
  const extra = r >= 4 && !encryptMetadata ? Uint8Array.from([0xff, 0xff, 0xff, 0xff]) : new Uint8Array(0);
  let digest = md5(PASSWORD_PADDING, o.subarray(0, 32), int32le(p), fileId, extra);
  if (r >= 3) for (let i = 0; i < 50; i++) digest = md5(digest.subarray(0, length));
  const key = digest.subarray(0, length);
  if (r < 3) return same(rc4(key, PASSWORD_PADDING), u, 32) ? key : null;
  let check = rc4(key, md5(PASSWORD_PADDING, fileId));
  for (let i = 1; i <= 19; i++)
    check = rc4(
      key.map((byte) => byte ^ i),
      check,
    );
  return same(check, u, 16) ? key : null;
}

/** Algorithm 2.B (revision 6) or plain SHA-256 (revision 5), for the empty password. */
function hardenedHash(r: number, salt: Uint8Array): Uint8Array {
  let k = hash('sha256', salt);
  if (r < 6) return k;
  let e: Uint8Array = new Uint8Array([0]);
  for (let round = 0; round < 64 || (e[e.length - 1] as number) > round - 32; round++) {
    const k1 = new Uint8Array(k.length * 64);
    for (let i = 0; i < 64; i++) k1.set(k, i * k.length);
    e = aesCbcEncrypt(k.subarray(0, 16), k.subarray(16, 32), k1);
    const remainder = e.subarray(0, 16).reduce((sum, byte) => sum + byte, 0) % 3;
    k = hash(['sha256', 'sha384', 'sha512'][remainder] as string, e);
  }
  return k.subarray(0, 32);
}

function aes256KeyFromEmptyPassword(r: number, u: Uint8Array, ue: Uint8Array): Uint8Array | null {
  if (u.length < 48 || ue.length < 32) return null;
  if (!same(hardenedHash(r, u.subarray(32, 40)), u, 32)) return null;
  return aesCbcDecrypt(hardenedHash(r, u.subarray(40, 48)), ue.subarray(0, 32), new Uint8Array(16));
}

function objectKey(fileKey: Uint8Array, num: number, gen: number, aes: boolean): Uint8Array {
  const suffix = Uint8Array.from([num, num >> 8, num >> 16, gen, gen >> 8]);
  const salt = aes ? Uint8Array.from([0x73, 0x41, 0x6c, 0x54]) : new Uint8Array(0);
  return md5(fileKey, suffix, salt).subarray(0, Math.min(fileKey.length + 5, 16));
}

/**
 * How pdf.js would decrypt the streams of a document whose trailer holds `encrypt`; null
 * when the dictionary is not one pdf.js acts on, NEEDS_PASSWORD when it cannot open the
 * file without a password.
 */
export function streamDecryption(
  encrypt: PdfValue | undefined,
  fileId: Uint8Array,
  resolve: (value: PdfValue | undefined) => PdfValue | undefined,
): StreamDecryption | typeof NEEDS_PASSWORD | null {
  if (!(encrypt instanceof PdfDict)) return null;
  const get = (key: string) => resolve(encrypt.get(key));
  const v = get('V');
  if (nameOf(get('Filter')) !== 'Standard' || (v !== 1 && v !== 2 && v !== 4 && v !== 5))
    return NEEDS_PASSWORD;
  const cf = get('CF');
  const cryptFilters = cf instanceof PdfDict ? cf : null;
  const stmF = v >= 4 ? (nameOf(get('StmF')) ?? 'Identity') : 'Identity';
  const eff = v >= 4 ? (nameOf(get('EFF')) ?? stmF) : stmF;
  let keyBits = get('Length');
  if (keyBits === undefined || keyBits === 0) {
    const length = resolve((resolve(cryptFilters?.get(stmF)) as PdfDict | undefined)?.get?.('Length'));
    keyBits = v <= 3 ? 40 : typeof length === 'number' && length ? (length < 40 ? length * 8 : length) : 128;
  }
  if (typeof keyBits !== 'number' || !Number.isInteger(keyBits) || keyBits < 40 || keyBits % 8 !== 0) {
    return NEEDS_PASSWORD;
  }
  const r = get('R');
  const encryptMetadata = (v === 4 || v === 5) && get('EncryptMetadata') !== false;
  const u = bytesOf(get('U'));
  let fileKey =
    v === 5
      ? aes256KeyFromEmptyPassword(typeof r === 'number' ? r : 0, u, bytesOf(get('UE')))
      : keyFromEmptyPassword({
          o: bytesOf(get('O')),
          u,
          p: typeof get('P') === 'number' ? (get('P') as number) : 0,
          r: typeof r === 'number' ? r : 0,
          keyBits,
          fileId,
          encryptMetadata,
        });
  if (!fileKey) return NEEDS_PASSWORD;
  if (v === 4 && fileKey.length < 16) {
    const padded = new Uint8Array(16);
    padded.set(fileKey);
    fileKey = padded;
  }
  const key = fileKey;
  const methodOf = (filter: string) => {
    if (v < 4) return 'V2';
    const entry = resolve(cryptFilters?.get(filter));
    return entry instanceof PdfDict ? (nameOf(resolve(entry.get('CFM'))) ?? 'None') : 'None';
  };
  return {
    encryptsMetadata: encryptMetadata,
    decrypt(data, num, gen, options = {}) {
      const filter = options.cryptFilter ?? (options.embeddedFile ? eff : stmF);
      const method = methodOf(filter);
      if (method === 'None') return data;
      if (v === 5 || method === 'AESV3') return aesCbcDecrypt(key, data);
      if (method === 'AESV2') return aesCbcDecrypt(objectKey(key, num, gen, true), data);
      return rc4(objectKey(key, num, gen, false), data);
    },
  };
}
