import { useEffect, useState } from 'preact/hooks';
import { type ArticleContent, type Clash, type Draft, kb, type KbArticle, type Revision, type SaveResult } from './api';
import { ContentDiff } from './Diff';
import { Revisions } from './Revisions';

interface Props {
  articleId: string | null;
  draft: Draft | null;
  canPublish: boolean;
  categories: { id: string; name: string }[];
  /** What the previous editor said (a new article reopens as itself after its first save). */
  flash?: string;
  onSaved(article: KbArticle, message: string): void;
}

const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);

/** One article: fields, Markdown with live preview (the server's sanitised renderer), phrasings, states, history. */
export function ArticleEditor({ articleId, draft, canPublish, categories, flash, onSaved }: Props) {
  const [article, setArticle] = useState<KbArticle | null>(null);
  const [revisions, setRevisions] = useState<Revision[]>([]);
  const [content, setContent] = useState<ArticleContent | null>(draft?.content ?? null);
  const [slug, setSlug] = useState(draft?.slug ?? '');
  const [phrasingText, setPhrasingText] = useState((draft?.content.phrasings ?? []).join('\n'));
  const [preview, setPreview] = useState('');
  const [clashes, setClashes] = useState<Clash[]>([]);
  const [conflict, setConflict] = useState<{ current: KbArticle; yours: ArticleContent } | null>(null);
  const [notice, setNotice] = useState(flash ?? '');
  const [busy, setBusy] = useState(false);

  const reload = async (id: string) => {
    const r = await kb.get(id);
    setArticle(r.article);
    setRevisions(r.revisions);
    setContent(r.article);
    setPhrasingText(r.article.phrasings.join('\n'));
  };
  useEffect(() => {
    if (articleId) reload(articleId).catch((e: Error) => setNotice(e.message));
  }, [articleId]);

  const body = content?.body ?? '';
  useEffect(() => {
    const t = setTimeout(() => void kb.preview(body).then(setPreview).catch(() => undefined), 200);
    return () => clearTimeout(t);
  }, [body]);
  useEffect(() => {
    const t = setTimeout(() => void kb.clashes(lines(phrasingText), articleId ?? (slug || null)).then(setClashes).catch(() => undefined), 300);
    return () => clearTimeout(t);
  }, [phrasingText, articleId, slug]);

  if (!content) return <p class="muted">Loading…</p>;
  const set = (patch: Partial<ArticleContent>) => setContent({ ...content, ...patch });
  const current = (): ArticleContent => ({ ...content, phrasings: lines(phrasingText) });

  const handle = async (result: SaveResult, done: string) => {
    setBusy(false);
    if (result.kind === 'saved') {
      setConflict(null);
      setNotice(done);
      onSaved(result.article, done);
      if (articleId) await reload(result.article.id);
    } else if (result.kind === 'proposed') setNotice('Your change was sent to the editors as a proposal (see History).');
    else if (result.kind === 'conflict') setConflict({ current: result.current, yours: result.yours });
    else if (result.kind === 'clash') {
      setClashes(result.clashes);
      setNotice('Some phrasings belong to other articles. Move them here, or remove them.');
    } else setNotice(result.message);
  };

  const save = async (opts: { publish?: boolean; move?: boolean; version?: number } = {}) => {
    setBusy(true);
    setNotice('');
    if (!article) {
      return handle(await kb.create({ ...(slug ? { slug } : {}), content: current(), ...(opts.publish ? { publish: true } : {}), ...(opts.move ? { movePhrasings: true } : {}), ...(draft?.inboxKey ? { inboxKey: draft.inboxKey } : {}) }), opts.publish ? 'Published: live everywhere in a few seconds.' : 'Draft saved.');
    }
    return handle(await kb.save(article.id, { version: opts.version ?? article.version, content: current(), ...(opts.move ? { movePhrasings: true } : {}) }), article.state === 'published' ? 'Saved and live.' : 'Saved.');
  };
  const setState = async (state: 'draft' | 'published' | 'archived') => {
    if (!article) return;
    setBusy(true);
    await handle(await kb.setState(article.id, article.version, state), { draft: 'Unpublished: now a draft.', published: 'Published: live everywhere in a few seconds.', archived: 'Archived.' }[state]);
  };

  const live = article?.state === 'published';
  return (
    <form class="kb-editor" onSubmit={(e) => { e.preventDefault(); void save(); }} data-testid="kb-editor">
      <div class="kb-editor-head">
        <h2>{article ? article.title : 'New article'}</h2>
        {article && <span class={`badge kb-state-${article.state}`}>{article.state}</span>}
        {article && <span class="muted">v{article.version}{article.updatedBy ? ` · ${article.updatedBy}` : ''}</span>}
      </div>
      {notice && <p class="kb-notice" role="status" data-testid="kb-notice">{notice}</p>}
      {conflict && (
        <div class="kb-conflict" role="alert" data-testid="kb-conflict">
          <p><strong>{conflict.current.updatedBy ?? 'Someone'} saved this article (v{conflict.current.version}) after you opened it.</strong> Nothing is lost: both versions are below.</p>
          <ContentDiff before={conflict.current} after={conflict.yours} beforeLabel={`Saved version (v${conflict.current.version})`} afterLabel="Your version" />
          <div class="kb-actions">
            <button type="button" onClick={() => { setConflict(null); void reload(conflict.current.id); }}>Keep the saved version</button>
            <button type="button" class="primary" data-testid="kb-overwrite" onClick={() => void save({ version: conflict.current.version })}>Save mine over it</button>
          </div>
        </div>
      )}
      <div class="kb-grid">
        <label>Title<input required maxLength={200} value={content.title} onInput={(e) => set({ title: e.currentTarget.value })} data-testid="kb-title" /></label>
        {!article && (
          <label>Address (slug)<input value={slug} placeholder="from the title" pattern="[a-z0-9][a-z0-9-]*" onInput={(e) => setSlug(e.currentTarget.value)} data-testid="kb-slug" /></label>
        )}
        <label>Category
          <input list="kb-categories" value={content.category} onInput={(e) => set({ category: e.currentTarget.value })} data-testid="kb-category" />
          <datalist id="kb-categories">{categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</datalist>
        </label>
        <label>Language<input value={content.locale} maxLength={12} onInput={(e) => set({ locale: e.currentTarget.value })} /></label>
        <label class="wide">Tags (comma-separated)<input value={content.tags.join(', ')} onInput={(e) => set({ tags: e.currentTarget.value.split(',').map((t) => t.trim()).filter(Boolean) })} data-testid="kb-tags" /></label>
        <label class="wide">Summary (shown on the answer card)<textarea rows={2} maxLength={1000} value={content.summary} onInput={(e) => set({ summary: e.currentTarget.value })} data-testid="kb-summary" /></label>
      </div>
      <div class="kb-body">
        <label>Article (Markdown)<textarea rows={16} value={content.body} onInput={(e) => set({ body: e.currentTarget.value })} data-testid="kb-body" /></label>
        <div>
          <span class="kb-label">Preview (as customers see it)</span>
          <div class="kb-preview" data-testid="kb-preview" dangerouslySetInnerHTML={{ __html: preview }} />
        </div>
      </div>
      <label class="wide">Customers ask (one phrasing per line)
        <textarea rows={6} value={phrasingText} onInput={(e) => setPhrasingText(e.currentTarget.value)} data-testid="kb-phrasings" />
      </label>
      {clashes.length > 0 && (
        <ul class="kb-clashes" role="alert" data-testid="kb-clashes">
          {clashes.map((c) => (
            <li key={c.text + c.articleId}>“{c.text}” is already a phrasing of <a href={`?article=${encodeURIComponent(c.articleId)}`}>{c.title}</a>.</li>
          ))}
          {canPublish && <li><button type="button" onClick={() => void save({ move: true })} data-testid="kb-move-phrasings">Move them to this article and save</button></li>}
        </ul>
      )}
      <div class="kb-actions">
        {!article && <button type="submit" disabled={busy} data-testid="kb-save-draft">Save draft</button>}
        {!article && canPublish && <button type="button" class="primary" disabled={busy} onClick={() => void save({ publish: true })} data-testid="kb-publish">Publish</button>}
        {article && (
          <button type="submit" class="primary" disabled={busy} data-testid="kb-save">
            {live ? (canPublish ? 'Save (live)' : 'Propose this change') : 'Save'}
          </button>
        )}
        {article && canPublish && article.state !== 'published' && <button type="button" disabled={busy} onClick={() => void setState('published')} data-testid="kb-publish">Publish</button>}
        {article && canPublish && article.state === 'published' && <button type="button" disabled={busy} onClick={() => void setState('draft')} data-testid="kb-unpublish">Unpublish</button>}
        {article && canPublish && article.state !== 'archived' && <button type="button" disabled={busy} onClick={() => void setState('archived')} data-testid="kb-archive">Archive</button>}
        {article && live && <a class="button" href={`/help/articles/${encodeURIComponent(article.id)}`} target="_blank" rel="noopener">View in help centre</a>}
      </div>
      {article && (
        <Revisions
          revisions={revisions}
          current={current()}
          canRestore={canPublish || article.state === 'draft'}
          onRestore={async (r) => {
            setBusy(true);
            await handle(await kb.restore(article.id, article.version, r.id), `Restored revision from ${new Date(r.createdAt).toLocaleString()}.`);
          }}
        />
      )}
    </form>
  );
}
