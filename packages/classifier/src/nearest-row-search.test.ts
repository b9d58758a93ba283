import { describe, expect, it } from 'vitest';
import { NearestRowSearch } from './nearest-row-search.js';

function randomMatrix(rows: number, dims: number, seed: number): Float32Array {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  return Float32Array.from({ length: rows * dims }, next);
}

function bruteForce(matrix: Float32Array, dims: number, query: Float32Array, skip: number) {
  let best = -1;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let row = 0; row < matrix.length / dims; row++) {
    let dot = 0;
    for (let d = 0; d < dims; d++) dot += (query[d] as number) * (matrix[row * dims + d] as number);
    if (row !== skip && dot > bestValue) {
      best = row;
      bestValue = dot;
    }
  }
  return { row: best, similarity: bestValue };
}

describe('NearestRowSearch', () => {
  it.each([
    [100, 500],
    [7, 33],
    [4, 1],
  ])('finds the same row as a brute-force search (%i dims, %i rows)', (dims, rows) => {
    const matrix = randomMatrix(rows, dims, dims * 31 + rows);
    const search = new NearestRowSearch(matrix, dims);
    for (let q = 0; q < 20; q++) {
      const query = randomMatrix(1, dims, 1000 + q);
      const expected = bruteForce(matrix, dims, query, -1);
      const found = search.nearest(query);
      expect(found?.row).toBe(expected.row);
      expect(found?.similarity).toBeCloseTo(expected.similarity, 4);
    }
  });

  it('skips the row it is told to skip', () => {
    const dims = 10;
    const matrix = randomMatrix(50, dims, 7);
    const search = new NearestRowSearch(matrix, dims);
    const query = matrix.slice(3 * dims, 4 * dims);
    expect(search.nearest(query)?.row).toBe(3);
    const other = search.nearest(query, 3);
    expect(other?.row).toBe(bruteForce(matrix, dims, query, 3).row);
    expect(other?.row).not.toBe(3);
  });

  it('finds nothing in an empty matrix or when the only row is skipped', () => {
    expect(new NearestRowSearch(new Float32Array(0), 8).nearest(new Float32Array(8))).toBeNull();
    const single = new NearestRowSearch(new Float32Array(8).fill(1), 8);
    expect(single.nearest(new Float32Array(8).fill(1), 0)).toBeNull();
  });

  it('keeps separate searches apart', () => {
    const a = new NearestRowSearch(Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0]), 4);
    const b = new NearestRowSearch(Float32Array.from([0, 1, 0, 0, 1, 0, 0, 0]), 4);
    const query = Float32Array.from([1, 0, 0, 0]);
    expect(a.nearest(query)?.row).toBe(0);
    expect(b.nearest(query)?.row).toBe(1);
  });
});
