/**
 * Text normalisation and feature extraction for the intent classifier.
 *
 * Everything here is total: any JS string (empty, 100 KB, lone surrogates, emoji,
 * right-to-left scripts, control characters) yields a (possibly empty) result and never throws.
 */

/** Only the first this-many UTF-16 units are analysed, so a 100 KB paste costs as much as a paragraph. */
export const MAX_INPUT_CHARS = 1000;
/** Longer "words" (URLs, base64 blobs) are cut; their n-grams add nothing. */
export const MAX_WORD_CHARS = 30;
/** Most words analysed per utterance. */
export const MAX_WORDS = 64;

const COMBINING_MARKS = /\p{M}+/gu;
// Control, format (zero-width, bidi marks), unassigned/surrogate and private-use characters.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]+/gu;
const APOSTROPHES = /['\u2019\u02bc`´]/g;
const NON_WORD = /[^\p{L}\p{N}]+/u;

/** Lowercase, NFKD accent folding, invisible characters removed, length capped. */
export function normalize(text: unknown): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  let s = text.length > MAX_INPUT_CHARS ? text.slice(0, MAX_INPUT_CHARS) : text;
  // Lone surrogates (e.g. one half of an emoji cut above) match \p{Cs} and go with the rest.
  s = s.replace(INVISIBLE, ' ');
  s = s.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
  return s;
}

/** Word tokens of normalised text: letters and digits only, "what's" → "whats". */
export function words(text: unknown): string[] {
  const s = normalize(text).replace(APOSTROPHES, '');
  const out: string[] = [];
  for (const raw of s.split(NON_WORD)) {
    if (raw.length === 0) continue;
    out.push(raw.length > MAX_WORD_CHARS ? raw.slice(0, MAX_WORD_CHARS) : raw);
    if (out.length >= MAX_WORDS) break;
  }
  return out;
}

export interface FeatureOptions {
  /** Smallest and largest character n-gram, taken inside " word " (padded by one space). */
  charMin: number;
  charMax: number;
  /** Word bigrams (with sentence start/end markers) in addition to unigrams. */
  wordBigrams: boolean;
  /** Character n-grams over the whole utterance (crossing word boundaries) instead of inside each word. */
  charAcross: boolean;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { charMin: 2, charMax: 5, wordBigrams: true, charAcross: false };

/**
 * Raw feature counts of one utterance, in two views: word n-grams and character n-grams.
 * Keys are prefixed so the views never collide ("w:" unigram, "b:" bigram, "c:" char n-gram).
 */
export interface FeatureCounts {
  word: Map<string, number>;
  char: Map<string, number>;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export function extractFeatures(text: unknown, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): FeatureCounts {
  const toks = words(text);
  const word = new Map<string, number>();
  const char = new Map<string, number>();
  const units = options.charAcross ? [toks.join(' ')] : toks;
  for (const w of toks) bump(word, 'w:' + w);
  if (options.charMax > 0) for (let i = 0; i < units.length; i++) {
    const w = units[i]!;
    if (w.length === 0) continue;
    const padded = ' ' + w + ' ';
    const L = padded.length;
    for (let n = options.charMin; n <= options.charMax; n++) {
      if (n > L) break;
      for (let j = 0; j + n <= L; j++) bump(char, 'c:' + padded.slice(j, j + n));
    }
  }
  if (options.wordBigrams && toks.length > 0) {
    bump(word, 'b:^ ' + toks[0]);
    for (let i = 0; i + 1 < toks.length; i++) bump(word, 'b:' + toks[i] + ' ' + toks[i + 1]);
    bump(word, 'b:' + toks[toks.length - 1] + ' $');
  }
  return { word, char };
}
