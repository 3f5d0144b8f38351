/**
 * Text normalisation shared by indexing and querying. Both sides must fold the same way,
 * otherwise `réinitialiser` in an article and `reinitialiser` in a question never meet.
 */

/** Longest text we analyse. A 100 KB paste costs the same as a long paragraph. */
export const MAX_ANALYSED_CHARS = 2000;
/** Most query terms we send to lunr; more terms only add noise and latency. */
export const MAX_QUERY_TERMS = 24;
const MAX_TERM_LENGTH = 40;

const COMBINING_MARKS = /\p{M}+/gu;
// Anything that is not a letter or digit separates words, which also removes every lunr
// operator (`:` `~` `^` `*` `+` `-`) before a query is built.
const NON_WORD = /[^\p{L}\p{N}]+/gu;

/** Lowercase and strip diacritics: "Réinitialiser" → "reinitialiser". */
export function foldAccents(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
}

/** Split folded text into word tokens; never throws, whatever the input. */
export function words(text: string, maxChars = MAX_ANALYSED_CHARS): string[] {
  const folded = foldAccents(text.slice(0, maxChars));
  const out: string[] = [];
  for (const raw of folded.split(NON_WORD)) {
    if (raw.length === 0) continue;
    out.push(raw.length > MAX_TERM_LENGTH ? raw.slice(0, MAX_TERM_LENGTH) : raw);
  }
  return out;
}
