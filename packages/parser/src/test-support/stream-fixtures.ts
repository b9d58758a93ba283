import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { deflatedZeros, onePageObjects } from '@classifyd/testkit';
import { rc4 } from '../pdf-check/pdf-decrypt.js';

/**
 * PDFs with binary streams (testkit's handMadePdf writes text only): decompression bombs
 * in their various disguises, and encryption with the empty user password, as files are
 * that have only an owner password.
 */

/** An object body, or a stream: its dictionary entries (without `<< >>` and /Length) and its data. */
export type PdfObjectSpec = string | { dict: string; data: Uint8Array };

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** A PDF of `objects`, numbered from 1; object 1 must be the catalog. */
export function binaryPdf(objects: readonly PdfObjectSpec[], trailerExtra = ''): Uint8Array {
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(out.length);
    const body =
      typeof object === 'string'
        ? object
        : `<< ${object.dict} /Length ${object.data.length} >>\nstream\n${latin1(object.data)}\nendstream`;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

/** A zlib stream (FlateDecode data) of `mebibytes` MiB of zeros, about 1 KB per MiB. */
export function flateZeros(mebibytes: number): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from([0x78, 0x9c]), deflatedZeros(mebibytes)]));
}

/** The objects of a one-page document reading `text`, its content stream replaced by `content`. */
export function onePageWithContent(
  content: { dict: string; data: Uint8Array },
  text = 'unused',
): PdfObjectSpec[] {
  const objects: PdfObjectSpec[] = onePageObjects(text);
  objects[3] = content;
  return objects;
}

/** A one-page PDF whose content stream inflates to `mebibytes` MiB of zeros (zeros are blanks to pdf.js). */
export function flateBombPdf(mebibytes: number): Uint8Array {
  return binaryPdf(onePageWithContent({ dict: '/Filter /FlateDecode', data: flateZeros(mebibytes) }));
}

/** A one-page PDF whose content stream is `text` drawn in Helvetica, deflated. */
export function deflatedTextPdf(text: string): Uint8Array {
  const content = Buffer.from(`BT /F1 12 Tf 72 700 Td (${text}) Tj ET`);
  return binaryPdf(onePageWithContent({ dict: '/Filter /FlateDecode', data: zlib(content) }));
}

export function zlib(data: Uint8Array): Uint8Array {
  return new Uint8Array(deflateSync(data));
}

export type Encryption = 'RC4' | 'AESV2' | 'AESV3';

const PADDING = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
const md5 = (...parts: Uint8Array[]) => {
  const h = createHash('md5');
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
};

function aesEncrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array, pad: boolean): Uint8Array {
  const cipher = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv);
  cipher.setAutoPadding(pad);
  return new Uint8Array(Buffer.concat([cipher.update(data), cipher.final()]));
}

function objectKey(fileKey: Uint8Array, num: number, aes: boolean): Uint8Array {
  const salt = aes ? Buffer.from('sAlT') : Buffer.alloc(0);
  return md5(fileKey, Uint8Array.from([num, num >> 8, num >> 16, 0, 0]), salt).subarray(
    0,
    Math.min(fileKey.length + 5, 16),
  );
}

/** Algorithm 2.B of ISO 32000-2 for the empty password, as an independent writer computes it. */
function revisionSixHash(salt: Uint8Array): Uint8Array {
  let k = new Uint8Array(createHash('sha256').update(salt).digest());
  let e: Uint8Array = new Uint8Array([0]);
  for (let round = 0; round < 64 || (e.at(-1) as number) > round - 32; round++) {
    const k1 = new Uint8Array(k.length * 64);
    for (let i = 0; i < 64; i++) k1.set(k, i * k.length);
    e = aesEncrypt(k.subarray(0, 16), k1, k.subarray(16, 32), false);
    const algorithm = ['sha256', 'sha384', 'sha512'][
      e.subarray(0, 16).reduce((a, b) => a + b, 0) % 3
    ] as string;
    k = new Uint8Array(createHash(algorithm).update(e).digest());
  }
  return k.subarray(0, 32);
}

/**
 * `objects` as an encrypted PDF that opens without a password: every stream is encrypted
 * with the key of the empty user password, the way Acrobat writes a file that has only an
 * owner password. Objects must hold no strings outside streams.
 */
export function encryptedBinaryPdf(objects: readonly PdfObjectSpec[], method: Encryption): Uint8Array {
  const fileId = randomBytes(16);
  const o = randomBytes(method === 'AESV3' ? 48 : 32);
  const p = -3904;
  let fileKey: Uint8Array;
  let encryptDict: string;
  const hex = (bytes: Uint8Array) => `<${Buffer.from(bytes).toString('hex')}>`;
  if (method === 'AESV3') {
    fileKey = randomBytes(32);
    const validationSalt = randomBytes(8);
    const keySalt = randomBytes(8);
    const u = Buffer.concat([revisionSixHash(validationSalt), validationSalt, keySalt]);
    const ue = aesEncrypt(revisionSixHash(keySalt), fileKey, new Uint8Array(16), false);
    encryptDict = `<< /Filter /Standard /V 5 /R 6 /Length 256 /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF /O ${hex(o)} /U ${hex(u)} /OE ${hex(randomBytes(32))} /UE ${hex(ue)} /Perms ${hex(randomBytes(16))} /P ${p} >>`;
  } else {
    const r = method === 'RC4' ? 3 : 4;
    const pBytes = Buffer.alloc(4);
    pBytes.writeInt32LE(p);
    let digest = md5(PADDING, o, pBytes, fileId);
    for (let i = 0; i < 50; i++) digest = md5(digest.subarray(0, 16));
    fileKey = digest.subarray(0, 16);
    let check = rc4(fileKey, md5(PADDING, fileId));
    for (let i = 1; i <= 19; i++)
      check = rc4(
        fileKey.map((byte) => byte ^ i),
        check,
      );
    const u = Buffer.concat([check, randomBytes(16)]);
    const filters =
      method === 'AESV2'
        ? '/CF << /StdCF << /CFM /AESV2 /AuthEvent /DocOpen /Length 16 >> >> /StmF /StdCF /StrF /StdCF'
        : '';
    encryptDict = `<< /Filter /Standard /V ${method === 'RC4' ? 2 : 4} /R ${r} /Length 128 ${filters} /O ${hex(o)} /U ${hex(u)} /P ${p} >>`;
  }
  const encrypted = objects.map((object, i): PdfObjectSpec => {
    if (typeof object === 'string') return object;
    if (method === 'RC4')
      return { dict: object.dict, data: rc4(objectKey(fileKey, i + 1, false), object.data) };
    const key = method === 'AESV3' ? fileKey : objectKey(fileKey, i + 1, true);
    const iv = randomBytes(16);
    return { dict: object.dict, data: Buffer.concat([iv, aesEncrypt(key, object.data, iv, true)]) };
  });
  const encryptNumber = encrypted.length + 1;
  return binaryPdf(
    [...encrypted, encryptDict],
    `/Encrypt ${encryptNumber} 0 R /ID [${hex(fileId)} ${hex(fileId)}]`,
  );
}

/**
 * LZWDecode data for `data` (EarlyChange 1, never clearing the table), the encoder PDF
 * writers used before Flate. Runs of one byte grow one longer with each code, up to about
 * 3,800 bytes a code once the table is full.
 */
export function lzw(data: Uint8Array): Uint8Array {
  // Entries keyed by (prefix code, next byte), so that extending a run costs one lookup.
  const table = new Map<number, number>();
  let next = 258;
  let width = 9;
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  const emit = (code: number) => {
    buffer = (buffer << width) | code;
    bits += width;
    while (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  };
  let current = -1;
  for (const byte of data) {
    if (current < 0) {
      current = byte;
      continue;
    }
    const known = table.get(current * 256 + byte);
    if (known !== undefined) {
      current = known;
      continue;
    }
    emit(current);
    if (next < 4096) {
      table.set(current * 256 + byte, next++);
      // The decoder widens its codes one code early (EarlyChange 1).
      if (next + 1 > 1 << width && width < 12) width++;
    }
    current = byte;
  }
  if (current >= 0) emit(current);
  emit(257);
  if (bits > 0) out.push((buffer << (8 - bits)) & 0xff);
  return Uint8Array.from(out);
}

/** ASCII85Decode data for `data`: five characters for four bytes, a short last group, then `~>`. */
export function ascii85(data: Uint8Array): Uint8Array {
  let out = '';
  for (let i = 0; i < data.length; i += 4) {
    const group = data.subarray(i, i + 4);
    let value = 0;
    for (let j = 0; j < 4; j++) value = value * 256 + (group[j] ?? 0);
    const chars: string[] = [];
    for (let k = 0; k < 5; k++) {
      chars.unshift(String.fromCharCode(33 + (value % 85)));
      value = Math.floor(value / 85);
    }
    out += chars.slice(0, group.length + 1).join('');
  }
  return new Uint8Array(Buffer.from(`${out}~>`));
}
