import { rng } from '../bot/nlu/random';
import type { Article } from '../knowledge/types';



const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'do', 'fi', 'gu', 'ha', 'je', 'qu', 'ro', 'su', 'ta', 'wi', 'xe', 'yo', 'bra', 'tri', 'sten', 'mor', 'lin', 'dar', 'vel', 'kon'];

/** A vocabulary of pronounceable pseudo-words, Zipf-weighted like real text. */
export function vocabulary(size: number, random: () => number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const n = 2 + Math.floor(random() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

function zipfPick(vocab: string[], random: () => number): string {
  // Inverse-CDF approximation of a Zipf(1) distribution over ranks.
  const r = Math.floor(Math.exp(random() * Math.log(vocab.length)));
  return vocab[Math.min(vocab.length - 1, r - 1 < 0 ? 0 : r - 1)]!;
}

export function syntheticHelpCentre(count: number, seed = 7): Article[] {
  const random = rng(seed);
  const vocab = vocabulary(Math.min(50_000, 2_000 + count), random);
  const pick = (n: number) => Array.from({ length: n }, () => zipfPick(vocab, random));
  // Titles use uniformly chosen words: like real titles, they are what makes an article distinct.
  const distinct = (n: number) => Array.from({ length: n }, () => vocab[Math.floor(random() * vocab.length)]!);
  return Array.from({ length: count }, (_, i) => {
    const title = distinct(4 + Math.floor(random() * 3)).join(' ');
    const headings = [distinct(3).join(' '), distinct(3).join(' ')];
    const body = `## ${headings[0]}\n${pick(40).join(' ')} ${title}.\n\n## ${headings[1]}\n${pick(40).join(' ')}`;
    return {
      id: `a${i}`,
      title,
      category: `c${i % 12}`,
      tags: distinct(3),
      locale: 'en',
      summary: pick(12).join(' '),
      intents: [],
      body,
      headings,
    };
  });
}

function typo(word: string, random: () => number): string {
  if (word.length < 5) return word;
  const i = 1 + Math.floor(random() * (word.length - 2));
  const kind = Math.floor(random() * 3);
  if (kind === 0) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // swap
  if (kind === 1) return word.slice(0, i) + word.slice(i + 1); // drop
  return word.slice(0, i) + word[i] + word.slice(i); // double
}

/** Queries a customer might type: a few title and body words, one of them misspelt half the time. */
export function syntheticQueries(articles: Article[], count: number, seed = 11): { text: string; articleId: string }[] {
  const random = rng(seed);
  return Array.from({ length: count }, () => {
    const a = articles[Math.floor(random() * articles.length)]!;
    const titleWords = a.title.split(' ');
    const words = [...titleWords.slice(0, 2 + Math.floor(random() * 2)), titleWords[titleWords.length - 1]!];
    if (random() < 0.5) {
      const j = Math.floor(random() * words.length);
      words[j] = typo(words[j]!, random);
    }
    return { text: words.join(' '), articleId: a.id };
  });
}

/** Plain English off-topic words: none is in the synthetic vocabulary, so nothing should match. */
const OFF_TOPIC = ['hello', 'speak', 'human', 'weather', 'tomorrow', 'pizza', 'guitar', 'holiday', 'football', 'recipe', 'mountain', 'birthday', 'painting', 'garden', 'coffee', 'traffic', 'museum', 'ticket', 'jacket', 'window'];

/** Questions the help centre cannot answer: the slow path (every word unknown, then the fallback). */
export function missQueries(count: number, seed = 13): string[] {
  const random = rng(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(random() * 4) }, () => OFF_TOPIC[Math.floor(random() * OFF_TOPIC.length)]!).join(' '),
  );
}
