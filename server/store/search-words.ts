/**
 * The words of the ticket search, cut in one place for both backends.
 *
 * SQLite's FTS5 tokenisers and PostgreSQL's text-search parser disagree on where words end
 * (PostgreSQL keeps `grace@navy.test` and `v1.2` whole, FTS5 splits them) and PostgreSQL cannot
 * drop accents without an extension. So the words are cut here, once, and both indexes take
 * them verbatim (FTS5's `ascii` tokeniser on space-separated words, PostgreSQL's
 * `array_to_tsvector`): the same input finds the same tickets on either backend.
 *
 * A word is a run of letters and digits, lower-cased, without accents ("Réclamation" →
 * "reclamation"). Limit: scripts written without spaces (Chinese, Japanese) are one word per
 * run, so only a search for the start of a run finds it.
 */

/** Longer runs are cut: nobody types them, and PostgreSQL refuses lexemes over 2 KB. */
const MAX_WORD_CHARS = 64;
/** A search uses at most this many words (the rest of a pasted paragraph adds nothing). */
export const MAX_QUERY_WORDS = 8;

export function searchWords(text: string): string[] {
  const folded = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ς/g, 'σ');
  const words = folded.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.map((w) => (w.length > MAX_WORD_CHARS ? Array.from(w).slice(0, MAX_WORD_CHARS).join('') : w));
}

/** The words as stored in an index row: separated by single spaces, nothing else. */
export const indexText = (texts: (string | null | undefined)[]): string => texts.flatMap((t) => (t ? searchWords(t) : [])).join(' ');

/**
 * What a person typed in the search box, as words: every word must match, the last one as a
 * prefix (results follow the typing). Query syntax of either engine (`"`, `*`, `NEAR(`, `-`,
 * `:`, `&`, `!`) is not a letter or digit, so it never reaches the engine.
 */
export function queryWords(query: string): string[] {
  return searchWords(query).slice(0, MAX_QUERY_WORDS);
}

/** FTS5 MATCH text: quoted words (implicitly AND), the last with `*`; `column` limits every word to it. */
export function fts5Query(words: string[], column?: string): string {
  const on = column ? `${column} : ` : '';
  return words.map((w, i) => `${on}"${w}"${i === words.length - 1 ? '*' : ''}`).join(' AND ');
}

/** PostgreSQL tsquery text: quoted lexemes ANDed, the last with `:*` (a prefix). */
export function tsQuery(words: string[]): string {
  return words.map((w, i) => `'${w}'${i === words.length - 1 ? ':*' : ''}`).join(' & ');
}
