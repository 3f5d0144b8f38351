import { readFileSync } from 'node:fs';
import { BUILTIN_INTENTS_FILE } from '../../bot/knowledge-bundle';
import { parseRasaNlu } from '../../knowledge/rasa';
import type { Article, KnowledgeBase } from '../../knowledge/types';
import { type KbDocument, OUT_OF_SCOPE_INTENT } from './types';

const HEADING = /^#{1,6}\s+(.+?)\s*#*\s*$/gm;

let builtins: ReturnType<typeof parseRasaNlu> | undefined;

/**
 * What the bot serves, from the stored knowledge base: published articles, the intents that
 * answer with them (or with a short response) and have phrasings, the engine's built-in
 * conversational intents underneath, and the out-of-scope examples as their own class (the
 * matcher never offers it; its share of the probability is what makes the bot say it does not
 * know). Drafts and archived articles, and their phrasings, are left out.
 */
export function servingKnowledgeBase(doc: KbDocument): KnowledgeBase {
  builtins ??= parseRasaNlu(readFileSync(BUILTIN_INTENTS_FILE, 'utf8'), BUILTIN_INTENTS_FILE);
  const published = doc.articles.filter((a) => a.state === 'published');
  const live = new Set(published.map((a) => a.id));
  const ours = doc.intents.filter((i) => i.examples.length > 0 && ((i.articleId && live.has(i.articleId)) || i.response !== null));
  const ourNames = new Set(ours.map((i) => i.name));
  const byName = new Map<string, KnowledgeBase['intents'][number]>();
  for (const b of builtins.intents) {
    const response = builtins.responses[`utter_${b.name}`];
    byName.set(b.name, { name: b.name, examples: [...b.examples], ...(response !== undefined ? { response } : {}) });
  }
  for (const i of ours) {
    const previous = byName.get(i.name);
    byName.set(i.name, {
      name: i.name,
      examples: previous ? [...previous.examples, ...i.examples] : [...i.examples],
      ...(i.articleId && live.has(i.articleId) ? { articleId: i.articleId } : {}),
      ...(i.response !== null ? { response: i.response } : previous?.response !== undefined ? { response: previous.response } : {}),
    });
  }
  if (doc.outOfScope.length > 0) byName.set(OUT_OF_SCOPE_INTENT, { name: OUT_OF_SCOPE_INTENT, examples: [...doc.outOfScope] });
  const intentsOf = new Map<string, string[]>();
  for (const i of ours) if (i.articleId && live.has(i.articleId)) intentsOf.set(i.articleId, [...(intentsOf.get(i.articleId) ?? []), i.name]);
  const articles: Article[] = published.map((a) => ({
    id: a.id,
    title: a.title,
    category: a.category,
    tags: a.tags,
    locale: a.locale,
    summary: a.summary,
    intents: (intentsOf.get(a.id) ?? []).filter((n) => ourNames.has(n)),
    body: a.body,
    headings: [...a.body.matchAll(HEADING)].map((m) => m[1] ?? '').filter(Boolean),
  }));
  return { articles, intents: [...byName.values()] };
}
