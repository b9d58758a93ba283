import { DocumentError } from '../document-error.js';
import { codecPixels } from './codec-pixels.js';
import { inlineImages } from './inline-images.js';
import { NEEDS_PASSWORD, type StreamDecryption, streamDecryption } from './pdf-decrypt.js';
import { PdfObjects, type StreamObject } from './pdf-objects.js';
import { nameOf, PdfDict, PdfName, PdfString, type PdfValue } from './pdf-syntax.js';
import { type Decoded, decodeSteps, type FilterStep, OverLimit, Undecodable } from './stream-filters.js';
import type { StreamLimits } from './stream-limits.js';

const SAVE_AGAIN =
  'save the PDF again (for example by printing it to a new PDF), or split it into smaller files';

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/**
 * What pdf.js will do with the bytes: `text`, read text only, which decodes no image (image
 * streams lose their filters instead of being measured, so that whatever an image stream is
 * used for, pdf.js reads at most its raw bytes); `all`, draw pages as well, which decodes
 * image streams and inline images.
 */
export type CheckScope = 'text' | 'all';

/**
 * Measure every compressed stream of a PDF before pdf.js reads any of it: pdf.js inflates
 * a stream into one growing buffer outside the V8 heap, which no heap limit bounds, so a
 * 1 MB file can take gigabytes (a decompression bomb). Returns the bytes to give pdf.js:
 * `bytes` itself, or a copy in which streams that cannot be measured safely have lost their
 * filters (so pdf.js reads them as the raw bytes they are). Throws a DocumentError
 * ('too_large') when a stream, or all of them together, would unpack past `limits`.
 */
export function checkPdfStreams(
  bytes: Uint8Array,
  limits: StreamLimits,
  maxImagePixels: number,
  scope: CheckScope,
): Uint8Array {
  return new StreamCheck(bytes, limits, maxImagePixels, scope).run();
}

class StreamCheck {
  private readonly objects: PdfObjects;
  private decryption: StreamDecryption | typeof NEEDS_PASSWORD | null = null;
  private unpacked = 0;
  private patched: Uint8Array | null = null;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: StreamLimits,
    private readonly maxImagePixels: number,
    private readonly scope: CheckScope,
  ) {
    this.objects = PdfObjects.read(bytes);
  }

  run(): Uint8Array {
    this.decryption = this.findDecryption();
    const { streams } = this.objects;
    // Object streams first: the objects inside them (a /Length, a /Filter) count as well.
    const objectStreams = streams.filter((stream) => this.typeOf(stream.dict) === 'ObjStm');
    for (const stream of objectStreams) {
      const decoded = this.check(stream);
      if (decoded?.codec === null) this.objects.addObjectStream(stream.dict, decoded.bytes);
    }
    for (const stream of streams) if (!objectStreams.includes(stream)) this.check(stream);
    return this.patched ?? this.bytes;
  }

  /** The trailer pdf.js takes encryption from: the last one naming it, since updates append. */
  private findDecryption(): StreamDecryption | typeof NEEDS_PASSWORD | null {
    const trailer = this.objects.trailers.filter((dict) => dict.get('Encrypt') !== undefined).at(-1);
    if (!trailer) return null;
    const ids = this.resolve(trailer.get('ID'));
    const first = Array.isArray(ids) ? this.resolve(ids[0]) : undefined;
    const fileId = first instanceof PdfString ? first.bytes : new Uint8Array(0);
    return streamDecryption(this.resolve(trailer.get('Encrypt')), fileId, (value) => this.resolve(value));
  }

  private check(stream: StreamObject): Decoded | null {
    const type = this.typeOf(stream.dict);
    // pdf.js reads cross-reference streams before it asks for a password, and nothing else.
    if (this.decryption === NEEDS_PASSWORD && type !== 'XRef') return null;
    const end = this.objects.dataEnds(stream).at(-1);
    const steps = this.steps(stream.dict);
    if (end === undefined || steps === null) return null;
    if (this.scope === 'text' && this.isImage(stream.dict, type)) {
      if (steps.length > 0) this.dropFilters(stream.dict);
      return null;
    }
    let data = this.bytes.subarray(stream.dataStart, end);
    const decryption = this.decryption === NEEDS_PASSWORD ? null : this.decryption;
    const encrypted =
      decryption !== null && type !== 'XRef' && !(type === 'Metadata' && !decryption.encryptsMetadata);
    const crypt = (input: Uint8Array, filter: string) =>
      encrypted ? decryption.decrypt(input, stream.num, stream.gen, { cryptFilter: filter }) : input;
    if (encrypted && !steps.some((step) => step.name === 'Crypt')) {
      data = decryption.decrypt(data, stream.num, stream.gen, { embeddedFile: type === 'EmbeddedFile' });
    }
    const decoded = this.decode(
      data,
      steps,
      crypt,
      () => this.dropFilters(stream.dict),
      this.imageBytes(stream.dict),
    );
    // pdf.js decodes inline images only to draw them.
    if (decoded?.codec === null && this.scope === 'all' && type !== 'XRef' && type !== 'ObjStm') {
      const asWritten = steps.length === 0 && !encrypted;
      this.checkInlineImages(
        stream,
        decoded.bytes,
        asWritten ? 'in_place' : steps.length > 0 ? 'filters' : 'data',
      );
    }
    return decoded;
  }

  /**
   * Decode through `steps`, counting what comes out against the limits. Data that cannot be
   * measured (null is returned), or an image whose own header declares more pixels than
   * allowed, is handed to `drop`.
   */
  private decode(
    data: Uint8Array,
    steps: FilterStep[],
    crypt: (data: Uint8Array, filter: string) => Uint8Array,
    drop: () => void,
    sizeHint = 0,
  ): Decoded | null {
    if (steps.length === 0) return { bytes: data, codec: null };
    const perStream = this.limits.maxStreamBytes;
    const left = this.limits.maxTotalBytes - this.unpacked;
    let decoded: Decoded;
    try {
      decoded = decodeSteps(data, steps, Math.min(perStream, left), crypt, sizeHint);
    } catch (error) {
      if (error instanceof OverLimit) throw this.tooLarge(left < perStream);
      if (error instanceof Undecodable) {
        drop();
        return null;
      }
      throw error;
    }
    if (decoded.codec !== null) {
      const pixels = codecPixels(decoded.codec, decoded.bytes);
      if (pixels !== null && pixels > this.maxImagePixels) drop();
      return decoded;
    }
    this.unpacked += decoded.bytes.length;
    return decoded;
  }

  /**
   * `drop`: how to take away an inline image that cannot be measured: `in_place`, its `BI`
   * where the content is written as it reads; `filters`, the filters of its stream, so that
   * the whole content reads as its compressed bytes; `data`, the encrypted data of its stream.
   */
  private checkInlineImages(
    container: StreamObject,
    content: Uint8Array,
    drop: 'in_place' | 'filters' | 'data',
  ): void {
    for (const image of inlineImages(content)) {
      const steps = this.steps(image.dict);
      if (steps === null || steps.length === 0) continue;
      this.decode(
        content.subarray(image.dataStart),
        steps,
        (input) => input,
        () => {
          if (drop === 'in_place') this.blank(container.dataStart + image.at, 2);
          else if (drop === 'filters') this.dropFilters(container.dict);
          else {
            const nearest = this.objects.dataEnds(container)[0] ?? container.dataStart;
            this.blank(container.dataStart, nearest - container.dataStart);
          }
        },
      );
    }
  }

  /**
   * The filters pdf.js would apply, resolved as it resolves them; null when it would refuse
   * the stream (a filter that is not a name).
   */
  private steps(dict: PdfDict): FilterStep[] | null {
    // pdf.js reads the short key first: /F wins over /Filter, /DP over /DecodeParms.
    const filter = this.resolve(dict.get('F') ?? dict.get('Filter'));
    const params = this.resolve(dict.get('DP') ?? dict.get('DecodeParms'));
    if (filter instanceof PdfName) return [{ name: filter.name, params: this.paramsOf(params) }];
    if (!Array.isArray(filter)) return [];
    const steps: FilterStep[] = [];
    for (const [i, item] of filter.entries()) {
      const name = this.resolve(item);
      if (!(name instanceof PdfName)) return null;
      const stepParams = Array.isArray(params) && i < params.length ? this.resolve(params[i]) : null;
      steps.push({ name: name.name, params: this.paramsOf(stepParams) });
    }
    return steps;
  }

  /**
   * The bytes an image stream's dictionary says its pixels take (a row more for a PNG
   * predictor's tags, and four components where the colour space is not plain), so that
   * zlib can inflate it into one buffer; 0 for other streams. Only a hint: the limits apply
   * to what the data really unpacks to.
   */
  private imageBytes(dict: PdfDict): number {
    const get = (...keys: string[]) =>
      this.resolve(dict.get(keys.find((key) => dict.get(key) !== undefined) ?? ''));
    if (nameOf(get('Subtype')) !== 'Image') return 0;
    const width = get('W', 'Width');
    const height = get('H', 'Height');
    if (typeof width !== 'number' || typeof height !== 'number' || width <= 0 || height <= 0) return 0;
    const mask = get('IM', 'ImageMask') === true;
    const bits = mask ? 1 : get('BPC', 'BitsPerComponent');
    const space = nameOf(get('CS', 'ColorSpace'));
    const components =
      mask || space === 'DeviceGray' || space === 'G' ? 1 : space === 'DeviceRGB' || space === 'RGB' ? 3 : 4;
    return height * (Math.ceil((width * components * (typeof bits === 'number' ? bits : 8)) / 8) + 1);
  }

  private paramsOf(value: PdfValue | undefined): PdfDict | null {
    if (!(value instanceof PdfDict)) return null;
    const resolved = new PdfDict();
    for (const [key, entry] of value.entries) resolved.entries.set(key, this.resolve(entry) ?? null);
    return resolved;
  }

  private resolve(value: PdfValue | undefined): PdfValue | undefined {
    return this.objects.resolve(value);
  }

  /** An image XObject, by its own dictionary; what else it may be used as does not matter here. */
  private isImage(dict: PdfDict, type: string | null): boolean {
    return type !== 'ObjStm' && type !== 'XRef' && nameOf(this.resolve(dict.get('Subtype'))) === 'Image';
  }

  private typeOf(dict: PdfDict): string | null {
    return nameOf(this.resolve(dict.get('Type')));
  }

  /** pdf.js reads a stream whose dictionary has no /Filter as the bytes it holds, bounded by its length. */
  private dropFilters(dict: PdfDict): void {
    for (const key of ['F', 'Filter']) {
      for (const [start, end] of dict.keySpans.get(key) ?? []) this.blank(start + 1, end - start - 1, 0x58);
    }
  }

  private blank(start: number, length: number, byte = 0x20): void {
    this.patched ??= new Uint8Array(this.bytes);
    this.patched.fill(byte, start, start + length);
  }

  private tooLarge(total: boolean): DocumentError {
    const message = total
      ? `The compressed streams of the PDF unpack to more than ${mib(this.limits.maxTotalBytes)} in all, more than can be read safely (it may be a decompression bomb); ${SAVE_AGAIN}`
      : `The PDF holds a compressed stream that unpacks to more than ${mib(this.limits.maxStreamBytes)}, more than can be read safely (it may be a decompression bomb); ${SAVE_AGAIN}`;
    return new DocumentError('too_large', message);
  }
}
