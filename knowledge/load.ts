import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseRasaNlu } from './rasa';
import { parseArticle } from './articles';
import { KnowledgeError } from './errors';
import type { Article, IntentDefinition, KnowledgeBase } from './types';

/** The help centre's Markdown files below `dir`, sorted (a folder's README.md is not an article). */
export function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...markdownFiles(path));
    else if (name.endsWith('.md') && name !== 'README.md') out.push(path);
  }
  return out;
}

/**
 * Merge articles and Rasa intents into one knowledge base: an intent listed in an article's
 * front matter answers with that article; otherwise it needs an `utter_<intent>` response.
 */
export function assembleKnowledgeBase(
  articles: Article[],
  nlu: { intents: { name: string; examples: string[] }[]; responses: Record<string, string> }[],
): KnowledgeBase {
  const seen = new Map<string, Article>();
  const articleByIntent = new Map<string, string>();
  for (const a of articles) {
    if (seen.has(a.id)) throw new KnowledgeError('duplicate_article', `article id "${a.id}" is used twice`);
    seen.set(a.id, a);
    for (const intent of a.intents) {
      const other = articleByIntent.get(intent);
      if (other) throw new KnowledgeError('invalid_article', `intent "${intent}" is claimed by both "${other}" and "${a.id}"`);
      articleByIntent.set(intent, a.id);
    }
  }
  const responses: Record<string, string> = Object.assign({}, ...nlu.map((n) => n.responses));
  const byName = new Map<string, IntentDefinition>();
  for (const file of nlu) {
    for (const intent of file.intents) {
      // Later files (the help centre) override earlier ones (built-ins) intent by intent.
      const previous = byName.get(intent.name);
      byName.set(intent.name, { name: intent.name, examples: previous ? [...previous.examples, ...intent.examples] : intent.examples });
    }
  }
  const intents: IntentDefinition[] = [];
  for (const def of byName.values()) {
    const articleId = articleByIntent.get(def.name);
    const response = responses[`utter_${def.name}`];
    if (!articleId && response === undefined && def.name !== 'human_handoff') {
      throw new KnowledgeError('unknown_intent', `intent "${def.name}" has no article (front matter "intents") and no "utter_${def.name}" response`);
    }
    intents.push({ ...def, ...(articleId ? { articleId } : {}), ...(response !== undefined ? { response } : {}) });
  }
  for (const [intent, articleId] of articleByIntent) {
    if (!byName.has(intent)) {
      throw new KnowledgeError('unknown_intent', `article "${articleId}" lists intent "${intent}", which has no examples in the NLU file`);
    }
  }
  return { articles, intents };
}

export interface LoadOptions {
  /** Extra Rasa NLU files read before the help centre's own (the engine's built-in intents). */
  baseNluFiles?: string[];
}

/** Read a content folder: `articles/**.md` and `nlu.yml`. */
export function loadKnowledgeBase(dir: string, options: LoadOptions = {}): KnowledgeBase {
  const articles = markdownFiles(join(dir, 'articles')).map((file) => parseArticle(readFileSync(file, 'utf8'), relative(dir, file)));
  const nluFiles = [...(options.baseNluFiles ?? []), join(dir, 'nlu.yml')];
  const nlu = nluFiles.map((file) => parseRasaNlu(readFileSync(file, 'utf8'), file));
  return assembleKnowledgeBase(articles, nlu);
}
