import { englishFor } from './glossary.js';
import { isForeign } from './language.js';
import { layoutCues } from './layout-cues.js';
import { STOP_WORDS } from './stop-words.js';
import { contentTokens } from './tokenize.js';
import { stemOf } from './word-stems.js';
import type { WordVectors } from './word-vectors.js';

/**
 * Longer documents are judged on their first characters (about 1,500 words): the type shows
 * early, and this bounds the work of every step (language, words, layout cues).
 */
export const MAX_DOCUMENT_CHARS = 10_000;
/**
 * Soft matching compares rule words with the document's most informative distinct words (by
 * tf-idf); the cost grows with this number, and words outside it can still match verbatim.
 */
export const MAX_SOFT_MATCH_WORDS = 300;

export interface DocumentTerm {
  count: number;
  row: number;
  idf: number;
}

/** Where a stem was seen: how often (cues give fractional pseudo-counts) and on which pages. */
export interface StemOccurrence {
  count: number;
  pages: number[];
  /** The document's own spelling, for reasoning; a cue's name for layout cues. */
  word: string;
  /** True when the stem stands for a layout cue rather than a word of the text. */
  cue: boolean;
}

/** Everything about one document that rule scoring reads; computed once per classification. */
export interface DocumentProfile {
  /** Words of the text itself (cues not counted); 0 means there is nothing to classify. */
  tokenCount: number;
  /** Distinct words, layout cue words included. */
  terms: Map<string, DocumentTerm>;
  /** Stems of the words and cue words, for verbatim matching. */
  stems: Map<string, StemOccurrence>;
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

export interface DocumentPage {
  page_number: number;
  text: string;
}

/**
 * lang: the document's ISO 639-1 language when known; otherwise it is told from function words.
 * In another language than English, glossary words also count as their English equivalents.
 */
export function profileDocument(
  pages: readonly DocumentPage[],
  vectors: WordVectors,
  lang?: string,
): DocumentProfile {
  const terms = new Map<string, DocumentTerm>();
  const stems = new Map<string, StemOccurrence>();
  const note = (word: string, page: number, count: number, cue: boolean) => {
    const term = terms.get(word);
    if (term) term.count += count;
    else {
      const row = vectors.indexOf(word);
      terms.set(word, { count, row, idf: vectors.idf(row) });
    }
    const stem = stemOf(word);
    const seen = stems.get(stem);
    if (!seen) stems.set(stem, { count, pages: [page], word, cue });
    else {
      seen.count += count;
      if (seen.pages.at(-1) !== page) seen.pages.push(page);
    }
  };

  const read = leadingText(pages, MAX_DOCUMENT_CHARS);
  const translate = isForeign(
    read.map((p) => p.text),
    lang,
  );
  let tokenCount = 0;
  for (const page of read) {
    const tokens = contentTokens(page.text);
    tokenCount += tokens.length;
    for (const token of tokens) {
      note(token, page.page_number, 1, false);
      const english = translate ? englishFor(token) : undefined;
      if (english && english !== token) note(english, page.page_number, 1, false);
    }
  }
  let knownTokens = 0;
  for (const term of terms.values()) if (term.row >= 0) knownTokens += term.count;
  if (tokenCount > 0) {
    // Layout is read from the same text as the words.
    for (const [word, cue] of layoutCues(read)) {
      for (const page of cue.pages) note(word, page, cue.count / cue.pages.length, true);
    }
  }
  return {
    tokenCount,
    terms,
    stems,
    ...softMatchWords(terms, vectors),
    vocabularyCoverage: tokenCount > 0 ? knownTokens / tokenCount : 0,
  };
}

/**
 * The IDF-weighted mean vector of counted words (stop words and one-letter words are left
 * out here, so counts of every word read will do). Each word is looked up once.
 */
export function meanVectorOfWords(
  words: ReadonlyMap<string, number>,
  vectors: WordVectors,
): Float32Array | null {
  const { dims, data } = vectors;
  const mean = new Float32Array(dims);
  for (const [word, count] of words) {
    if (word.length < 2 || STOP_WORDS.has(word)) continue;
    const row = vectors.indexOf(word);
    if (row < 0) continue;
    const weight = termWeight(count, vectors.idf(row));
    const base = row * dims;
    for (let d = 0; d < dims; d++) mean[d] = (mean[d] as number) + weight * (data[base + d] as number);
  }
  return normalise(mean);
}

/** Sub-linear tf keeps one repeated word (a running header) from owning the mean. */
const termWeight = (count: number, idf: number) => (1 + Math.log(Math.max(1, count))) * idf;

/** The pages cut to their first `budget` characters in all, ending at a word boundary. */
function leadingText(pages: readonly DocumentPage[], budget: number): readonly DocumentPage[] {
  const kept: DocumentPage[] = [];
  let left = budget;
  for (const page of pages) {
    if (left <= 0) break;
    if (page.text.length <= left) {
      kept.push(page);
      left -= page.text.length;
      continue;
    }
    const cut = page.text.lastIndexOf(' ', left);
    kept.push({ page_number: page.page_number, text: page.text.slice(0, cut > 0 ? cut : left) });
    break;
  }
  return kept;
}

function softMatchWords(terms: Map<string, DocumentTerm>, vectors: WordVectors) {
  const { dims, data } = vectors;
  const mean = new Float32Array(dims);
  const known: { word: string; row: number; weight: number }[] = [];
  for (const [word, term] of terms) {
    if (term.row < 0) continue;
    const weight = termWeight(term.count, term.idf);
    known.push({ word, row: term.row, weight });
    const base = term.row * dims;
    for (let d = 0; d < dims; d++) mean[d] = (mean[d] as number) + weight * (data[base + d] as number);
  }
  if (known.length > MAX_SOFT_MATCH_WORDS) {
    known.sort((a, b) => b.weight - a.weight);
    known.length = MAX_SOFT_MATCH_WORDS;
  }
  const softMatrix = new Float32Array(known.length * dims);
  const softIndexByRow = new Map<number, number>();
  known.forEach(({ row }, i) => {
    softMatrix.set(data.subarray(row * dims, row * dims + dims), i * dims);
    softIndexByRow.set(row, i);
  });
  return { softWords: known.map((k) => k.word), softMatrix, softIndexByRow, meanVector: normalise(mean) };
}

export function normalise(vector: Float32Array): Float32Array | null {
  let norm = 0;
  for (const x of vector) norm += x * x;
  if (norm === 0) return null;
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * inv;
  return vector;
}
