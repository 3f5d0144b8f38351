import { parse as parseYaml } from 'yaml';
import { KnowledgeError } from './errors';
import type { Article } from './types';

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;
const HEADING = /^#{1,6}\s+(.+?)\s*#*\s*$/gm;
const ID = /^[a-z0-9][a-z0-9-]{0,79}$/;

function stringList(value: unknown, field: string, source: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new KnowledgeError('invalid_article', `${source}: "${field}" must be a list of strings`);
  }
  return value as string[];
}

function requiredString(data: Record<string, unknown>, field: string, source: string): string {
  const value = data[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new KnowledgeError('invalid_article', `${source}: front matter needs a non-empty "${field}"`);
  }
  return value.trim();
}

/** Parse one Markdown article with YAML front matter. `source` names the file in error messages. */
export function parseArticle(markdown: string, source: string): Article {
  const match = FRONT_MATTER.exec(markdown);
  if (!match) throw new KnowledgeError('invalid_article', `${source}: missing YAML front matter (--- ... ---)`);
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? '');
  } catch (err) {
    throw new KnowledgeError('invalid_article', `${source}: front matter is not valid YAML: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new KnowledgeError('invalid_article', `${source}: front matter must be a YAML mapping`);
  }
  const fm = data as Record<string, unknown>;
  const id = requiredString(fm, 'id', source);
  if (!ID.test(id)) throw new KnowledgeError('invalid_article', `${source}: id "${id}" must be kebab-case (a-z, 0-9, -)`);
  const body = markdown.slice(match[0].length).trim();
  const headings = [...body.matchAll(HEADING)].map((m) => m[1] ?? '').filter(Boolean);
  return {
    id,
    title: requiredString(fm, 'title', source),
    category: requiredString(fm, 'category', source),
    tags: stringList(fm.tags, 'tags', source),
    locale: typeof fm.locale === 'string' && fm.locale ? fm.locale : 'en',
    summary: typeof fm.summary === 'string' ? fm.summary.trim() : '',
    intents: stringList(fm.intents, 'intents', source),
    body,
    headings,
  };
}
