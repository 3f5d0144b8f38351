/**
 * Spelling correction of a customer's question against the help centre's own words, for the
 * matcher's second look when the question as typed gets no answer ("how do i chnage my emial").
 *
 * Why here and not only in search: the classifier's character n-grams forgive one typo in a long
 * question but not two in a short one, and search corrects stemmed terms ("chnage" is two edits
 * from the stem "chang"). Correcting surface words first gives both the words they were taught.
 *
 * A word is corrected only when it is neither in the English word list nor in what the editors
 * wrote (so a real word or a product name is never "fixed" into a word it merely resembles), has
 * at least MIN_LENGTH letters, and is one edit (insert, delete, substitute, swap) from a
 * help-centre word used more often than it; among several, the word the help centre uses most
 * wins. A name the help centre never uses ("trello") has no such neighbour and stays as typed.
 */
import { OneEditIndex } from '../knowledge/one-edit';
import { foldAccents, MAX_ANALYSED_CHARS, words } from '../knowledge/text';

const MIN_LENGTH = 4;
const LETTERS = /\p{L}+/gu;

export class Spelling {
  private readonly nearby = new OneEditIndex();
  private readonly frequency = new Map<string, number>();
  /** Words the editors wrote (titles, headings, tags): spelt as meant, never corrected ("Entra"). */
  private readonly edited = new Set<string>();

  /**
   * `edited`: what the help centre's editors wrote (titles, summaries, headings, tags);
   * `phrasings`: the customer phrasings it was taught, typos included; `isWord`: whether a word is
   * ordinary English, which is never corrected either.
   */
  constructor(
    edited: Iterable<string>,
    phrasings: Iterable<string>,
    private readonly isWord: (word: string) => boolean,
  ) {
    const count = (text: string, byEditors: boolean) => {
      for (const w of words(text)) {
        this.frequency.set(w, (this.frequency.get(w) ?? 0) + 1);
        if (byEditors) this.edited.add(w);
      }
    };
    for (const text of edited) count(text, true);
    for (const text of phrasings) count(text, false);
    for (const word of this.frequency.keys()) if (word.length >= MIN_LENGTH - 1 && /^\p{L}+$/u.test(word)) this.nearby.add(word);
  }

  /** The help-centre word a misspelt word stands for, or undefined. */
  wordFor(word: string): string | undefined {
    if (word.length < MIN_LENGTH || this.isWord(word) || this.edited.has(word)) return undefined;
    // A help centre's phrasings keep customers' typos on purpose ("chnage payment card"): such a
    // word still gives way to a more frequent help-centre word one edit away.
    let best: string | undefined;
    let most = this.frequency.get(word) ?? 0;
    for (const candidate of this.nearby.near(word)) {
      const n = this.frequency.get(candidate)!;
      if (n > most) {
        best = candidate;
        most = n;
      }
    }
    return best;
  }

  /** `text` with every correctable word replaced (lower case); `text` itself when none is. */
  correct(text: string): string {
    if (text.length > MAX_ANALYSED_CHARS) return text;
    let changed = false;
    const out = text.replace(LETTERS, (raw) => {
      const fixed = this.wordFor(foldAccents(raw));
      if (fixed === undefined) return raw;
      changed = true;
      return fixed;
    });
    return changed ? out : text;
  }
}
