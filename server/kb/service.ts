import { conflict, forbidden, invalid, notFound } from '../domain/errors';
import type { Agent, Store } from '../store/types';
import type { DomainEvents } from '../webhooks/emitter';
import type { KnowledgeRuntime } from './runtime';
import { type ArticleContent, type ArticleState, type KbActor, type KbArticle, normalizePhrasing, type Revision } from './types';
import { checkContent, checkSlug, slugify } from './validate';

/** Admins and editors publish; agents propose (drafts, and suggested changes to live articles). */
export const canPublish = (agent: Pick<Agent, 'role'>) => agent.role === 'admin' || agent.role === 'editor';

export const actorOf = (agent: Pick<Agent, 'id' | 'name'>): KbActor => ({ id: agent.id, name: agent.name });

export interface PhrasingClash {
  text: string;
  articleId: string;
  title: string;
}

export type SaveOutcome =
  | { kind: 'saved'; article: KbArticle }
  | { kind: 'proposed'; revision: Revision }
  /** Someone saved first: both versions go back, so nothing is lost. */
  | { kind: 'conflict'; current: KbArticle; yours: ArticleContent }
  /** Phrasings other articles already use: saved only when the editor chooses to move them. */
  | { kind: 'phrasing_clash'; clashes: PhrasingClash[] };

/** Editing the knowledge base: roles, validation, phrasing ownership and going live. */
export class KnowledgeService {
  constructor(
    private readonly store: Store,
    private readonly runtime: KnowledgeRuntime,
    /** Webhooks: `article.published` when an article goes live; its public URL from `articleUrl`. */
    private readonly events?: { emitter: DomainEvents; articleUrl: (id: string) => string },
  ) {}

  private async announce(article: KbArticle): Promise<void> {
    if (!this.events) return;
    await this.events.emitter.emit({ type: 'article.published', data: { article: { id: article.id, title: article.title, url: this.events.articleUrl(article.id) } } });
  }

  /** Phrasings of `texts` that belong to an article other than `articleId`. */
  async clashes(texts: string[], articleId: string | null): Promise<PhrasingClash[]> {
    const owners = await this.store.knowledge.phrasingOwners(texts);
    const out: PhrasingClash[] = [];
    for (const o of owners) {
      if (!o.articleId || o.articleId === articleId) continue;
      const other = await this.store.knowledge.get(o.articleId);
      out.push({ text: o.text, articleId: o.articleId, title: other?.title ?? o.articleId });
    }
    return out;
  }

  async create(agent: Agent, input: { slug?: string; content: ArticleContent; publish?: boolean; movePhrasings?: boolean }): Promise<SaveOutcome> {
    const content = checkContent(input.content);
    const slug = checkSlug(input.slug?.trim() || slugify(content.title));
    const publish = input.publish === true;
    if (publish && !canPublish(agent)) throw forbidden('only editors and admins publish; save it as a draft', 'editor_only');
    const clashes = await this.clashes(content.phrasings, slug);
    if (clashes.length && !input.movePhrasings) return { kind: 'phrasing_clash', clashes };
    if (clashes.length) await this.movePhrasingsAway(agent, clashes, slug);
    const article = await this.store.knowledge.create(slug, content, publish ? 'published' : 'draft', actorOf(agent));
    if (publish) {
      await this.runtime.changed();
      await this.announce(article);
    }
    return { kind: 'saved', article };
  }

  async save(agent: Agent, id: string, input: { version: number; content: ArticleContent; movePhrasings?: boolean; note?: string }): Promise<SaveOutcome> {
    const content = checkContent(input.content);
    const before = await this.store.knowledge.get(id);
    if (!before) throw notFound('article', id);
    // An agent's change to a live article waits for an editor, in the history.
    if (before.state !== 'draft' && !canPublish(agent)) {
      return { kind: 'proposed', revision: await this.store.knowledge.propose(id, content, actorOf(agent), input.note) };
    }
    const clashes = await this.clashes(content.phrasings, id);
    if (clashes.length && !input.movePhrasings) return { kind: 'phrasing_clash', clashes };
    if (before.version !== input.version) return { kind: 'conflict', current: before, yours: content };
    if (clashes.length) await this.movePhrasingsAway(agent, clashes, id);
    const result = await this.store.knowledge.save(id, input.version, content, actorOf(agent), 'save', input.note);
    if (!result.ok) return { kind: 'conflict', current: result.current, yours: content };
    if (result.article.state === 'published') await this.runtime.changed();
    return { kind: 'saved', article: result.article };
  }

  async setState(agent: Agent, id: string, version: number, state: ArticleState): Promise<SaveOutcome> {
    if (!canPublish(agent)) throw forbidden('only editors and admins publish, unpublish or archive', 'editor_only');
    const action = state === 'published' ? 'publish' : state === 'archived' ? 'archive' : 'unpublish';
    const result = await this.store.knowledge.save(id, version, { state }, actorOf(agent), action);
    if (!result.ok) return { kind: 'conflict', current: result.current, yours: result.current };
    await this.runtime.changed();
    if (state === 'published') await this.announce(result.article);
    return { kind: 'saved', article: result.article };
  }

  /** Restore a revision's content (state unchanged): a new revision, so the restore itself can be undone. */
  async restore(agent: Agent, id: string, revisionId: number, version: number): Promise<SaveOutcome> {
    const revision = await this.store.knowledge.revision(revisionId);
    if (!revision || revision.articleId !== id) throw notFound('revision', String(revisionId));
    const before = await this.store.knowledge.get(id);
    if (!before) throw notFound('article', id);
    if (before.state !== 'draft' && !canPublish(agent)) throw forbidden('only editors and admins change a published article', 'editor_only');
    const { state: _state, ...content } = revision.snapshot;
    const clashes = await this.clashes(content.phrasings, id);
    // Phrasings since given to another article stay there: the restore must not take them back silently.
    const taken = new Set(clashes.map((c) => normalizePhrasing(c.text)));
    const phrasings = content.phrasings.filter((p) => !taken.has(normalizePhrasing(p)));
    const result = await this.store.knowledge.save(id, version, { ...content, phrasings }, actorOf(agent), 'restore', `revision ${revisionId}`);
    if (!result.ok) return { kind: 'conflict', current: result.current, yours: { ...content, phrasings } };
    if (result.article.state === 'published' || before.state === 'published') await this.runtime.changed();
    return { kind: 'saved', article: result.article };
  }

  /** "Add as a phrasing" from the inbox: goes live at once (editors), a proposal otherwise. */
  async addPhrasings(agent: Agent, id: string, texts: string[]): Promise<SaveOutcome> {
    const article = await this.store.knowledge.get(id);
    if (!article) throw notFound('article', id);
    const known = new Set(article.phrasings.map(normalizePhrasing));
    const fresh = texts.filter((t) => !known.has(normalizePhrasing(t)));
    if (fresh.length === 0) return { kind: 'saved', article };
    const content = checkContent({ ...article, phrasings: [...article.phrasings, ...fresh] });
    if (!canPublish(agent)) return { kind: 'proposed', revision: await this.store.knowledge.propose(id, content, actorOf(agent), 'phrasings from the inbox') };
    const clashes = await this.clashes(fresh, id);
    if (clashes.length) await this.movePhrasingsAway(agent, clashes, id);
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = (await this.store.knowledge.get(id))!;
      const merged = [...current.phrasings, ...fresh.filter((t) => !current.phrasings.some((p) => normalizePhrasing(p) === normalizePhrasing(t)))];
      const result = await this.store.knowledge.save(id, current.version, { phrasings: merged }, actorOf(agent), 'phrasing', 'from the inbox');
      if (result.ok) {
        if (result.article.state === 'published') await this.runtime.changed();
        return { kind: 'saved', article: result.article };
      }
    }
    throw conflict('busy_article', 'the article is being edited right now; try again');
  }

  private async movePhrasingsAway(agent: Agent, clashes: PhrasingClash[], to: string): Promise<void> {
    if (!canPublish(agent)) throw forbidden('only editors and admins move phrasings between articles', 'editor_only');
    const byArticle = new Map<string, Set<string>>();
    for (const c of clashes) byArticle.set(c.articleId, (byArticle.get(c.articleId) ?? new Set()).add(normalizePhrasing(c.text)));
    for (const [articleId, norms] of byArticle) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const other = await this.store.knowledge.get(articleId);
        if (!other) break;
        const phrasings = other.phrasings.filter((p) => !norms.has(normalizePhrasing(p)));
        const r = await this.store.knowledge.save(articleId, other.version, { phrasings }, actorOf(agent), 'phrasing', `moved to ${to}`);
        if (r.ok) break;
        if (attempt === 2) throw conflict('busy_article', `article ${articleId} is being edited right now; try again`);
      }
    }
  }

  async list(filter: { q?: string; state?: ArticleState; category?: string }): Promise<KbArticle[]> {
    const all = await this.store.knowledge.list({ ...(filter.state ? { state: filter.state } : {}), ...(filter.category ? { category: filter.category } : {}) });
    const q = filter.q?.trim().toLowerCase();
    if (!q) return all;
    return all.filter((a) => [a.id, a.title, a.summary, ...a.tags, ...a.phrasings].some((s) => s.toLowerCase().includes(q)));
  }

  static invalidState(state: string): never {
    throw invalid('invalid_state', `state must be draft, published or archived, not ${JSON.stringify(state.slice(0, 20))}`);
  }
}
