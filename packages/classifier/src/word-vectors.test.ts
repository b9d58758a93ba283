import { describe, expect, it } from 'vitest';
import { loadWordVectors, parseWordVectors, type WordVectors } from './word-vectors.js';

/** A file in the format scripts/build-vectors.mjs writes. */
function vectorsFile(words: string[], rows: number[][], magic = 'WVEC1\0\0\0'): Uint8Array {
  const dims = rows[0]?.length ?? 0;
  const header = Buffer.alloc(16);
  header.write(magic, 0, 'latin1');
  header.writeUInt32LE(words.length, 8);
  header.writeUInt32LE(dims, 12);
  const scales = new Float32Array(rows.map((row) => Math.max(...row.map(Math.abs)) / 127));
  const data = Int8Array.from(
    rows.flatMap((row, i) => row.map((x) => Math.round(x / (scales[i] as number)))),
  );
  return Buffer.concat([
    header,
    Buffer.from(scales.buffer),
    Buffer.from(data.buffer),
    Buffer.from(words.join('\n'), 'utf8'),
  ]);
}

const cosine = (v: WordVectors, a: string, b: string) => {
  const [i, j] = [v.indexOf(a), v.indexOf(b)];
  let dot = 0;
  for (let d = 0; d < v.dims; d++)
    dot += (v.data[i * v.dims + d] as number) * (v.data[j * v.dims + d] as number);
  return dot;
};

describe('parseWordVectors', () => {
  it('reads words, unit-length vectors and rank-based IDF', () => {
    const vectors = parseWordVectors(
      vectorsFile(
        ['the', 'cat'],
        [
          [3, 4],
          [0, -2],
        ],
      ),
    );
    expect(vectors).toMatchObject({ size: 2, dims: 2, words: ['the', 'cat'] });
    expect(vectors.indexOf('cat')).toBe(1);
    expect(vectors.indexOf('dog')).toBe(-1);
    expect(vectors.data[0]).toBeCloseTo(0.6, 2);
    expect(vectors.data[1]).toBeCloseTo(0.8, 2);
    expect(vectors.data[3]).toBeCloseTo(-1, 5);
    expect(vectors.idf(0)).toBeCloseTo(Math.log(1.01), 6);
    expect(vectors.idf(-1)).toBeGreaterThan(vectors.idf(1));
  });

  it('rejects other files', () => {
    expect(() => parseWordVectors(vectorsFile(['a'], [[1, 1]], 'NOTWVEC1'))).toThrow(/WVEC1/);
    expect(() => parseWordVectors(vectorsFile(['a'], [[1, 1]]).subarray(0, 18))).toThrow(/truncated/);
    expect(() => parseWordVectors(vectorsFile(['a', 'b'], [[1, 1]]))).toThrow();
  });
});

describe('the shipped vectors', () => {
  it('hold 50,000 words in 100 dimensions with sensible neighbours', async () => {
    const vectors = await loadWordVectors();
    expect(vectors.size).toBe(50_000);
    expect(vectors.dims).toBe(100);
    expect(vectors.words[0]).toBe('the');
    expect(vectors.indexOf('invoice')).toBeGreaterThan(vectors.indexOf('bill'));
    expect(cosine(vectors, 'invoice', 'payment')).toBeGreaterThan(cosine(vectors, 'invoice', 'banana'));
    expect(cosine(vectors, 'doctor', 'physician')).toBeGreaterThan(0.6);
  });

  it('have the common component removed, so frequent unrelated words are not near', async () => {
    const vectors = await loadWordVectors();
    const mean = new Float64Array(vectors.dims);
    for (let i = 0; i < vectors.data.length; i++) {
      const d = i % vectors.dims;
      mean[d] = (mean[d] as number) + (vectors.data[i] as number) / vectors.size;
    }
    // Raw GloVe rows share a mean of length 0.17, which put "go" and "check" at cosine 0.64.
    expect(Math.hypot(...mean)).toBeLessThan(0.02);
    expect(cosine(vectors, 'go', 'check')).toBeLessThan(0.5);
  });
});
