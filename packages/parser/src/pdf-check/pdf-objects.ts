import { latin1, nameOf, PdfDict, PdfKeyword, PdfReader, PdfRef, type PdfValue } from './pdf-syntax.js';

/** A stream as it is written in the file: `N G obj << dict >> stream`, then its data. */
export interface StreamObject {
  num: number;
  gen: number;
  dict: PdfDict;
  /** Where pdf.js starts the data: after the end of line that follows `stream`. */
  dataStart: number;
}

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITER = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
/** A token ends (or starts) here: at the edge of the file, or beside whitespace or a delimiter. */
const boundary = (byte: number | undefined) => byte === undefined || WHITE.has(byte) || DELIMITER.has(byte);
const isDigit = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x39;

/**
 * Where `word` stands alone as a token, as pdf.js's lexer would read it, in file order. A
 * byte search: the file is never turned into a string, which for a large PDF would take as
 * much of the document thread's heap as the file itself.
 */
function* keywords(bytes: Uint8Array, word: string): Generator<number> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = buffer.indexOf(word); at >= 0; at = buffer.indexOf(word, at + word.length)) {
    if (boundary(bytes[at - 1]) && boundary(bytes[at + word.length])) yield at;
  }
}

/** The `N G` before an `obj` keyword at `at`, if its tokens are there. */
function headerBefore(bytes: Uint8Array, at: number): { num: number; gen: number } | null {
  let pos = at - 1;
  const skipWhite = () => {
    const start = pos;
    while (pos >= 0 && WHITE.has(bytes[pos] as number)) pos--;
    return pos < start;
  };
  const number = () => {
    const end = pos + 1;
    while (isDigit(bytes[pos])) pos--;
    return pos + 1 < end ? Number(latin1(bytes.subarray(pos + 1, end))) : null;
  };
  if (!skipWhite()) return null;
  const gen = number();
  if (gen === null || !skipWhite()) return null;
  const num = number();
  if (num === null || !boundary(bytes[pos])) return null;
  return { num, gen };
}

/** Chains of references are followed this far, so that a loop cannot hang the check. */
const MAX_REF_HOPS = 8;

interface Header {
  num: number;
  gen: number;
  /** Just after `obj`. */
  body: number;
}

/**
 * Every object of a PDF found by reading the file from end to end, not through its
 * cross-reference table: pdf.js falls back to the same search when the table is damaged,
 * so an object the table hides can still be read. Where an object number is defined more
 * than once (incremental updates), every definition is kept. Only stream dictionaries are
 * read up front; other objects when something refers to them.
 */
export class PdfObjects {
  readonly streams: StreamObject[] = [];
  private readonly headers: Header[] = [];
  private readonly plain = new Map<number, Header[]>();
  private readonly parsed = new Map<Header, PdfValue | null>();
  private readonly packed = new Map<number, PdfValue[]>();
  private readonly trailerAt = new Map<number, PdfDict>();
  /** The same bytes, for Buffer's native search. */
  private readonly buffer: Buffer;

  private constructor(readonly bytes: Uint8Array) {
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  static read(bytes: Uint8Array): PdfObjects {
    const objects = new PdfObjects(bytes);
    for (const at of keywords(bytes, 'obj')) {
      const found = headerBefore(bytes, at);
      if (!found) continue;
      const header = { ...found, body: at + 'obj'.length };
      objects.headers.push(header);
      const known = objects.plain.get(header.num);
      if (known) known.push(header);
      else objects.plain.set(header.num, [header]);
    }
    for (const at of keywords(bytes, 'stream')) objects.readStream(at);
    for (const at of keywords(bytes, 'trailer')) {
      const value = new PdfReader(bytes, at + 'trailer'.length).value();
      if (value instanceof PdfDict) objects.trailerAt.set(at, value);
    }
    return objects;
  }

  /** Trailer dictionaries, and those of cross-reference streams, in file order. */
  get trailers(): PdfDict[] {
    return [...this.trailerAt.entries()].sort(([a], [b]) => a - b).map(([, dict]) => dict);
  }

  /** The objects an object stream holds, once its data is decoded (they can be referred to like any other). */
  addObjectStream(dict: PdfDict, data: Uint8Array): void {
    const count = this.resolve(dict.get('N'));
    const first = this.resolve(dict.get('First'));
    if (typeof count !== 'number' || typeof first !== 'number') return;
    const reader = new PdfReader(data, 0);
    const offsets: [number, number][] = [];
    for (let i = 0; i < count; i++) {
      const num = reader.value();
      const offset = reader.value();
      if (typeof num !== 'number' || typeof offset !== 'number') break;
      offsets.push([num, offset]);
    }
    for (const [num, offset] of offsets) {
      const value = new PdfReader(data, first + offset).value();
      if (value === undefined || value instanceof PdfKeyword) continue;
      const known = this.packed.get(num);
      if (known) known.push(value);
      else this.packed.set(num, [value]);
    }
  }

  /** The value a reference points to (its last definition), followed through chains of references. */
  resolve(value: PdfValue | undefined): PdfValue | undefined {
    let current = value;
    for (let hop = 0; hop < MAX_REF_HOPS && current instanceof PdfRef; hop++) {
      current = this.definitions(current.num).at(-1);
    }
    return current instanceof PdfRef ? undefined : current;
  }

  /** Every value a reference may point to: all its definitions. */
  resolveAll(value: PdfValue | undefined): PdfValue[] {
    if (!(value instanceof PdfRef)) return value === undefined ? [] : [value];
    return this.definitions(value.num).map((defined) => this.resolve(defined) ?? null);
  }

  /** The definitions of object `num`: those written in the file in file order, then those in object streams. */
  private definitions(num: number): PdfValue[] {
    const values: PdfValue[] = [];
    for (const header of this.plain.get(num) ?? []) {
      let value = this.parsed.get(header);
      if (value === undefined) {
        const read = new PdfReader(this.bytes, header.body).value();
        value = read === undefined || read instanceof PdfKeyword ? null : read;
        this.parsed.set(header, value);
      }
      if (value !== null) values.push(value);
    }
    return values.concat(this.packed.get(num) ?? []);
  }

  /**
   * Where the data of `stream` may end, nearest first: pdf.js takes /Length when `endstream`
   * follows it (and /Length may be a reference with several definitions), else the first
   * `endstream`. Empty when it finds no end and refuses the stream. Checking up to the last
   * covers whatever pdf.js reads.
   */
  dataEnds(stream: StreamObject): number[] {
    const ends: number[] = [];
    for (const length of this.resolveAll(stream.dict.get('Length'))) {
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) continue;
      const end = stream.dataStart + length;
      if (end <= this.bytes.length && new PdfReader(this.bytes, end).peekKeyword() === 'endstream') {
        ends.push(end);
      }
    }
    const searched = this.searchEndstream(stream.dataStart);
    if (searched >= 0) ends.push(searched);
    return ends.sort((a, b) => a - b);
  }

  /** The stream whose `stream` keyword is at `keyword`, if the object around it is one. */
  private readStream(keyword: number): void {
    const header = this.headerBefore(keyword);
    if (!header) return;
    const reader = new PdfReader(this.bytes, header.body);
    const dict = reader.value();
    if (!(dict instanceof PdfDict)) return;
    reader.skipSpace();
    if (reader.pos !== keyword) return;
    this.parsed.set(header, dict);
    this.streams.push({
      num: header.num,
      gen: header.gen,
      dict,
      dataStart: this.lineAfter(keyword + 'stream'.length),
    });
    // A cross-reference stream's dictionary is the trailer of its section.
    if (nameOf(dict.get('Type')) === 'XRef') this.trailerAt.set(keyword, dict);
  }

  /** The last object header before `pos`. */
  private headerBefore(pos: number): Header | undefined {
    let low = 0;
    let high = this.headers.length - 1;
    let found: Header | undefined;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const header = this.headers[middle] as Header;
      if (header.body <= pos) {
        found = header;
        low = middle + 1;
      } else high = middle - 1;
    }
    return found;
  }

  /** pdf.js's `skipToNextLine`: past the next CR, LF or CRLF, whatever precedes it. */
  private lineAfter(pos: number): number {
    const { bytes } = this;
    let at = pos;
    while (at < bytes.length) {
      const byte = bytes[at++];
      if (byte === 0x0d) return bytes[at] === 0x0a ? at + 1 : at;
      if (byte === 0x0a) return at;
    }
    return at;
  }

  /**
   * pdf.js's search for the end of a stream whose /Length does not hold: the first `end`
   * followed by `stream`, or by `steam` or `strea` and a space (common misspellings).
   * Like pdf.js it never starts a match in the last nine bytes of the file.
   */
  private searchEndstream(start: number): number {
    const { bytes } = this;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (
      let at = text.indexOf('end', start);
      at >= 0 && at < bytes.length - 9;
      at = text.indexOf('end', at + 1)
    ) {
      for (const signature of ENDSTREAM_SIGNATURES) {
        let matched = 0;
        while (matched < signature.length && bytes[at + 3 + matched] === signature[matched]) matched++;
        if (matched >= 6) return at;
        if (matched >= signature.length) {
          if (isLineSpace(bytes[at + 3 + matched])) return at;
          break;
        }
      }
    }
    return -1;
  }
}

const ENDSTREAM_SIGNATURES = ['stream', 'steam', 'strea'].map((word) =>
  Array.from(word, (c) => c.charCodeAt(0)),
);

/** pdf.js's `isWhiteSpace`, narrower than the lexer's whitespace. */
const isLineSpace = (byte: number | undefined) =>
  byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a;
