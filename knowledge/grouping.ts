import lunr from 'lunr';
import { words } from './text';

const stem = (w: string) => lunr.stemmer(new lunr.Token(w, {})).toString();

/** The telling words of a question, stemmed ("Can I import my projects from Trello?" → import project trello). */
export function wordingKey(text: string): Set<string> {
  const content = words(text).filter((w) => lunr.stopWordFilter(new lunr.Token(w, {})));
  return new Set((content.length ? content : words(text)).map(stem));
}

export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Two wordings this similar (Jaccard over telling stems) are the same question asked again. */
export const SAME_QUESTION = 0.5;

export interface Grouped<T> {
  key: string;
  words: Set<string>;
  items: T[];
}

/**
 * Groups items by similar wording, greedily: each item joins the first group whose first item's
 * wording is similar enough, otherwise starts one. The key is the first item's sorted stems, so
 * the same wording gives the same key on every instance and every call.
 */
export function groupByWording<T>(items: readonly T[], textOf: (item: T) => string): Grouped<T>[] {
  const groups: Grouped<T>[] = [];
  for (const item of items) {
    const w = wordingKey(textOf(item));
    const group = groups.find((g) => similarity(g.words, w) >= SAME_QUESTION);
    if (group) group.items.push(item);
    else groups.push({ key: [...w].sort().join(' ') || textOf(item).toLowerCase().trim().slice(0, 80), words: w, items: [item] });
  }
  return groups;
}
