import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase } from '../knowledge/load';
import { ArticleSearch } from '../knowledge/search-index';
import { KnowledgeError } from '../knowledge/errors';
import type { KnowledgeBase } from '../knowledge/types';
import { loadClassifier, trainClassifier } from './nlu/classifier';
import type { IntentClassifier, SerializedClassifier, TrainingExample } from './nlu/types';

/** The engine's own conversational intents, merged under every help centre. */
export const BUILTIN_INTENTS_FILE = join(dirname(fileURLToPath(import.meta.url)), 'builtin-intents.yml');

export const BUNDLE_FORMAT = 'answerdesk-knowledge';
export const BUNDLE_VERSION = 1;

/** Everything the bot needs at run time, built ahead of time by `npm run build`. */
export interface KnowledgeBundle {
  kb: KnowledgeBase;
  search: ArticleSearch;
  classifier: IntentClassifier;
  builtAt: string;
}

export function trainingExamples(kb: KnowledgeBase): TrainingExample[] {
  const titles = new Map(kb.articles.map((a) => [a.id, a.title]));
  return kb.intents.flatMap((intent) => {
    const examples = intent.examples.map((text) => ({ text, intent: intent.name }));
    // An article's title is how customers often phrase the question too.
    const title = intent.articleId ? titles.get(intent.articleId) : undefined;
    return title ? [...examples, { text: title, intent: intent.name }] : examples;
  });
}

export function buildBundle(kb: KnowledgeBase): KnowledgeBundle {
  const phrases = new Map<string, string[]>();
  for (const intent of kb.intents) {
    if (intent.articleId) phrases.set(intent.articleId, [...(phrases.get(intent.articleId) ?? []), ...intent.examples]);
  }
  return {
    kb,
    search: ArticleSearch.fromArticles(kb.articles, phrases),
    classifier: trainClassifier(trainingExamples(kb)),
    builtAt: new Date().toISOString(),
  };
}

export function buildBundleFromDirectory(contentDir: string): KnowledgeBundle {
  return buildBundle(loadKnowledgeBase(contentDir, { baseNluFiles: [BUILTIN_INTENTS_FILE] }));
}

export function serializeBundle(bundle: KnowledgeBundle): string {
  return JSON.stringify({
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    builtAt: bundle.builtAt,
    kb: bundle.kb,
    search: bundle.search.toJSON(),
    classifier: bundle.classifier.toJSON(),
  });
}

export function parseBundle(text: string): KnowledgeBundle {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new KnowledgeError('index_format', 'knowledge index is not valid JSON; rebuild it with "npm run build"');
  }
  if (data?.format !== BUNDLE_FORMAT || data.version !== BUNDLE_VERSION) {
    throw new KnowledgeError(
      'index_format',
      `knowledge index has format ${String(data?.format)} v${String(data?.version)}, expected ${BUNDLE_FORMAT} v${BUNDLE_VERSION}; rebuild it with "npm run build"`,
    );
  }
  return {
    kb: data.kb as KnowledgeBase,
    search: ArticleSearch.load(data.search),
    classifier: loadClassifier(data.classifier as SerializedClassifier),
    builtAt: String(data.builtAt),
  };
}

export function writeBundle(bundle: KnowledgeBundle, path: string): number {
  mkdirSync(dirname(path), { recursive: true });
  const text = serializeBundle(bundle);
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}

export function readBundle(path: string): KnowledgeBundle {
  return parseBundle(readFileSync(path, 'utf8'));
}
