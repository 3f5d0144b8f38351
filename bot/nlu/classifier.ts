import { DEFAULT_FEATURE_OPTIONS, extractFeatures, type FeatureCounts, type FeatureOptions } from './tokenize';
import lunr from 'lunr';
import { rng } from './random';
import { baseForms, wordnetSenses } from './wordnet';
import { NeighbourIndex } from './neighbours';
import { sentenceVector, wordVectors, type WordVectors } from './word-vectors';
import type { IntentClassifier, IntentScore, SerializedClassifier, TrainingExample } from './types';

/**
 * Intent classifier: a small linear model of our own, no downloads, no native code.
 *
 * Features: word unigrams + bigrams (with start/end markers) as one view and character
 * 2–5-grams inside word boundaries as a second view; each view sublinear-TF × IDF weighted and
 * L2-normalised, the two concatenated with equal weight (charShare). Vocabulary from the training
 * data (features seen in ≥ 2 examples once there are ≥ 2,000 examples, else all).
 *
 * Model: multinomial logistic regression (softmax), trained by seeded SGD (linearly decaying
 * step, lazy L2 decay via a global scale), class-balanced example weights, and feature dropout
 * (half of each example's n-grams dropped at random at every step, then re-normalised), which
 * on CLINC150 val is worth ~+0.5 pt accuracy and makes wrong answers markedly less confident.
 * Deterministic for a given seed.
 *
 * Confidence of intent c: its softmax probability, chance-corrected ((p − 1/C) / (1 − 1/C)),
 * times the square root of the cosine similarity between the question and c's closest training
 * phrasing (bot/nlu/neighbours.ts). The softmax ranks the topics; the similarity says whether the
 * question is like anything the help centre was taught at all, which the softmax cannot say when
 * there are few topics. Measured on CLINC150 val + oos_val at one threshold, the product keeps
 * out-of-scope recall within a much narrower band from 6 to 150 intents and 5 to 100 phrasings per
 * intent than the softmax alone (README, "Honest answers with a small help centre").
 *
 * Third view: the sentence vector from pretrained word vectors (bot/nlu/word-vectors.ts: the
 * Universal Sentence Encoder distilled into a word table), a sum of SIF-weighted, centred word
 * vectors, L2-normalised, given `vectorShare` of the squared norm (the n-gram views share the
 * rest). It relates words the training phrasings never used to the ones they did: +3 pt top-1 at
 * 10 phrasings per intent on CLINC150. It feeds the softmax only; the closest-phrasing similarity
 * stays on n-grams, where "the same words" means what it says.
 *
 * Optional fourth view: WordNet senses of the words (senseShare, off by default: on CLINC150 it
 * did not move accuracy; see bot/nlu/wordnet.ts).
 */

export const CLASSIFIER_FORMAT = 'answerdesk-intent-classifier';
export const CLASSIFIER_VERSION = 4;

export class ClassifierFormatError extends Error {
  constructor(
    readonly code: 'wrong_format' | 'wrong_version' | 'corrupt' | 'no_training_data',
    message: string,
  ) {
    super(message);
    this.name = 'ClassifierFormatError';
  }
}

export interface ClassifierOptions {
  seed: number;
  features: FeatureOptions;
  /** Share of the (squared) vector norm given to the character view; the word view gets the rest. */
  charShare: number;
  /** Share of the classifier input's squared norm given to the sentence vector (0: off, never read). */
  vectorShare: number;
  /** Share given to the WordNet sense view (0 turns it off and WordNet is never read). */
  senseShare: number;
  /** Senses per part of speech a word contributes (WordNet lists the most frequent first). */
  sensesPerPos: number;
  /** A feature must occur in at least this many training examples (applied only to large training sets). */
  minDf: number;
  /** Training examples from which `minDf` applies; below it every feature is kept. */
  minDfFromExamples: number;
  /** SGD passes: at least `minEpochs`, at most `maxEpochs`, aiming at `targetUpdates` example updates. */
  minEpochs: number;
  maxEpochs: number;
  targetUpdates: number;
  learningRate: number;
  /**
   * L2 penalty against the summed loss (loss = Σ cross-entropy + l2/2 ‖W‖², i.e. sklearn's C = 1/l2):
   * the same prior whatever the data size, so a 200-example model is regularised more per example
   * than a 15,000-example one and does not become over-confident.
   */
  l2: number;
  /** Softmax temperature applied at prediction. */
  temperature: number;
  /** Confidence = probability × coverage^coveragePower (coverage: share of words seen in training). */
  coveragePower: number;
  /** Confidence = chance-corrected probability × (similarity to the intent's closest phrasing)^similarityPower. */
  similarityPower: number;
  /** Skip SGD updates of classes whose gradient is below this (a big speed-up, negligible effect). */
  gradSkip: number;
  /** Share of an example's features dropped at random at each SGD step (then re-normalised). */
  dropout: number;
}

export const DEFAULT_CLASSIFIER_OPTIONS: ClassifierOptions = {
  seed: 42,
  features: DEFAULT_FEATURE_OPTIONS,
  charShare: 0.5,
  vectorShare: 0.5,
  senseShare: 0,
  sensesPerPos: 2,
  minDf: 2,
  minDfFromExamples: 2000,
  minEpochs: 15,
  maxEpochs: 300,
  targetUpdates: 30000,
  learningRate: 4,
  l2: 0.015,
  temperature: 1.3,
  coveragePower: 0,
  similarityPower: 0.5,
  gradSkip: 1e-3,
  dropout: 0.5,
};

// ---------------------------------------------------------------------------------------------
// Small utilities


function toBase64(arr: Float32Array): string {
  return Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).toString('base64');
}

function f32(b64: unknown, expected: number, what: string): Float32Array {
  // A worker thread may hand the array over as is (transferred) instead of base64 text.
  if (b64 instanceof Float32Array && b64.length === expected) return b64;
  if (typeof b64 !== 'string') throw new ClassifierFormatError('corrupt', `classifier snapshot: "${what}" is missing`);
  const buf = Buffer.from(b64, 'base64');
  if (buf.byteLength !== expected * 4) {
    throw new ClassifierFormatError('corrupt', `classifier snapshot: "${what}" has ${buf.byteLength / 4} values, expected ${expected}`);
  }
  const out = new Float32Array(expected);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
  /** Number of entries in use (idx/val may be longer buffers). */
  n: number;
  /** Share of word tokens found in the vocabulary. */
  coverage: number;
}

/** z = Wᵀx for feature-major W (C columns); unrolled by 8 features, which cuts memory traffic on z. */
function dot(W: Float32Array, C: number, x: SparseVector, z: Float64Array): void {
  z.fill(0);
  const idx = x.idx;
  const val = x.val;
  const n = x.n;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const b0 = idx[j]! * C;
    const b1 = idx[j + 1]! * C;
    const b2 = idx[j + 2]! * C;
    const b3 = idx[j + 3]! * C;
    const b4 = idx[j + 4]! * C;
    const b5 = idx[j + 5]! * C;
    const b6 = idx[j + 6]! * C;
    const b7 = idx[j + 7]! * C;
    const v0 = val[j]!;
    const v1 = val[j + 1]!;
    const v2 = val[j + 2]!;
    const v3 = val[j + 3]!;
    const v4 = val[j + 4]!;
    const v5 = val[j + 5]!;
    const v6 = val[j + 6]!;
    const v7 = val[j + 7]!;
    for (let c = 0; c < C; c++) {
      z[c]! +=
        v0 * W[b0 + c]! + v1 * W[b1 + c]! + v2 * W[b2 + c]! + v3 * W[b3 + c]! + v4 * W[b4 + c]! + v5 * W[b5 + c]! + v6 * W[b6 + c]! + v7 * W[b7 + c]!;
    }
  }
  for (; j < n; j++) {
    const b = idx[j]! * C;
    const v = val[j]!;
    for (let c = 0; c < C; c++) z[c]! += v * W[b + c]!;
  }
}

// ---------------------------------------------------------------------------------------------
// Vectoriser

/** Word → its sense features ("s:v02211988"), only senses that occur in the training data. */
export type SenseLookup = Map<string, string[]>;

function isStopWord(word: string): boolean {
  return !lunr.stopWordFilter(new lunr.Token(word, {}));
}

/** Sense feature keys of one word or two-word collocation, by the first base form the lookup knows. */
function sensesOf(word: string, lookup: (lemma: string) => readonly string[] | undefined): readonly string[] {
  for (const form of baseForms(word)) {
    const senses = lookup(form);
    if (senses) return senses;
  }
  return [];
}

/** Sense counts of an utterance from its word features: unigrams (not stop words) and bigrams as collocations. */
function senseCounts(word: Map<string, number>, lookup: (lemma: string) => readonly string[] | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const key of word.keys()) {
    let lemma: string;
    if (key.startsWith('w:')) {
      lemma = key.slice(2);
      if (isStopWord(lemma)) continue;
    } else if (key.startsWith('b:') && !key.startsWith('b:^ ') && !key.endsWith(' $')) {
      lemma = key.slice(2).replace(' ', '_');
    } else continue;
    for (const s of sensesOf(lemma, lookup)) out.set(s, 1);
  }
  return out;
}

class Vectorizer {
  constructor(
    readonly options: FeatureOptions,
    readonly charShare: number,
    readonly senseShare: number,
    readonly vocab: Map<string, number>,
    readonly idf: Float32Array,
    readonly senses: SenseLookup,
    readonly vectorShare: number,
    /** Present when vectorShare > 0. */
    readonly vectors: WordVectors | undefined,
  ) {}

  /** Features of the n-gram (sparse) views. */
  get size(): number {
    return this.idf.length;
  }

  /** Features of the classifier input: the sparse views, then the sentence vector's dimensions. */
  get inputSize(): number {
    return this.idf.length + (this.vectors ? this.vectors.dims : 0);
  }

  /**
   * The classifier input: the sparse views scaled to 1 − vectorShare of the squared norm, then the
   * sentence vector (unit length × √vectorShare) at indexes size…size+dims−1. `x` itself when the
   * vector view is off; when no word has a vector, the sparse part alone at its scaled length.
   */
  input(f: FeatureCounts, x: SparseVector): SparseVector {
    if (!this.vectors) return x;
    const sentence = sentenceVector(f.word, this.vectors);
    let norm = 0;
    if (sentence) for (let d = 0; d < sentence.length; d++) norm += sentence[d]! * sentence[d]!;
    const D = norm > 0 ? sentence!.length : 0;
    const idx = new Int32Array(x.n + D);
    const val = new Float32Array(x.n + D);
    const sparseScale = Math.sqrt(1 - this.vectorShare);
    for (let j = 0; j < x.n; j++) {
      idx[j] = x.idx[j]!;
      val[j] = x.val[j]! * sparseScale;
    }
    const denseScale = norm > 0 ? Math.sqrt(this.vectorShare / norm) : 0;
    for (let d = 0; d < D; d++) {
      idx[x.n + d] = this.idf.length + d;
      val[x.n + d] = sentence![d]! * denseScale;
    }
    return { idx, val, n: x.n + D, coverage: x.coverage };
  }

  static fit(counts: readonly FeatureCounts[], o: ClassifierOptions, minDf: number): { vectorizer: Vectorizer; senseCounts: Map<string, number>[] } {
    // Senses of the training words from the full WordNet table; queries later use only the
    // part of it that reaches these senses (kept in the snapshot, so prediction needs no WordNet).
    const table = o.senseShare > 0 ? wordnetSenses() : undefined;
    const pick = (lemma: string): string[] | undefined => {
      const all = table?.get(lemma);
      return all && selectSenses(all, o.sensesPerPos);
    };
    const trainingSenses = counts.map((f) => (table ? senseCounts(f.word, pick) : new Map<string, number>()));
    const df = new Map<string, number>();
    const add = (m: Map<string, number>) => {
      for (const k of m.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    };
    for (let i = 0; i < counts.length; i++) {
      add(counts[i]!.word);
      add(counts[i]!.char);
      add(trainingSenses[i]!);
    }
    const vocab = new Map<string, number>();
    const idfs: number[] = [];
    const n = counts.length;
    for (const [k, d] of df) {
      if (d < minDf && !k.startsWith('s:')) continue;
      vocab.set(k, idfs.length);
      idfs.push(Math.log((1 + n) / (1 + d)) + 1);
    }
    const lookup: SenseLookup = new Map();
    if (table) {
      for (const [lemma, all] of table) {
        const known = selectSenses(all, o.sensesPerPos).filter((s) => vocab.has(s));
        if (known.length > 0) lookup.set(lemma, known);
      }
    }
    const vectors = o.vectorShare > 0 ? wordVectors() : undefined;
    return { vectorizer: new Vectorizer(o.features, o.charShare, o.senseShare, vocab, Float32Array.from(idfs), lookup, o.vectorShare, vectors), senseCounts: trainingSenses };
  }

  transform(text: string): SparseVector {
    return this.transformCounts(extractFeatures(text, this.options));
  }

  transformCounts(f: FeatureCounts, senses?: Map<string, number>): SparseVector {
    const idx: number[] = [];
    const val: number[] = [];
    const view = (counts: Map<string, number>, share: number): void => {
      if (share <= 0) return;
      const start = idx.length;
      let norm = 0;
      for (const [k, c] of counts) {
        const i = this.vocab.get(k);
        if (i === undefined) continue;
        const v = (1 + Math.log(c)) * this.idf[i]!;
        idx.push(i);
        val.push(v);
        norm += v * v;
      }
      if (norm > 0) {
        const scale = Math.sqrt(share) / Math.sqrt(norm);
        for (let j = start; j < val.length; j++) val[j]! *= scale;
      }
    };
    view(f.word, 1 - this.charShare - this.senseShare);
    view(f.char, this.charShare);
    if (this.senseShare > 0) view(senses ?? senseCounts(f.word, (lemma) => this.senses.get(lemma)), this.senseShare);
    let tokens = 0;
    let known = 0;
    for (const [k, c] of f.word) {
      if (!k.startsWith('w:')) continue;
      tokens += c;
      if (this.vocab.has(k)) known += c;
    }
    return { idx: Int32Array.from(idx), val: Float32Array.from(val), n: idx.length, coverage: tokens === 0 ? 1 : known / tokens };
  }
}

/** The first `perPos` senses of each part of speech (WordNet lists the most frequent first). */
function selectSenses(all: readonly string[], perPos: number): string[] {
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (const id of all) {
    const pos = id[0]!;
    const n = seen.get(pos) ?? 0;
    if (n >= perPos) continue;
    seen.set(pos, n + 1);
    out.push('s:' + id);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Model

interface ModelParts {
  options: ClassifierOptions;
  intents: string[];
  vectorizer: Vectorizer;
  /** Feature-major weights: W[f * C + c]. */
  weights: Float32Array;
  bias: Float32Array;
  /** The training phrasings and their intent indexes, for the nearest-neighbour signal. */
  texts: string[];
  labels: Int32Array;
  /** Their vectors when the caller has them already (training); otherwise rebuilt from `texts`. */
  vectors?: SparseVector[];
}

/** Raw scores for one utterance, exposed for evaluation and tuning. */
export interface RawScores {
  /** Softmax probability per intent (temperature applied). */
  prob: Float64Array;
  /** Share of the utterance's words that occur in the training data (1 for an empty utterance). */
  coverage: number;
  /** Per intent: cosine similarity to its closest training phrasing. */
  sim: Float64Array;
}

class LinearIntentClassifier implements IntentClassifier {
  readonly intents: readonly string[];
  private readonly z: Float64Array;
  private readonly probBuffer: Float64Array;
  private readonly simBuffer: Float64Array;
  private readonly neighbours: NeighbourIndex;

  /** For packTrainingVectors (same module). */
  parts(): ModelParts {
    return this.m;
  }

  constructor(private readonly m: ModelParts) {
    this.intents = Object.freeze([...m.intents]);
    this.z = new Float64Array(m.intents.length);
    this.probBuffer = new Float64Array(m.intents.length);
    this.simBuffer = new Float64Array(m.intents.length);
    const vectors = m.vectors ?? m.texts.map((t) => m.vectorizer.transform(t));
    this.neighbours = new NeighbourIndex(vectors, m.labels, m.vectorizer.size, m.intents.length);
    delete m.vectors;
  }

  /** Softmax probabilities and vocabulary coverage; never throws. `prob` is written into `out`. */
  raw(text: string, out: Float64Array = new Float64Array(this.intents.length), simOut: Float64Array = new Float64Array(this.intents.length)): RawScores {
    const { weights, bias } = this.m;
    const C = this.intents.length;
    const f = extractFeatures(typeof text === 'string' ? text : '', this.m.vectorizer.options);
    const x = this.m.vectorizer.transformCounts(f);
    const z = this.z;
    dot(weights, C, this.m.vectorizer.input(f, x), z);
    const T = this.m.options.temperature;
    let max = -Infinity;
    for (let c = 0; c < C; c++) {
      z[c]! += bias[c]!;
      if (z[c]! > max) max = z[c]!;
    }
    const prob = out;
    let sum = 0;
    for (let c = 0; c < C; c++) {
      const e = Math.exp((z[c]! - max) / T);
      prob[c] = e;
      sum += e;
    }
    for (let c = 0; c < C; c++) prob[c]! /= sum;
    return { prob, coverage: x.coverage, sim: this.neighbours.nearest(x, simOut) };
  }

  predict(text: string, k = 3): IntentScore[] {
    const C = this.intents.length;
    if (C === 0) return [];
    const want = Math.max(1, Math.min(C, Number.isFinite(k) ? Math.floor(k) : 3));
    let r: RawScores;
    try {
      r = this.raw(text, this.probBuffer, this.simBuffer);
    } catch {
      return [];
    }
    const { prob, sim } = r;
    const damp = Math.pow(r.coverage, this.m.options.coveragePower);
    // Partial insertion selection of the `want` best by probability, ties to the lower index (no full sort).
    const best: number[] = [];
    for (let c = 0; c < C; c++) {
      const p = prob[c]!;
      if (best.length === want && p <= prob[best[want - 1]!]!) continue;
      let i = best.length < want ? best.length : want - 1;
      while (i > 0 && prob[best[i - 1]!]! < p) {
        best[i] = best[i - 1]!;
        i--;
      }
      best[i] = c;
    }
    // Chance-corrected: 0 at the uniform probability 1/C, so 6 intents and 150 intents share one scale.
    // Softmax alone says which topic fits best, not whether any fits: with 6 topics an unrelated
    // question still gets most of the mass. The similarity to the intent's closest phrasing says
    // that, whatever the number of topics; the product keeps one threshold valid from 6 to 150.
    const chance = C > 1 ? 1 / C : 0;
    const support = this.m.options.similarityPower;
    return best
      .map((c) => ({ intent: this.intents[c]!, confidence: clamp01(((prob[c]! * damp - chance) / (1 - chance)) * Math.pow(sim[c]!, support)) }))
      .sort((a, b) => b.confidence - a.confidence);
  }

  toJSON(): SerializedClassifier {
    const m = this.m;
    const keys = new Array<string>(m.vectorizer.size);
    for (const [key, i] of m.vectorizer.vocab) keys[i] = key;
    return {
      format: CLASSIFIER_FORMAT,
      version: CLASSIFIER_VERSION,
      options: m.options,
      intents: m.intents,
      vocab: keys,
      idf: toBase64(m.vectorizer.idf),
      weights: toBase64(m.weights),
      bias: toBase64(m.bias),
      texts: m.texts,
      labels: Array.from(m.labels),
      senses: Object.fromEntries(m.vectorizer.senses),
    };
  }
}

function clamp01(v: number): number {
  return v > 0 ? (v < 1 ? v : 1) : 0;
}

// ---------------------------------------------------------------------------------------------
// Training

export function trainClassifier(examples: readonly TrainingExample[], options: Partial<ClassifierOptions> = {}): IntentClassifier {
  const o: ClassifierOptions = { ...DEFAULT_CLASSIFIER_OPTIONS, ...options, features: { ...DEFAULT_FEATURE_OPTIONS, ...options.features } };
  const clean = examples.filter((e) => typeof e.text === 'string' && typeof e.intent === 'string' && e.text.trim() !== '' && e.intent !== '');
  if (clean.length === 0) throw new ClassifierFormatError('no_training_data', 'trainClassifier: no training examples');

  const intents = [...new Set(clean.map((e) => e.intent))].sort();
  const intentIndex = new Map(intents.map((name, i) => [name, i]));
  const C = intents.length;
  const N = clean.length;
  const minDf = N >= o.minDfFromExamples ? o.minDf : 1;
  const counts = clean.map((e) => extractFeatures(e.text, o.features));
  const { vectorizer } = Vectorizer.fit(counts, o, minDf);
  const F = vectorizer.inputSize;
  const sparse = counts.map((f) => vectorizer.transformCounts(f));
  const xs = sparse.map((x, i) => vectorizer.input(counts[i]!, x));
  const ys = Int32Array.from(clean, (e) => intentIndex.get(e.intent)!);

  // Class-balanced example weights: every intent carries the same total weight.
  const perClass = new Float64Array(C);
  for (const y of ys) perClass[y]!++;
  const exWeight = Float64Array.from(ys, (y) => N / (C * perClass[y]!));

  // Softmax regression by SGD. W = scale × V so the L2 decay is O(1) per step (Bottou's trick).
  const V = new Float32Array(F * C);
  const bias = new Float32Array(C);
  let scale = 1;
  const random = rng(o.seed);
  const order = Int32Array.from({ length: N }, (_, i) => i);
  const lambda = Math.min(0.1, o.l2 / N);
  const epochs = Math.max(o.minEpochs, Math.min(o.maxEpochs, Math.ceil(o.targetUpdates / N)));
  const totalSteps = epochs * N;
  const z = new Float64Array(C);
  const active = new Int32Array(C);
  let maxNnz = 0;
  for (const x of xs) maxNnz = Math.max(maxNnz, x.idx.length);
  const dropIdx = new Int32Array(maxNnz);
  const dropVal = new Float32Array(maxNnz);
  const dropped: SparseVector = { idx: dropIdx, val: dropVal, n: 0, coverage: 1 };
  const step_ = new Float64Array(C);
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = N - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (let n = 0; n < N; n++) {
      const ex = order[n]!;
      let x = xs[ex]!;
      const y = ys[ex]!;
      if (o.dropout > 0) {
        let m = 0;
        let norm = 0;
        for (let j = 0; j < x.n; j++) {
          if (random() < o.dropout) continue;
          dropIdx[m] = x.idx[j]!;
          dropVal[m] = x.val[j]!;
          norm += x.val[j]! * x.val[j]!;
          m++;
        }
        const k = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        for (let j = 0; j < m; j++) dropVal[j]! *= k;
        dropped.n = m;
        x = dropped;
      }
      // Linearly decaying step size.
      const lr = o.learningRate * (1 - step / totalSteps) + 1e-4;
      step++;
      dot(V, C, x, z);
      let max = -Infinity;
      for (let c = 0; c < C; c++) {
        z[c] = z[c]! * scale + bias[c]!;
        if (z[c]! > max) max = z[c]!;
      }
      let sum = 0;
      for (let c = 0; c < C; c++) {
        z[c] = Math.exp(z[c]! - max);
        sum += z[c]!;
      }
      scale *= 1 - lr * lambda;
      const w = exWeight[ex]!;
      let nAct = 0;
      for (let c = 0; c < C; c++) {
        const g = (z[c]! / sum - (c === y ? 1 : 0)) * w;
        if (g > -o.gradSkip && g < o.gradSkip) continue;
        bias[c]! -= lr * g;
        active[nAct] = c;
        step_[nAct] = (lr * g) / scale;
        nAct++;
      }
      for (let j = 0; j < x.n; j++) {
        const base = x.idx[j]! * C;
        const v = x.val[j]!;
        for (let a = 0; a < nAct; a++) V[base + active[a]!]! -= step_[a]! * v;
      }
      if (scale < 1e-3) {
        for (let i = 0; i < V.length; i++) V[i]! *= scale;
        scale = 1;
      }
    }
  }
  for (let i = 0; i < V.length; i++) V[i]! *= scale;

  return new LinearIntentClassifier({
    options: o,
    intents,
    vectorizer,
    weights: V,
    bias,
    texts: clean.map((e) => e.text),
    labels: ys,
    vectors: sparse,
  });
}

// ---------------------------------------------------------------------------------------------
// Loading

/**
 * The training phrasings' vectors, packed into three typed arrays (CSR) so a worker thread can
 * hand them over without copying (transfer list) and the loading thread need not re-vectorise
 * every phrasing for the nearest-neighbour index. Undefined for a classifier of another kind.
 */
export interface PackedVectors {
  offsets: Int32Array;
  idx: Int32Array;
  val: Float32Array;
}

export function packTrainingVectors(classifier: IntentClassifier): PackedVectors | undefined {
  if (!(classifier instanceof LinearIntentClassifier)) return undefined;
  const m = classifier.parts();
  const vectors = m.texts.map((t) => m.vectorizer.transform(t));
  const offsets = new Int32Array(vectors.length + 1);
  vectors.forEach((v, i) => (offsets[i + 1] = offsets[i]! + v.n));
  const idx = new Int32Array(offsets[vectors.length]!);
  const val = new Float32Array(offsets[vectors.length]!);
  vectors.forEach((v, i) => {
    idx.set(v.idx.subarray(0, v.n), offsets[i]!);
    val.set(v.val.subarray(0, v.n), offsets[i]!);
  });
  return { offsets, idx, val };
}

function unpack(p: PackedVectors, count: number): SparseVector[] | undefined {
  if (p.offsets.length !== count + 1) return undefined;
  return Array.from({ length: count }, (_, i) => {
    const from = p.offsets[i]!;
    const to = p.offsets[i + 1]!;
    return { idx: p.idx.subarray(from, to), val: p.val.subarray(from, to), n: to - from, coverage: 1 };
  });
}

export function loadClassifier(json: SerializedClassifier, packed?: PackedVectors): IntentClassifier {
  if (typeof json !== 'object' || json === null) throw new ClassifierFormatError('wrong_format', 'classifier snapshot must be an object');
  if (json.format !== CLASSIFIER_FORMAT) {
    throw new ClassifierFormatError('wrong_format', `not an intent classifier snapshot: format is ${JSON.stringify(json.format)}, expected "${CLASSIFIER_FORMAT}"`);
  }
  if (json.version !== CLASSIFIER_VERSION) {
    throw new ClassifierFormatError(
      'wrong_version',
      `intent classifier snapshot version ${JSON.stringify(json.version)} is not supported (this build reads version ${CLASSIFIER_VERSION}); retrain the classifier`,
    );
  }
  const intents = json.intents;
  const vocabKeys = json.vocab;
  const opts = json.options as ClassifierOptions | undefined;
  if (!Array.isArray(intents) || !intents.every((s) => typeof s === 'string')) throw new ClassifierFormatError('corrupt', 'classifier snapshot: "intents" must be a list of names');
  if (!Array.isArray(vocabKeys) || !vocabKeys.every((s) => typeof s === 'string')) throw new ClassifierFormatError('corrupt', 'classifier snapshot: "vocab" must be a list of strings');
  if (typeof opts !== 'object' || opts === null) throw new ClassifierFormatError('corrupt', 'classifier snapshot: "options" is missing');
  const options: ClassifierOptions = { ...DEFAULT_CLASSIFIER_OPTIONS, ...opts, features: { ...DEFAULT_FEATURE_OPTIONS, ...opts.features } };
  const C = intents.length;
  const vocab = new Map<string, number>();
  vocabKeys.forEach((k: string, i: number) => vocab.set(k, i));
  const idf = f32(json.idf, vocabKeys.length, 'idf');
  const texts = json.texts;
  const labels = json.labels;
  if (!Array.isArray(texts) || !texts.every((t) => typeof t === 'string')) throw new ClassifierFormatError('corrupt', 'classifier snapshot: "texts" must be a list of phrasings');
  if (!Array.isArray(labels) || labels.length !== texts.length || !labels.every((l) => Number.isInteger(l) && l >= 0 && l < C)) {
    throw new ClassifierFormatError('corrupt', 'classifier snapshot: "labels" must give an intent index for every phrasing');
  }
  const senses = json.senses;
  if (typeof senses !== 'object' || senses === null || Array.isArray(senses)) throw new ClassifierFormatError('corrupt', 'classifier snapshot: "senses" must be a mapping');
  const vectorizer = new Vectorizer(
    options.features,
    options.charShare,
    options.senseShare,
    vocab,
    idf,
    new Map(Object.entries(senses as Record<string, string[]>)),
    options.vectorShare,
    options.vectorShare > 0 ? wordVectors() : undefined,
  );
  return new LinearIntentClassifier({
    options,
    intents: intents as string[],
    vectorizer,
    weights: f32(json.weights, vectorizer.inputSize * C, 'weights'),
    bias: f32(json.bias, C, 'bias'),
    texts: texts as string[],
    labels: Int32Array.from(labels as number[]),
    ...(packed ? { vectors: unpack(packed, texts.length) } : {}),
  });
}

/** Raw softmax/nearest-neighbour scores of a classifier built here (for evaluation and tuning). */
export function rawScores(classifier: IntentClassifier, text: string): RawScores | undefined {
  return classifier instanceof LinearIntentClassifier ? classifier.raw(text) : undefined;
}
