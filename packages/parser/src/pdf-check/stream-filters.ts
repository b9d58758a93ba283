import { brotliDecompressSync, constants, inflateRawSync } from 'node:zlib';
import { decodeHexDigits, type PdfDict, PdfName } from './pdf-syntax.js';

/**
 * PDF's stream filters, decoded up to a limit on their output. Each decoder produces what
 * pdf.js's would from the same bytes, or more, never less: truncated data is decoded as far
 * as it goes, like pdf.js does, and data pdf.js might read differently is reported as
 * Undecodable rather than guessed at.
 */

export interface FilterStep {
  name: string;
  /** Its /DecodeParms, with references already resolved. */
  params: PdfDict | null;
}

/** The output passed the limit it was given. */
export class OverLimit extends Error {
  constructor() {
    super('the stream unpacks past its limit');
    this.name = 'OverLimit';
  }
}

/** The data is damaged where pdf.js's more lenient decoder might go on and produce anything. */
export class Undecodable extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'Undecodable';
  }
}

/** Image encodings whose output pdf.js sizes from the image's dimensions, not from the data. */
export type ImageCodec = 'DCT' | 'JPX' | 'JBIG2' | 'CCITT';

export type Decoded = { bytes: Uint8Array; codec: null } | { bytes: Uint8Array; codec: ImageCodec };

const IMAGE_CODECS: Readonly<Record<string, ImageCodec>> = {
  DCT: 'DCT',
  DCTDecode: 'DCT',
  JPX: 'JPX',
  JPXDecode: 'JPX',
  JBIG2Decode: 'JBIG2',
  CCF: 'CCITT',
  CCITTFaxDecode: 'CCITT',
};

/**
 * `sizeHint`: the output expected, when known (an image's rows times their width). zlib
 * writes into buffers of this size, and output that spans several is copied once more to
 * join them, which costs more than inflating it.
 */
type Decoder = (data: Uint8Array, limit: number, params: PdfDict | null, sizeHint: number) => Uint8Array;

const DECODERS: Readonly<Record<string, Decoder>> = {
  Fl: flate,
  FlateDecode: flate,
  LZW: lzw,
  LZWDecode: lzw,
  A85: ascii85,
  ASCII85Decode: ascii85,
  AHx: asciiHex,
  ASCIIHexDecode: asciiHex,
  RL: runLength,
  RunLengthDecode: runLength,
  BrotliDecode: brotli,
};

const EMPTY = new Uint8Array(0);

/**
 * Decode `data` through `steps`, stopping at the first image codec (whose input it returns).
 * Throws OverLimit when any stage would produce more than `limit` bytes. A /Crypt step
 * decrypts with `crypt` and the crypt filter it names.
 */
export function decodeSteps(
  data: Uint8Array,
  steps: readonly FilterStep[],
  limit: number,
  crypt: (data: Uint8Array, filter: string) => Uint8Array,
  sizeHint = 0,
): Decoded {
  let bytes = data;
  for (const [i, step] of steps.entries()) {
    const codec = IMAGE_CODECS[step.name];
    if (codec) return { bytes, codec };
    // pdf.js reads a first stage over no data as an empty stream.
    if (bytes.length === 0) return { bytes: EMPTY, codec: null };
    if (step.name === 'Crypt') {
      const name = step.params?.get('Name');
      bytes = crypt(bytes, name instanceof PdfName ? name.name : 'Identity');
      continue;
    }
    const decode = DECODERS[step.name];
    // pdf.js passes the data of a filter it does not know on undecoded.
    if (!decode) continue;
    // The hint is for the last stage's output, which is the one an image's size describes.
    bytes = decode(bytes, limit, step.params, i === steps.length - 1 ? sizeHint : 0);
    if (bytes.length > limit) throw new OverLimit();
    const predicted = predictorOutput(step, bytes.length);
    if (predicted !== null) {
      if (predicted > limit) throw new OverLimit();
      // A predictor only reorders bytes; a stage after one would need its exact output.
      if (i < steps.length - 1) throw new Undecodable('a predictor before another filter');
    }
  }
  return { bytes, codec: null };
}

/** The filters pdf.js applies a /Predictor to. */
const PREDICTED = new Set(['Fl', 'FlateDecode', 'LZW', 'LZWDecode']);

const numberIn = (params: PdfDict, ...keys: string[]) => {
  for (const key of keys) {
    const value = params.get(key);
    if (typeof value === 'number') return value;
  }
  return 0;
};

/**
 * The most a predictor writes from `length` decoded bytes: whole rows, where a last short
 * row is padded to full width, so a huge /Columns would make one byte into gigabytes. Null
 * when the step has no predictor. The arithmetic is pdf.js's, overflow included.
 */
function predictorOutput(step: FilterStep, length: number): number | null {
  if (step.params === null || !PREDICTED.has(step.name)) return null;
  const predictor = numberIn(step.params, 'Predictor') || 1;
  if (predictor <= 1) return null;
  const colors = numberIn(step.params, 'Colors') || 1;
  const bits = numberIn(step.params, 'BPC', 'BitsPerComponent') || 8;
  const columns = numberIn(step.params, 'Columns') || 1;
  const rowBytes = (columns * colors * bits + 7) >> 3;
  if (rowBytes <= 0) return length;
  const perRow = predictor === 2 ? rowBytes : rowBytes + 1;
  return (Math.ceil(length / perRow) + 1) * rowBytes;
}

function zlibCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/**
 * FlateDecode. The two-byte header is checked as pdf.js checks it (a stream it refuses reads
 * as empty); the rest is inflated as raw deflate, so that a wrong checksum at the end, which
 * pdf.js never looks at, is no error, and truncated data gives what it holds.
 */
function flate(data: Uint8Array, limit: number, _params: PdfDict | null, sizeHint: number): Uint8Array {
  const cmf = data[0] ?? -1;
  const flg = data[1] ?? -1;
  if (flg < 0 || (cmf & 0x0f) !== 8 || ((cmf << 8) + flg) % 31 !== 0 || (flg & 0x20) !== 0) return EMPTY;
  if (data.length === 2) return EMPTY;
  try {
    return inflateRawSync(data.subarray(2), {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: Math.max(1, limit),
      chunkSize: outputChunk(data.length, limit, sizeHint),
    });
  } catch (error) {
    if (zlibCode(error) === 'ERR_BUFFER_TOO_LARGE') throw new OverLimit();
    throw new Undecodable(`deflate data: ${(error as Error).message}`);
  }
}

/** zlib's output buffer: the expected size when known, else a few times the input. */
function outputChunk(compressed: number, limit: number, sizeHint: number): number {
  const size = sizeHint > 0 ? sizeHint + 1024 : compressed * 4;
  return Math.max(16 * 1024, Math.min(size, limit + 1, 256 * 1024 * 1024));
}

function brotli(data: Uint8Array, limit: number): Uint8Array {
  try {
    return brotliDecompressSync(data, {
      finishFlush: constants.BROTLI_OPERATION_FLUSH,
      maxOutputLength: Math.max(1, limit),
    });
  } catch (error) {
    if (zlibCode(error) === 'ERR_BUFFER_TOO_LARGE') throw new OverLimit();
    throw new Undecodable(`brotli data: ${(error as Error).message}`);
  }
}

/** Output collected in chunks, refusing to pass its limit. */
class Output {
  private readonly chunks: Uint8Array[] = [];
  private chunk = new Uint8Array(64 * 1024);
  private used = 0;
  length = 0;

  constructor(private readonly limit: number) {}

  push(byte: number): void {
    if (++this.length > this.limit) throw new OverLimit();
    if (this.used === this.chunk.length) {
      this.chunks.push(this.chunk);
      this.chunk = new Uint8Array(this.chunk.length);
      this.used = 0;
    }
    this.chunk[this.used++] = byte;
  }

  bytes(): Uint8Array {
    return Buffer.concat([...this.chunks, this.chunk.subarray(0, this.used)]);
  }
}

/** LZWDecode, step for step as pdf.js decodes it, lenient with codes it has not seen yet. */
function lzw(data: Uint8Array, limit: number, params: PdfDict | null): Uint8Array {
  const early = params?.get('EarlyChange');
  const earlyChange = typeof early === 'number' ? early : 1;
  const out = new Output(limit);
  const values = new Uint8Array(4096);
  const lengths = new Uint16Array(4096);
  const previous = new Uint16Array(4096);
  const sequence = new Uint8Array(4096);
  for (let i = 0; i < 256; i++) {
    values[i] = i;
    lengths[i] = 1;
  }
  let nextCode = 258;
  let codeLength = 9;
  let prevCode = 0;
  let length = 0;
  let pos = 0;
  let cached = 0;
  let bitsCached = 0;
  for (;;) {
    while (bitsCached < codeLength && pos < data.length) {
      cached = ((cached << 8) | (data[pos++] as number)) >>> 0;
      bitsCached += 8;
    }
    if (bitsCached < codeLength) break;
    bitsCached -= codeLength;
    const code = (cached >>> bitsCached) & ((1 << codeLength) - 1);
    const hadSequence = length > 0;
    if (code < 256) {
      sequence[0] = code;
      length = 1;
    } else if (code >= 258) {
      if (code < nextCode) {
        length = lengths[code] as number;
        for (let j = length - 1, c = code; j >= 0; j--) {
          sequence[j] = values[c] as number;
          c = previous[c] as number;
        }
      } else {
        sequence[length++] = sequence[0] as number;
      }
    } else if (code === 256) {
      codeLength = 9;
      nextCode = 258;
      length = 0;
      continue;
    } else {
      break;
    }
    if (hadSequence) {
      previous[nextCode] = prevCode;
      lengths[nextCode] = (lengths[prevCode] as number) + 1;
      values[nextCode] = sequence[0] as number;
      nextCode++;
      const next = nextCode + earlyChange;
      codeLength = next & (next - 1) ? codeLength : Math.min(Math.log(next) / Math.LN2 + 1, 12) | 0;
    }
    prevCode = code;
    for (let j = 0; j < length; j++) out.push(sequence[j] ?? 0);
  }
  return out.bytes();
}

const isAsciiSpace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a;

/** ASCII85Decode as pdf.js reads it: `z` is four zero bytes, `~` ends the data. */
function ascii85(data: Uint8Array, limit: number): Uint8Array {
  const out = new Output(limit);
  let pos = 0;
  const next = () => {
    let byte = data[pos++] ?? -1;
    while (byte >= 0 && isAsciiSpace(byte)) byte = data[pos++] ?? -1;
    return byte;
  };
  for (;;) {
    const first = next();
    if (first < 0 || first === 0x7e) break;
    if (first === 0x7a) {
      for (let i = 0; i < 4; i++) out.push(0);
      continue;
    }
    const group = [first];
    while (group.length < 5) {
      const byte = next();
      if (byte < 0 || byte === 0x7e) break;
      group.push(byte);
    }
    const count = group.length;
    while (group.length < 5) group.push(0x75);
    let value = 0;
    for (const byte of group) value = value * 85 + (byte - 33);
    for (let i = 0; i < count - 1; i++) out.push((value >>> (24 - 8 * i)) & 0xff);
    if (count < 5) break;
  }
  return out.bytes();
}

function asciiHex(data: Uint8Array, limit: number): Uint8Array {
  const out = new Output(limit);
  decodeHexDigits(data, 0, (byte) => out.push(byte));
  return out.bytes();
}

function runLength(data: Uint8Array, limit: number): Uint8Array {
  const out = new Output(limit);
  let pos = 0;
  while (pos + 1 < data.length && data[pos] !== 128) {
    const count = data[pos] as number;
    if (count < 128) {
      const end = Math.min(data.length, pos + 2 + count);
      for (let i = pos + 1; i < end; i++) out.push(data[i] as number);
      pos = end;
    } else {
      const value = data[pos + 1] as number;
      for (let i = 0; i < 257 - count; i++) out.push(value);
      pos += 2;
    }
  }
  return out.bytes();
}
