import { z } from 'zod';
import { conflict } from '../../domain/errors';
import type { SaveOutcome } from '../../kb/service';
import { ARTICLE_STATES, type KbArticle } from '../../kb/types';
import { presentArticle } from '../present';
import { op } from '../registry';
import { ManagedArticle } from '../schemas';
import type { ApiDeps } from './deps';

const text = (max: number) => z.string().max(max);
/** What an editor writes; the same limits as the console's editor are checked by the service (413 for a huge body). */
const ArticleContentBody = {
  title: text(200).min(1),
  category: text(100).min(1),
  tags: z.array(text(50)).max(30).default([]),
  locale: text(16).default('en'),
  summary: text(1_000).default(''),
  body: text(300_000).meta({ description: 'Markdown (sanitised wherever it is shown).' }),
  phrasings: z.array(text(300)).max(200).default([]).meta({ description: 'How customers ask for it: the bot learns these.' }),
  movePhrasings: z.boolean().optional().meta({ description: 'Phrasings another article uses move to this one (otherwise 409 phrasing_taken).' }),
};

/** An article as the writing routes answer: the public shape with its body, plus what an editor needs. */
const present = (a: KbArticle, url: string) => ({
  ...presentArticle(a, url, true),
  phrasings: a.phrasings,
  state: a.state,
  version: a.version,
  updatedAt: a.updatedAt,
});

/** The service's outcome as the API answers it: saved → the article, anything else → 409 with why. */
function saved(outcome: SaveOutcome, url: (id: string) => string) {
  switch (outcome.kind) {
    case 'saved':
      return { article: present(outcome.article, url(outcome.article.id)) };
    case 'conflict':
      throw conflict('version_conflict', `the article changed since version you sent; it is at version ${outcome.current.version} now`);
    case 'phrasing_clash':
      throw conflict('phrasing_taken', `phrasings already used by other articles: ${outcome.clashes.map((c) => `"${c.text}" (${c.articleId})`).join(', ').slice(0, 400)}`);
    case 'proposed':
      throw conflict('proposal_only', 'this key acts as an agent who may only propose changes');
  }
}

/**
 * knowledge:write — articles in the product's knowledge base (issue 14), through the same
 * service as the console's editor: validation, phrasing ownership, history, and publishing
 * live on every instance (and the `article.published` webhook).
 */
export const knowledgeWriteOperations = ({ articleUrl, knowledge }: ApiDeps) => [
  op({
    method: 'post',
    path: '/articles',
    operationId: 'createArticle',
    summary: 'Create an article (a draft, or published at once)',
    tag: 'Knowledge',
    scope: 'knowledge:write',
    status: 201,
    body: z.object({ slug: z.string().max(80).optional().meta({ description: 'Its address; from the title when left out.' }), publish: z.boolean().default(false), ...ArticleContentBody }),
    response: z.object({ article: ManagedArticle }),
    handle: async ({ body, apiAgent }) => {
      const { slug, publish, movePhrasings, ...content } = body;
      return saved(await knowledge.create(apiAgent, { ...(slug ? { slug } : {}), content, publish, ...(movePhrasings ? { movePhrasings } : {}) }), articleUrl);
    },
  }),
  op({
    method: 'patch',
    path: '/articles/{id}',
    operationId: 'updateArticle',
    summary: 'Replace an article\'s content (optimistic: name the version you edited)',
    tag: 'Knowledge',
    scope: 'knowledge:write',
    body: z.object({ version: z.number().int().min(1).max(2_147_483_647), ...ArticleContentBody }),
    response: z.object({ article: ManagedArticle }),
    handle: async ({ params, body, apiAgent }) => {
      const { version, movePhrasings, ...content } = body;
      return saved(await knowledge.save(apiAgent, params.id!, { version, content, ...(movePhrasings ? { movePhrasings } : {}) }), articleUrl);
    },
  }),
  op({
    method: 'post',
    path: '/articles/{id}/state',
    operationId: 'setArticleState',
    summary: 'Publish, unpublish (back to draft) or archive an article',
    tag: 'Knowledge',
    scope: 'knowledge:write',
    body: z.object({ version: z.number().int().min(1).max(2_147_483_647), state: z.enum(ARTICLE_STATES as [string, ...string[]]) }),
    response: z.object({ article: ManagedArticle }),
    handle: async ({ params, body, apiAgent }) => saved(await knowledge.setState(apiAgent, params.id!, body.version, body.state as KbArticle['state']), articleUrl),
  }),
];
