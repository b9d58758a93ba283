import { readFile } from 'node:fs/promises';

/** The compact GloVe file written by scripts/build-vectors.mjs (its header documents the format). */
export const DEFAULT_VECTORS_URL = new URL('../assets/glove-50k-int8.bin', import.meta.url);

const MAGIC = 'WVEC1\0\0\0';
const HEADER_BYTES = 16;

/**
 * Unit-length word vectors in frequency order. A word's index is its frequency rank, which
 * stands in for a document-frequency statistic: IDF is approximated as ln(1 + rank / 100).
 */
export interface WordVectors {
  readonly dims: number;
  readonly size: number;
  /** size x dims, row-major, each row L2-normalised. */
  readonly data: Float32Array;
  /** The words, most frequent first. */
  readonly words: readonly string[];
  /** Row of the word, or -1 when the word is not in the vocabulary. */
  indexOf(word: string): number;
  /** IDF weight of a word given its row, or of an out-of-vocabulary word when index is -1. */
  idf(index: number): number;
}

export async function loadWordVectors(url: URL = DEFAULT_VECTORS_URL): Promise<WordVectors> {
  return parseWordVectors(await readFile(url));
}

export function parseWordVectors(bytes: Uint8Array): WordVectors {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = new TextDecoder('latin1').decode(bytes.subarray(0, 8));
  if (bytes.byteLength < HEADER_BYTES || magic !== MAGIC) {
    throw new Error('word vectors file is not in the WVEC1 format');
  }
  const size = view.getUint32(8, true);
  const dims = view.getUint32(12, true);
  const scalesEnd = HEADER_BYTES + size * 4;
  const dataEnd = scalesEnd + size * dims;
  if (bytes.byteLength < dataEnd) throw new Error('word vectors file is truncated');

  const data = new Float32Array(size * dims);
  const quantised = new Int8Array(bytes.buffer, bytes.byteOffset + scalesEnd, size * dims);
  for (let row = 0; row < size; row++) {
    const scale = view.getFloat32(HEADER_BYTES + row * 4, true);
    const base = row * dims;
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const x = (quantised[base + d] as number) * scale;
      data[base + d] = x;
      norm += x * x;
    }
    // Quantisation leaves rows a hair off unit length; renormalise so dot products are cosines.
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dims; d++) data[base + d] = (data[base + d] as number) * inv;
  }

  const words = new TextDecoder('utf-8').decode(bytes.subarray(dataEnd)).split('\n');
  if (words.length !== size)
    throw new Error(`word vectors file lists ${words.length} words, expected ${size}`);
  const index = new Map<string, number>();
  for (const [row, word] of words.entries()) index.set(word, row);

  const idfByRow = new Float32Array(size);
  for (let row = 0; row < size; row++) idfByRow[row] = Math.log(1 + (row + 1) / 100);
  // Words outside the kept vocabulary are rarer than every kept word.
  const unknownIdf = Math.log(1 + (2 * size) / 100);

  return {
    dims,
    size,
    data,
    words,
    indexOf: (word) => index.get(word) ?? -1,
    idf: (row) => (row < 0 ? unknownIdf : (idfByRow[row] as number)),
  };
}
