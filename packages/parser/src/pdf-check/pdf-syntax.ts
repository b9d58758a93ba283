/**
 * Just enough of PDF's object syntax to read stream dictionaries and the objects they
 * point to, with the same leniency as pdf.js's lexer, so that this reads the dictionaries
 * pdf.js reads. Positions are byte offsets into the file.
 */

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

export class PdfString {
  constructor(readonly bytes: Uint8Array) {}
}

export class PdfKeyword {
  constructor(readonly word: string) {}
}

export class PdfDict {
  readonly entries = new Map<string, PdfValue>();
  /** Where each key's name token was written; a key may repeat (the last one counts). */
  readonly keySpans = new Map<string, [number, number][]>();

  get(key: string): PdfValue | undefined {
    return this.entries.get(key);
  }
}

export type PdfValue = number | boolean | null | PdfName | PdfRef | PdfString | PdfDict | PdfValue[];

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITER = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
/** Keywords and numbers are short; a longer run of regular bytes is read by its start only. */
const MAX_WORD = 64;
/** Deeper nesting than this is refused rather than followed, so that no input can overflow the stack. */
const MAX_DEPTH = 64;

export const isWhite = (byte: number | undefined) => byte !== undefined && WHITE.has(byte);
const isRegular = (byte: number | undefined) =>
  byte !== undefined && !WHITE.has(byte) && !DELIMITER.has(byte);

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if ((byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)) return (byte & 0x0f) + 9;
  return -1;
}

/**
 * Decodes hex digits from `start` up to a '>' or the end, skipping anything else, as pdf.js
 * does for hex strings and ASCIIHexDecode; an odd last digit counts as its high half.
 * Returns where it stopped.
 */
export function decodeHexDigits(bytes: Uint8Array, start: number, push: (byte: number) => void): number {
  let pos = start;
  let high = -1;
  while (pos < bytes.length && bytes[pos] !== 0x3e) {
    const digit = hexValue(bytes[pos++] as number);
    if (digit < 0) continue;
    if (high < 0) high = digit;
    else {
      push(high * 16 + digit);
      high = -1;
    }
  }
  if (high >= 0) push(high * 16);
  return pos;
}

type Token =
  | { kind: 'value'; value: number | PdfName | PdfString | boolean | null }
  | { kind: 'open'; bracket: '[' | '<<' }
  | { kind: 'close'; bracket: ']' | '>>' }
  | { kind: 'keyword'; word: string }
  | { kind: 'end' };

/** Reads tokens and values from `pos`; `pos` is left after the last one read. */
export class PdfReader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
  ) {}

  /** Past whitespace and comments. */
  skipSpace(): void {
    const { bytes } = this;
    while (this.pos < bytes.length) {
      const byte = bytes[this.pos] as number;
      if (WHITE.has(byte)) this.pos++;
      else if (byte === 0x25) {
        while (this.pos < bytes.length && bytes[this.pos] !== 0x0a && bytes[this.pos] !== 0x0d) this.pos++;
      } else return;
    }
  }

  /** The keyword at the current position (after space), without consuming it; null when none. */
  peekKeyword(): string | null {
    const saved = this.pos;
    const token = this.token();
    this.pos = saved;
    return token.kind === 'keyword' ? token.word : null;
  }

  /**
   * The next complete value, with `N G R` read as a reference; null for anything that is not
   * a value (a keyword, a stray bracket, the end) or is nested too deep.
   */
  value(depth = 0): PdfValue | PdfKeyword | undefined {
    const start = this.pos;
    const token = this.token();
    switch (token.kind) {
      case 'end':
        return undefined;
      case 'keyword':
        return new PdfKeyword(token.word);
      case 'close':
        this.pos = start;
        return undefined;
      case 'open':
        if (depth >= MAX_DEPTH) return undefined;
        return token.bracket === '[' ? this.array(depth) : this.dict(depth);
      case 'value':
        if (typeof token.value === 'number' && Number.isInteger(token.value))
          return this.maybeRef(token.value);
        return token.value;
    }
  }

  private maybeRef(num: number): PdfValue {
    const saved = this.pos;
    const gen = this.token();
    if (gen.kind === 'value' && typeof gen.value === 'number' && Number.isInteger(gen.value)) {
      const r = this.token();
      if (r.kind === 'keyword' && r.word === 'R') return new PdfRef(num, gen.value);
    }
    this.pos = saved;
    return num;
  }

  private array(depth: number): PdfValue[] | undefined {
    const items: PdfValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.bytes[this.pos] === 0x5d) {
        this.pos++;
        return items;
      }
      const item = this.value(depth + 1);
      if (item === undefined) return undefined;
      // pdf.js keeps unknown keywords inside arrays as commands; they resolve to nothing useful.
      if (!(item instanceof PdfKeyword)) items.push(item);
    }
  }

  private dict(depth: number): PdfDict | undefined {
    const dict = new PdfDict();
    for (;;) {
      this.skipSpace();
      if (this.bytes[this.pos] === 0x3e && this.bytes[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return dict;
      }
      const keyStart = this.pos;
      const key = this.value(depth + 1);
      if (key === undefined) return undefined;
      // Like pdf.js: a key that is not a name is skipped.
      if (!(key instanceof PdfName)) continue;
      const keyEnd = this.pos;
      this.skipSpace();
      if (this.bytes[this.pos] === 0x3e && this.bytes[this.pos + 1] === 0x3e) continue;
      const item = this.value(depth + 1);
      if (item === undefined) return undefined;
      if (item instanceof PdfKeyword) continue;
      dict.entries.set(key.name, item);
      const spans = dict.keySpans.get(key.name) ?? [];
      spans.push([keyStart, keyEnd]);
      dict.keySpans.set(key.name, spans);
    }
  }

  private token(): Token {
    this.skipSpace();
    const { bytes } = this;
    if (this.pos >= bytes.length) return { kind: 'end' };
    const byte = bytes[this.pos] as number;
    switch (byte) {
      case 0x5b:
        this.pos++;
        return { kind: 'open', bracket: '[' };
      case 0x5d:
        this.pos++;
        return { kind: 'close', bracket: ']' };
      case 0x3c:
        if (bytes[this.pos + 1] === 0x3c) {
          this.pos += 2;
          return { kind: 'open', bracket: '<<' };
        }
        return { kind: 'value', value: this.hexString() };
      case 0x3e:
        this.pos += bytes[this.pos + 1] === 0x3e ? 2 : 1;
        return { kind: 'close', bracket: '>>' };
      case 0x28:
        return { kind: 'value', value: this.literalString() };
      case 0x2f:
        return { kind: 'value', value: this.name() };
    }
    const start = this.pos;
    while (this.pos < bytes.length && isRegular(bytes[this.pos])) this.pos++;
    if (this.pos === start) {
      // A lone delimiter pdf.js would skip ({, }, or a stray ')').
      this.pos++;
      return { kind: 'keyword', word: String.fromCharCode(byte) };
    }
    const word = String.fromCharCode(...bytes.subarray(start, Math.min(this.pos, start + MAX_WORD)));
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return { kind: 'value', value: Number(word) };
    if (word === 'true' || word === 'false') return { kind: 'value', value: word === 'true' };
    if (word === 'null') return { kind: 'value', value: null };
    return { kind: 'keyword', word };
  }

  private name(): PdfName {
    const { bytes } = this;
    this.pos++;
    const out: number[] = [];
    while (this.pos < bytes.length && isRegular(bytes[this.pos])) {
      const byte = bytes[this.pos] as number;
      const high = hexValue(bytes[this.pos + 1] ?? 0);
      const low = hexValue(bytes[this.pos + 2] ?? 0);
      if (byte === 0x23 && high >= 0 && low >= 0) {
        out.push(high * 16 + low);
        this.pos += 3;
      } else {
        out.push(byte);
        this.pos++;
      }
    }
    return new PdfName(String.fromCharCode(...out));
  }

  private hexString(): PdfString {
    const { bytes } = this;
    this.pos++;
    const out: number[] = [];
    this.pos = decodeHexDigits(bytes, this.pos, (byte) => out.push(byte));
    this.pos++;
    return new PdfString(Uint8Array.from(out));
  }

  private literalString(): PdfString {
    const { bytes } = this;
    this.pos++;
    const out: number[] = [];
    let depth = 1;
    while (this.pos < bytes.length) {
      let byte = bytes[this.pos++] as number;
      if (byte === 0x28) depth++;
      else if (byte === 0x29 && --depth === 0) break;
      else if (byte === 0x5c) {
        byte = bytes[this.pos++] ?? 0;
        const escaped: Record<number, number> = { 110: 10, 114: 13, 116: 9, 98: 8, 102: 12 };
        if (byte in escaped) byte = escaped[byte] as number;
        else if (byte >= 0x30 && byte <= 0x37) {
          let code = byte - 0x30;
          for (let i = 0; i < 2 && (bytes[this.pos] ?? 0) >= 0x30 && (bytes[this.pos] ?? 0) <= 0x37; i++) {
            code = code * 8 + ((bytes[this.pos++] as number) - 0x30);
          }
          byte = code & 0xff;
        } else if (byte === 0x0d) {
          if (bytes[this.pos] === 0x0a) this.pos++;
          continue;
        } else if (byte === 0x0a) continue;
      }
      out.push(byte);
    }
    return new PdfString(Uint8Array.from(out));
  }
}

/** One character per byte, so that string offsets are byte offsets. */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** A name's text, or null for anything else. */
export function nameOf(value: PdfValue | undefined): string | null {
  return value instanceof PdfName ? value.name : null;
}
