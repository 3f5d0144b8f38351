/**
 * Symmetric-delete index (the SymSpell idea): every word is filed under itself and each of its
 * one-letter deletions. Two words within one edit (insert, delete, substitute, adjacent swap)
 * share a key, so the words near a typo are found with a few map lookups instead of an
 * edit-distance scan of the whole vocabulary. Used by search (stemmed terms) and by the
 * matcher's spelling correction (surface words).
 */
export class OneEditIndex {
  private readonly byKey = new Map<string, string[]>();

  add(word: string): void {
    for (const key of keys(word)) {
      const list = this.byKey.get(key);
      if (!list) this.byKey.set(key, [word]);
      // A word's own keys repeat when a letter is doubled ("bill" → "bil" twice): file it once.
      else if (list[list.length - 1] !== word) list.push(word);
    }
  }

  /** The filed words within one edit of `term` (itself included), each once, at most `limit`. */
  near(term: string, limit = Number.POSITIVE_INFINITY): string[] {
    const found = new Set<string>();
    for (const key of keys(term)) {
      for (const word of this.byKey.get(key) ?? []) {
        found.add(word);
        if (found.size >= limit) return [...found];
      }
    }
    return [...found];
  }
}

/** The word itself and each of its one-letter deletions. */
function keys(word: string): string[] {
  const out = [word];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}
