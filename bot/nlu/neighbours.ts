/**
 * Nearest training phrasing per intent: the cosine similarity between a question and the
 * closest phrasing of each intent, through an inverted index over the (L2-normalised) sparse
 * training vectors. With a handful of phrasings per topic, "this is almost what someone else
 * typed" is evidence the linear model alone under-uses; and a question close to no phrasing at
 * all is the clearest sign that the help centre does not cover it.
 */
export interface Sparse {
  idx: Int32Array;
  val: Float32Array;
  n: number;
}

/** Posting lists are never cut below this length (small help centres keep every feature). */
const MIN_POSTINGS_CAP = 1000;
/** Above MIN_POSTINGS_CAP, a feature is indexed while it occurs in at most this share of phrasings. */
const POSTINGS_SHARE = 0.02;

export class NeighbourIndex {
  private readonly start: Int32Array;
  private readonly example: Int32Array;
  private readonly value: Float32Array;
  private readonly sims: Float32Array;

  /**
   * `vectors[i]` is a phrasing of intent `labels[i]`; `features` is the vocabulary size.
   * Features in more than `maxPostings` phrasings are left out of the index: with 15,000
   * phrasings a few character n-grams (" a", "e ") reach thousands of them and would cost most
   * of the prediction time, while their low IDF weight barely moves any similarity.
   */
  constructor(
    vectors: readonly Sparse[],
    private readonly labels: Int32Array,
    features: number,
    private readonly intents: number,
    maxPostings = Math.max(MIN_POSTINGS_CAP, Math.ceil(vectors.length * POSTINGS_SHARE)),
  ) {
    const count = new Int32Array(features + 1);
    for (const v of vectors) for (let j = 0; j < v.n; j++) count[v.idx[j]! + 1]!++;
    for (let f = 1; f <= features; f++) if (count[f]! > maxPostings) count[f] = 0;
    const indexed = count.map((n) => (n > 0 ? 1 : 0));
    for (let f = 0; f < features; f++) count[f + 1]! += count[f]!;
    this.start = count.slice();
    const fill = count.slice(0, features);
    this.example = new Int32Array(this.start[features]!);
    this.value = new Float32Array(this.start[features]!);
    vectors.forEach((v, i) => {
      for (let j = 0; j < v.n; j++) {
        if (indexed[v.idx[j]! + 1] === 0) continue;
        const at = fill[v.idx[j]!]!++;
        this.example[at] = i;
        this.value[at] = v.val[j]!;
      }
    });
    this.sims = new Float32Array(vectors.length);
  }

  /** Max similarity per intent, written into `out` (length = intents). */
  nearest(x: Sparse, out: Float64Array): Float64Array {
    const sims = this.sims;
    sims.fill(0);
    for (let j = 0; j < x.n; j++) {
      const f = x.idx[j]!;
      const v = x.val[j]!;
      const end = this.start[f + 1]!;
      for (let p = this.start[f]!; p < end; p++) sims[this.example[p]!]! += v * this.value[p]!;
    }
    out.fill(0);
    const labels = this.labels;
    for (let i = 0; i < sims.length; i++) {
      const c = labels[i]!;
      if (sims[i]! > out[c]!) out[c] = sims[i]!;
    }
    for (let c = 0; c < this.intents; c++) if (out[c]! > 1) out[c] = 1;
    return out;
  }
}
