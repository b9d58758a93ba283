import type { GrayImage } from '@classifyd/testkit';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFName,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';

/**
 * A minimal JBIG2 encoder for test fixtures: one page holding one generic region, coded
 * with the MQ arithmetic coder and template 0 (ITU-T T.88, 6.2 and annex E), in the
 * embedded form a PDF's JBIG2Decode stream holds (no file header).
 */

/** Qe, next index after an MPS, next index after an LPS, and whether an LPS swaps the MPS (T.88 table E.1). */
const QE_TABLE: readonly (readonly [number, number, number, number])[] = [
  [0x5601, 1, 1, 1],
  [0x3401, 2, 6, 0],
  [0x1801, 3, 9, 0],
  [0x0ac1, 4, 12, 0],
  [0x0521, 5, 29, 0],
  [0x0221, 38, 33, 0],
  [0x5601, 7, 6, 1],
  [0x5401, 8, 14, 0],
  [0x4801, 9, 14, 0],
  [0x3801, 10, 14, 0],
  [0x3001, 11, 17, 0],
  [0x2401, 12, 18, 0],
  [0x1c01, 13, 20, 0],
  [0x1601, 29, 21, 0],
  [0x5601, 15, 14, 1],
  [0x5401, 16, 14, 0],
  [0x5101, 17, 15, 0],
  [0x4801, 18, 16, 0],
  [0x3801, 19, 17, 0],
  [0x3401, 20, 18, 0],
  [0x3001, 21, 19, 0],
  [0x2801, 22, 19, 0],
  [0x2401, 23, 20, 0],
  [0x2201, 24, 21, 0],
  [0x1c01, 25, 22, 0],
  [0x1801, 26, 23, 0],
  [0x1601, 27, 24, 0],
  [0x1401, 28, 25, 0],
  [0x1201, 29, 26, 0],
  [0x1101, 30, 27, 0],
  [0x0ac1, 31, 28, 0],
  [0x09c1, 32, 29, 0],
  [0x08a1, 33, 30, 0],
  [0x0521, 34, 31, 0],
  [0x0441, 35, 32, 0],
  [0x02a1, 36, 33, 0],
  [0x0221, 37, 34, 0],
  [0x0141, 38, 35, 0],
  [0x0111, 39, 36, 0],
  [0x0085, 40, 37, 0],
  [0x0049, 41, 38, 0],
  [0x0025, 42, 39, 0],
  [0x0015, 43, 40, 0],
  [0x0009, 44, 41, 0],
  [0x0005, 45, 42, 0],
  [0x0001, 45, 43, 0],
  [0x5601, 46, 46, 0],
];

/** The MQ encoder of T.88 annex E.2, writing whole bytes to `out`. */
class MqEncoder {
  private a = 0x8000;
  private c = 0;
  private ct = 12;
  /** out[0] is the placeholder byte before the code, dropped at the end. */
  private readonly out: number[] = [0];
  private readonly index: Uint8Array;
  private readonly mps: Uint8Array;

  constructor(contexts: number) {
    this.index = new Uint8Array(contexts);
    this.mps = new Uint8Array(contexts);
  }

  encode(cx: number, bit: number): void {
    const [qe, nmps, nlps, swap] = QE_TABLE[this.index[cx] ?? 0] ?? [0x5601, 1, 1, 1];
    this.a -= qe;
    if (bit === this.mps[cx]) {
      if ((this.a & 0x8000) !== 0) {
        this.c += qe;
        return;
      }
      if (this.a < qe) this.a = qe;
      else this.c += qe;
      this.index[cx] = nmps;
    } else {
      if (this.a < qe) this.c += qe;
      else this.a = qe;
      if (swap === 1) this.mps[cx] = 1 - (this.mps[cx] ?? 0);
      this.index[cx] = nlps;
    }
    this.renormalize();
  }

  /** The code, ending with the 0xFF 0xAC marker. */
  finish(): Uint8Array {
    const temp = this.c + this.a;
    this.c |= 0xffff;
    if (this.c >= temp) this.c -= 0x8000;
    this.c *= 2 ** this.ct;
    this.byteOut();
    this.c *= 2 ** this.ct;
    this.byteOut();
    if (this.out[this.out.length - 1] !== 0xff) this.out.push(0xff);
    this.out.push(0xac);
    return Uint8Array.from(this.out.slice(1));
  }

  private renormalize(): void {
    do {
      this.a *= 2;
      this.c *= 2;
      this.ct--;
      if (this.ct === 0) this.byteOut();
    } while ((this.a & 0x8000) === 0);
  }

  private byteOut(): void {
    const last = this.out.length - 1;
    if (this.out[last] === 0xff) {
      this.emit(20, 7);
    } else if (this.c < 0x8000000) {
      this.emit(19, 8);
    } else {
      // A carry into the byte already written.
      this.out[last] = (this.out[last] ?? 0) + 1;
      if (this.out[last] === 0xff) {
        this.c &= 0x7ffffff;
        this.emit(20, 7);
      } else {
        this.emit(19, 8);
      }
    }
  }

  private emit(shift: number, ct: number): void {
    this.out.push(Math.floor(this.c / 2 ** shift) & 0xff);
    this.c &= 2 ** shift - 1;
    this.ct = ct;
  }
}

/** Template 0's neighbours with its nominal adaptive pixels (T.88 figure 3), as [dx, dy]. */
const TEMPLATE_0 = [
  [-1, -2],
  [0, -2],
  [1, -2],
  [-2, -2],
  [2, -2],
  [-3, -1],
  [-2, -1],
  [-1, -1],
  [0, -1],
  [1, -1],
  [2, -1],
  [3, -1],
  [-4, 0],
  [-3, 0],
  [-2, 0],
  [-1, 0],
] as const;

/** Arithmetic-code a bitmap (1 = black, one byte per pixel) as a template 0 generic region. */
function encodeGenericRegion(bits: Uint8Array, width: number, height: number): Uint8Array {
  const encoder = new MqEncoder(1 << 16);
  const at = (x: number, y: number) => (x < 0 || x >= width || y < 0 ? 0 : (bits[y * width + x] ?? 0));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let context = 0;
      for (const [dx, dy] of TEMPLATE_0) context = (context << 1) | at(x + dx, y + dy);
      encoder.encode(context, at(x, y));
    }
  }
  return encoder.finish();
}

function segment(number: number, type: number, data: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(11));
  header.setUint32(0, number);
  header.setUint8(4, type); // small page association, no retention flags
  header.setUint8(5, 0); // refers to no segment
  header.setUint8(6, 1); // page 1
  header.setUint32(7, data.length);
  return Buffer.concat([new Uint8Array(header.buffer), data]);
}

/** A JBIG2 stream as a PDF embeds it: a page information segment, then one immediate generic region. */
export function jbig2Stream(bits: Uint8Array, width: number, height: number): Uint8Array {
  const page = new DataView(new ArrayBuffer(19));
  page.setUint32(0, width);
  page.setUint32(4, height);
  // Resolution unknown (0), flags 0 (white default, OR), no striping.
  const region = new DataView(new ArrayBuffer(26));
  region.setUint32(0, width);
  region.setUint32(4, height);
  // At (0, 0), combination OR; byte 17 is 0: arithmetic coding, template 0, no TPGDON.
  const adaptive = [3, -1, -3, -1, 2, -2, -2, -2];
  adaptive.forEach((value, i) => {
    region.setInt8(18 + i, value);
  });
  const coded = encodeGenericRegion(bits, width, height);
  return Buffer.concat([
    segment(0, 48, new Uint8Array(page.buffer)),
    segment(1, 38, Buffer.concat([new Uint8Array(region.buffer), coded])),
  ]);
}

/** A one-page PDF whose page is `image` (grey, dark pixels become black) stored as JBIG2. */
export async function jbig2Pdf(image: GrayImage): Promise<Uint8Array> {
  const { width, height, data } = image;
  const bits = data.map((grey) => (grey < 128 ? 1 : 0));
  const document = await PDFDocument.create();
  const page = document.addPage([612, 792]);
  const stream = document.context.stream(jbig2Stream(bits, width, height), {
    Type: 'XObject',
    Subtype: 'Image',
    Width: width,
    Height: height,
    ColorSpace: 'DeviceGray',
    BitsPerComponent: 1,
    Filter: 'JBIG2Decode',
  });
  page.node.setXObject(PDFName.of('Im1'), document.context.register(stream));
  const drawnWidth = 560;
  const drawnHeight = (drawnWidth * height) / width;
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(drawnWidth, 0, 0, drawnHeight, 26, 760 - drawnHeight),
    drawObject('Im1'),
    popGraphicsState(),
  );
  return document.save();
}
