import { invalid, tooLarge } from '../domain/errors';
import { type ArticleContent, LIMITS } from './types';

export const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;
const CATEGORY = /^[a-z0-9][a-z0-9-]{0,39}$/;
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Phrasings are one line each: the classifier and the NLU YAML export both want that. */
const oneLine = (s: string) => s.replace(/[\u0000-\u001F\u007F]+/g, ' ').replace(/\s+/g, ' ').trim();

/**
 * An article as an editor may save it: clear 4xx codes for what is wrong, never a stalled
 * rebuild. Markdown is kept as written (scripts included): it is sanitised where it is shown,
 * by the one renderer the help centre, the chat and the editor's preview share.
 */
export function checkContent(input: ArticleContent): ArticleContent {
  const title = oneLine(input.title);
  if (!title) throw invalid('title_required', 'the article needs a title');
  if (title.length > LIMITS.titleChars) throw invalid('title_too_long', `the title is longer than ${LIMITS.titleChars} characters`);
  if (!CATEGORY.test(input.category)) throw invalid('invalid_category', 'the category must be kebab-case (a-z, 0-9, -)');
  if (!LOCALE.test(input.locale)) throw invalid('invalid_locale', 'the locale must be a language tag such as en or fr-CA');
  const summary = oneLine(input.summary);
  if (summary.length > LIMITS.summaryChars) throw invalid('summary_too_long', `the summary is longer than ${LIMITS.summaryChars} characters`);
  if (Buffer.byteLength(input.body, 'utf8') > LIMITS.bodyBytes) {
    throw tooLarge(`the article body is larger than ${LIMITS.bodyBytes / 1000} kB; split it into several articles`, 'article_too_large');
  }
  const body = input.body.replace(/\r\n?/g, '\n').replace(/\u0000/g, '').trim();
  if (!body) throw invalid('body_required', 'the article needs a body');
  const tags = [...new Set(input.tags.map(oneLine).filter(Boolean))];
  if (tags.length > LIMITS.tags || tags.some((t) => t.length > LIMITS.tagChars)) throw invalid('too_many_tags', `at most ${LIMITS.tags} tags of ${LIMITS.tagChars} characters`);
  const phrasings = input.phrasings.map(oneLine).filter(Boolean);
  if (phrasings.length > LIMITS.phrasings) throw invalid('too_many_phrasings', `at most ${LIMITS.phrasings} phrasings per article`);
  if (phrasings.some((p) => p.length > LIMITS.phrasingChars)) throw invalid('phrasing_too_long', `a phrasing is longer than ${LIMITS.phrasingChars} characters`);
  return { title, category: input.category, tags, locale: input.locale, summary, body, phrasings };
}

export function checkSlug(slug: string): string {
  if (!SLUG.test(slug)) throw invalid('invalid_slug', 'the address (slug) must be kebab-case: a-z, 0-9 and -, at most 80 characters');
  return slug;
}

/** A slug from a title: "Import from Trello?" → "import-from-trello". */
export function slugify(title: string): string {
  const s = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s || 'article';
}
