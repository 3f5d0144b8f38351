import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { parseArticle } from '../../knowledge/articles';
import { KnowledgeError } from '../../knowledge/errors';
import { markdownFiles } from '../../knowledge/load';
import { parseRasaNlu } from '../../knowledge/rasa';
import { categoryName } from '../help/pages';
import { ARTICLE_STATES, type ArticleState, type KbDocument, type KbIntent, OUT_OF_SCOPE_INTENT } from './types';

/**
 * The Markdown folder (+ Rasa NLU YAML) as import and export format, so teams that keep their
 * docs in git still can: `articles/<category>/<slug>.md` with YAML front matter, `nlu.yml` with
 * the phrasings (intents), the short `utter_` responses and the `out_of_scope` examples, and an
 * optional `categories.yml` (id → display name). Articles that are not published say so in their
 * front matter (`state: draft`); the sample help centre has none.
 */

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---/;

export function readFolder(dir: string): KbDocument {
  const articlesDir = join(dir, 'articles');
  const files = existsSync(articlesDir) ? markdownFiles(articlesDir) : [];
  const articles: KbDocument['articles'] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const source = relative(dir, file).split(sep).join('/');
    const text = readFileSync(file, 'utf8');
    const parsed = parseArticle(text, source);
    if (seen.has(parsed.id)) throw new KnowledgeError('duplicate_article', `${source}: article id "${parsed.id}" is used twice`);
    seen.add(parsed.id);
    const fm = parseYaml(FRONT_MATTER.exec(text)?.[1] ?? '') as Record<string, unknown>;
    const state = typeof fm.state === 'string' && (ARTICLE_STATES as string[]).includes(fm.state) ? (fm.state as ArticleState) : 'published';
    articles.push({ id: parsed.id, title: parsed.title, category: parsed.category, tags: parsed.tags, locale: parsed.locale, summary: parsed.summary, body: parsed.body, state, intents: parsed.intents, sourcePath: source });
  }
  const nluPath = join(dir, 'nlu.yml');
  const nlu = existsSync(nluPath) ? parseRasaNlu(readFileSync(nluPath, 'utf8'), nluPath) : { intents: [], responses: {} };
  const owner = new Map<string, string>();
  for (const a of articles) {
    for (const intent of a.intents) {
      const other = owner.get(intent);
      if (other) throw new KnowledgeError('invalid_article', `intent "${intent}" is claimed by both "${other}" and "${a.id}"`);
      owner.set(intent, a.id);
    }
  }
  const outOfScope = nlu.intents.find((i) => i.name === OUT_OF_SCOPE_INTENT)?.examples ?? [];
  const intents: KbIntent[] = nlu.intents
    .filter((i) => i.name !== OUT_OF_SCOPE_INTENT)
    .map((i) => ({ name: i.name, articleId: owner.get(i.name) ?? null, response: nlu.responses[`utter_${i.name}`] ?? null, examples: i.examples }));
  const named = new Set(intents.map((i) => i.name));
  for (const [intent, articleId] of owner) {
    if (!named.has(intent)) throw new KnowledgeError('unknown_intent', `article "${articleId}" lists intent "${intent}", which has no examples in nlu.yml`);
  }
  return { categories: readCategories(dir, articles), articles, intents, outOfScope };
}

function readCategories(dir: string, articles: { category: string }[]): KbDocument['categories'] {
  const path = join(dir, 'categories.yml');
  const named: KbDocument['categories'] = [];
  if (existsSync(path)) {
    const data = parseYaml(readFileSync(path, 'utf8')) as unknown;
    if (!Array.isArray(data)) throw new KnowledgeError('invalid_article', 'categories.yml must be a list of {id, name}');
    for (const c of data) {
      if (typeof c?.id !== 'string' || typeof c?.name !== 'string') throw new KnowledgeError('invalid_article', 'categories.yml: every entry needs an id and a name');
      named.push({ id: c.id, name: c.name });
    }
  }
  const ids = new Set(named.map((c) => c.id));
  for (const a of articles) {
    if (ids.has(a.category)) continue;
    ids.add(a.category);
    named.push({ id: a.category, name: categoryName(a.category) });
  }
  return named;
}

/**
 * One YAML value on one line, written as a person would (`tags: [a, b]`, plain text unquoted)
 * whenever that reads back as the same value; otherwise the YAML library's quoting.
 */
function inline(value: unknown): string {
  const plain = Array.isArray(value) ? `[${value.map((v) => inline(v)).join(', ')}]` : String(value);
  try {
    const back = (parseYaml(`v: ${plain}`) as { v: unknown }).v;
    if (JSON.stringify(back) === JSON.stringify(value) && !plain.includes('\n')) return plain;
  } catch {
    // not valid as plain YAML: quote it
  }
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0, flowCollectionPadding: false }).trimEnd();
}

export function articleMarkdown(a: KbDocument['articles'][number], intents: string[]): string {
  const lines = [
    `id: ${inline(a.id)}`,
    `title: ${inline(a.title)}`,
    `category: ${inline(a.category)}`,
    `tags: ${inline(a.tags)}`,
    `locale: ${inline(a.locale)}`,
    `summary: ${inline(a.summary)}`,
    `intents: ${inline(intents)}`,
    ...(a.state !== 'published' ? [`state: ${a.state}`] : []),
  ];
  return `---\n${lines.join('\n')}\n---\n${a.body}\n`;
}

export function nluYaml(doc: KbDocument): string {
  const out = ['version: "3.1"', 'nlu:'];
  const block = (name: string, examples: string[]) => {
    out.push(`- intent: ${inline(name)}`, '  examples: |', ...examples.map((e) => `    - ${e.replace(/\s+/g, ' ').trim()}`), '');
  };
  for (const intent of doc.intents) if (intent.examples.length) block(intent.name, intent.examples);
  if (doc.outOfScope.length) block(OUT_OF_SCOPE_INTENT, doc.outOfScope);
  const responses = doc.intents.filter((i) => i.response !== null);
  if (responses.length) {
    out.push('responses:');
    // Double-quoted as Rasa files usually write responses (a JSON string is a valid YAML one).
    for (const i of responses) out.push(`  utter_${i.name}:`, `  - text: ${JSON.stringify(i.response)}`);
  }
  return out.join('\n') + '\n';
}

/** Write the folder; returns the files written (relative paths). */
export function writeFolder(doc: KbDocument, dir: string): string[] {
  const written: string[] = [];
  const write = (path: string, text: string) => {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    written.push(path);
  };
  const withExamples = new Set(doc.intents.filter((i) => i.examples.length).map((i) => i.name));
  for (const a of doc.articles) {
    const intents = a.intents.filter((n) => withExamples.has(n));
    // The folder is the category, as the sample lays it out (a moved article moves folder).
    write(`articles/${a.category}/${a.id}.md`, articleMarkdown(a, intents));
  }
  write('nlu.yml', nluYaml(doc));
  write('categories.yml', stringify(doc.categories.map((c) => ({ id: c.id, name: c.name }))));
  return written;
}
