import lunr from 'lunr';
import { words } from '../../knowledge/text';

export interface UnansweredGroup {
  /** The most frequent wording in the group. */
  text: string;
  count: number;
  examples: string[];
}

/** Content words, stemmed: "Cancelling my plans?" and "cancel plan" share {cancel, plan}. */
function signature(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of words(text)) {
    const token = new lunr.Token(w, {});
    if (!lunr.stopWordFilter(token)) continue;
    out.add(lunr.stemmer(token).toString());
  }
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Group the questions the bot could not answer by similar wording (greedy clustering on
 * Jaccard similarity of stemmed content words), biggest groups first: the content gaps.
 */
export function groupUnanswered(questions: string[], options: { similarity?: number; limit?: number } = {}): UnansweredGroup[] {
  const similarity = options.similarity ?? 0.5;
  const groups: { sig: Set<string>; texts: Map<string, number>; count: number }[] = [];
  for (const raw of questions) {
    const text = raw.replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const sig = signature(text);
    if (sig.size === 0) continue;
    let best: (typeof groups)[number] | undefined;
    let bestScore = 0;
    for (const g of groups) {
      const s = jaccard(sig, g.sig);
      if (s > bestScore) [best, bestScore] = [g, s];
    }
    if (best && bestScore >= similarity) {
      best.count++;
      best.texts.set(text, (best.texts.get(text) ?? 0) + 1);
    } else {
      groups.push({ sig, texts: new Map([[text, 1]]), count: 1 });
    }
  }
  return groups
    .sort((a, b) => b.count - a.count)
    .slice(0, options.limit ?? 20)
    .map((g) => {
      const ranked = [...g.texts.entries()].sort((a, b) => b[1] - a[1]).map(([t]) => t);
      return { text: ranked[0]!, count: g.count, examples: ranked.slice(0, 5) };
    });
}
