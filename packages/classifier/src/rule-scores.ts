import type { DocumentProfile } from './document-profile.js';
import { NearestRowSearch } from './nearest-row-search.js';
import type { RuleProfile, RuleTerm } from './rule-profile.js';
import type { WordVectors } from './word-vectors.js';

/** Cosines at or below this are what unrelated common words reach; only the excess counts. */
export const SOFT_MATCH_FLOOR = 0.5;
/** BM25's term-frequency saturation constant. */
const BM25_K1 = 1.2;

/** One score per evidence channel, each in [0, 1]. */
export interface RuleChannels {
  /** Each rule word against its best-matching document word (1 for the word itself). */
  soft: number;
  /** Cosine of the IDF-weighted mean word vectors. */
  mean: number;
  /** BM25-like share of the rule's words (by stem) found verbatim in the document. */
  lexical: number;
  /** The type name's own words, verbatim or near, in the document. */
  typeName: number;
}

export interface WordMatch {
  /** The document word that matched. */
  word: string;
  similarity: number;
}

/**
 * Scores rules against one document. Nearest-word searches are shared between rules, since
 * rules in one request tend to reuse words.
 */
export class RuleScorer {
  private readonly nearest = new Map<number, WordMatch | null>();
  private search: NearestRowSearch | undefined;

  constructor(
    private readonly document: DocumentProfile,
    private readonly vectors: WordVectors,
  ) {}

  /** Channel scores of a rule; contrast weighs its words by how well they tell the request's rules apart. */
  channels(rule: RuleProfile, contrast?: ReadonlyMap<string, number>): RuleChannels {
    const doc = this.document;
    let soft = 0;
    let lexical = 0;
    let weights = 0;
    for (const term of rule.terms) {
      const weight = term.idf * (contrast?.get(term.stem) ?? 1);
      const count = doc.stems.get(term.stem)?.count ?? 0;
      soft += weight * (count > 0 ? 1 : this.matchStrength(term));
      lexical += (weight * (count * (BM25_K1 + 1))) / (count + BM25_K1) / (BM25_K1 + 1);
      weights += weight;
    }
    let typeWeight = 0;
    let typeName = 0;
    for (const term of rule.typeTerms) {
      const count = doc.stems.get(term.stem)?.count ?? 0;
      // One mention of a rare type word ("invoice") is strong evidence; a common one ("form")
      // must appear more often than ordinary English usage would put it in a text this long.
      const verbatim = count / (count + 0.5 + expectedCount(term.row, doc.tokenCount));
      typeName += term.idf * Math.max(verbatim, this.matchStrength(term));
      typeWeight += term.idf;
    }
    return {
      soft: weights > 0 ? soft / weights : 0,
      mean: rule.meanVector && doc.meanVector ? Math.max(0, dot(rule.meanVector, doc.meanVector)) : 0,
      lexical: weights > 0 ? lexical / weights : 0,
      typeName: typeWeight > 0 ? typeName / typeWeight : 0,
    };
  }

  /** How well a rule word is matched by another document word: less than 1 for near words, 0 otherwise. */
  matchStrength(term: RuleTerm): number {
    const match = this.nearestWord(term);
    if (!match) return 0;
    return Math.max(0, (match.similarity - SOFT_MATCH_FLOOR) / (1 - SOFT_MATCH_FLOOR));
  }

  /** The document word closest to a rule word (other than the word itself), or null. */
  nearestWord(term: RuleTerm): WordMatch | null {
    if (term.row < 0) return null;
    const cached = this.nearest.get(term.row);
    if (cached !== undefined) return cached;
    const { dims, data } = this.vectors;
    this.search ??= new NearestRowSearch(this.document.softMatrix, dims);
    const self = this.document.softIndexByRow.get(term.row) ?? -1;
    const found = this.search.nearest(data.subarray(term.row * dims, term.row * dims + dims), self);
    const match = found
      ? { word: this.document.softWords[found.row] as string, similarity: found.similarity }
      : null;
    this.nearest.set(term.row, match);
    return match;
  }
}

/**
 * Zipf's law puts a word of frequency rank r at about 0.1 / r of running English text; content
 * tokens are roughly half of all tokens. Out-of-vocabulary words are taken as rarer than any.
 */
function expectedCount(row: number, contentTokens: number): number {
  return row < 0 ? 0 : (0.2 * contentTokens) / (row + 1);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
