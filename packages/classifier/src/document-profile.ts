import { contentTokens } from './tokenize.js';
import type { WordVectors } from './word-vectors.js';

/** Longer documents are judged on their first content tokens: the type shows early. */
export const MAX_DOCUMENT_TOKENS = 4000;
/**
 * Soft matching compares rule words with the document's most informative distinct words (by
 * tf-idf); the cost grows with this number, and words outside it can still match verbatim.
 */
export const MAX_SOFT_MATCH_WORDS = 500;

export interface DocumentTerm {
  count: number;
  row: number;
  idf: number;
}

/** Everything about one document that rule scoring reads; computed once per classification. */
export interface DocumentProfile {
  tokenCount: number;
  terms: Map<string, DocumentTerm>;
  /** Euclidean norm of the document's tf-idf vector. */
  tfidfNorm: number;
  /** Distinct in-vocabulary words used for soft matching, with their vectors packed row by row. */
  softWords: string[];
  softMatrix: Float32Array;
  /** Position in softWords of a vocabulary row, for the rows that are there. */
  softIndexByRow: Map<number, number>;
  /** IDF-weighted mean of the document's word vectors, unit length; null when no word is known. */
  meanVector: Float32Array | null;
  /** Share of content tokens found in the English vocabulary (low for other languages). */
  vocabularyCoverage: number;
}

export function profileDocument(text: string, vectors: WordVectors): DocumentProfile {
  return profileTokens(contentTokens(text, MAX_DOCUMENT_TOKENS), vectors);
}

export function profileTokens(tokens: string[], vectors: WordVectors): DocumentProfile {
  const terms = new Map<string, DocumentTerm>();
  for (const token of tokens) {
    const term = terms.get(token);
    if (term) term.count++;
    else {
      const row = vectors.indexOf(token);
      terms.set(token, { count: 1, row, idf: vectors.idf(row) });
    }
  }

  const { dims, data } = vectors;
  let tfidfSquares = 0;
  let knownTokens = 0;
  const mean = new Float32Array(dims);
  const known: { word: string; row: number; weight: number }[] = [];
  for (const [word, term] of terms) {
    tfidfSquares += (term.count * term.idf) ** 2;
    if (term.row < 0) continue;
    knownTokens += term.count;
    // Sub-linear tf keeps one repeated word (a running header) from owning the mean.
    const weight = (1 + Math.log(term.count)) * term.idf;
    known.push({ word, row: term.row, weight });
    const base = term.row * dims;
    for (let d = 0; d < dims; d++) mean[d] = (mean[d] as number) + weight * (data[base + d] as number);
  }

  if (known.length > MAX_SOFT_MATCH_WORDS) {
    known.sort((a, b) => b.weight - a.weight);
    known.length = MAX_SOFT_MATCH_WORDS;
  }
  const softWords = known.map((k) => k.word);
  const softMatrix = new Float32Array(known.length * dims);
  const softIndexByRow = new Map<number, number>();
  known.forEach(({ row }, i) => {
    softMatrix.set(data.subarray(row * dims, row * dims + dims), i * dims);
    softIndexByRow.set(row, i);
  });

  return {
    tokenCount: tokens.length,
    terms,
    tfidfNorm: Math.sqrt(tfidfSquares),
    softWords,
    softMatrix,
    softIndexByRow,
    meanVector: normalise(mean),
    vocabularyCoverage: tokens.length > 0 ? knownTokens / tokens.length : 0,
  };
}

export function normalise(vector: Float32Array): Float32Array | null {
  let norm = 0;
  for (const x of vector) norm += x * x;
  if (norm === 0) return null;
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * inv;
  return vector;
}
